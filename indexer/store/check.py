"""Is a generation whole?  What a build checks before it builds on top of one.

A generation that lost a file (a full disk, a crash of the machine, a hand edit)
must not make every later build fail the same way, or the index could never repair
itself.  ``damage`` names the first file of the generation that cannot be read; the
build then writes a complete new generation instead of copying the damaged one.
Per-report files are checked as the build loads them (``catalog.load_report``), so a
single damaged report costs re-reading one source file, not a full rebuild.
"""

from __future__ import annotations

import gc
import os
import pickle
import struct
import warnings
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import IndexError as WhooshIndexError

from ..errors import CorruptIndex
from . import catalog, grams, reuse_rows, rows, shards

STORE_ERRORS = (
    OSError,
    EOFError,
    ValueError,
    KeyError,
    IndexError,
    struct.error,
    pickle.UnpicklingError,
    WhooshIndexError,
)
WHOLE_FILES = ("catalog.json", "metas.json", "reuse.json", "tasks.json")
SHARD_FOLDERS = (catalog.METAS, rows.AUDIT, rows.TASKS, reuse_rows.SPANS, reuse_rows.PASSAGES)


def damage(gen: Path, data: dict | None = None) -> str | None:
    """A message naming the damaged file of ``gen``, or None if it reads whole.

    The whole-corpus files are checked by the sizes ``catalog.json`` recorded (a stat,
    not a parse: they grow with the corpus); an index without them is parsed.  ``data``:
    the catalog already read (``previous_files``), so it is parsed once per build."""
    try:
        if data is None:
            data = catalog.read_json(gen / "catalog.json", None)
        if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
            return f"index file damaged: {gen / 'catalog.json'} (not an index catalog)"
        sizes = data.get("sizes")
        if isinstance(sizes, dict):
            for name, size in sizes.items():
                path = gen / name
                if not path.is_file() or path.stat().st_size != size:
                    return f"index file damaged: {path} (not the size it was written with)"
            expected = data.get("paragraphs", 0)
        else:
            metas = catalog.load_metas(gen)
            for name in WHOLE_FILES[2:]:
                catalog.read_json(gen / name, None)
            expected = sum(m.paragraphs for m in metas)
        for folder in SHARD_FOLDERS:
            problem = shards.damage(gen / folder)
            if problem:
                return f"index file damaged: {problem}"
    except CorruptIndex as exc:
        return str(exc)
    if catalog.read_json(gen / "backend.json", {"kind": "whoosh"})["kind"] != "whoosh":
        return None  # the paragraphs live on a cluster, not in this generation
    store = gen / "store"
    with warnings.catch_warnings():
        # Whoosh leaves the handle of a damaged TOC open; it is closed with the error.
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = whoosh_index.open_dir(str(store))
            try:
                count = _segment_docs(ix, store)
                lost = missing_grams(ix, store)
            finally:
                ix.close()
        except STORE_ERRORS as exc:
            message = f"index store damaged: {store} ({type(exc).__name__}: {exc})"
            del exc
            gc.collect()
            return message
    if lost:
        return f"index store damaged: {store} ({lost})"
    if count < expected:
        return f"index store damaged: {store} holds {count} paragraphs, the catalog {expected}"
    return None


def _segment_docs(ix, store: Path) -> int:
    """Documents in the TOC's segments, each checked present by one listing of the folder
    (opening every segment's reader cost a file open per segment file)."""
    names = os.listdir(store)
    count = 0
    for segment in ix._segments():
        prefix = f"{segment.segment_id()}."
        if not any(name.startswith(prefix) for name in names):
            raise FileNotFoundError(f"segment {segment.segment_id()} has no files")
        count += segment.doc_count_all()
    return count


def previous_files(gen: Path) -> tuple[dict[str, dict], dict | None]:
    """``{file: {"sha1", "report", …}}`` of ``gen``'s catalog, and the catalog itself;
    empty and None if it is unreadable (a damaged catalog costs the old ids, never the
    build)."""
    try:
        data = catalog.read_json(gen / "catalog.json", {})
    except CorruptIndex:
        return {}, None
    files = data.get("files") if isinstance(data, dict) else None
    return (files, data) if isinstance(files, dict) else ({}, None)


def reported_damage(gen: Path, old_files: dict[str, dict], index=False) -> set[str]:
    """Ids of reports to read again: their file was found damaged by a reader
    (``catalog.DAMAGED``) or their pack is not the size it was written with.
    ``index``: the generation's pack index when the caller has read it already."""
    marks = gen.parent / catalog.DAMAGED
    try:
        names = set(marks.read_text(encoding="utf-8").split())
    except OSError:
        names = set()
    ids = {entry["report"] for entry in old_files.values() if isinstance(entry, dict)}
    try:
        index = catalog.pack_index(gen) if index is False else index
    except CorruptIndex:
        return ids
    if index is None:  # an older index: one file per report
        if not names:
            return set()
        files = {i: catalog.legacy_report_path(gen, i) for i in ids}
        return {i for i, f in files.items() if f.relative_to(gen).as_posix() in names}
    bad_packs = {p for p in index.packs if f"reports/{p}" in names}
    for pack, size in index.packs.items():  # a few packs: a stat each
        path = index.folder / pack
        if not path.is_file() or path.stat().st_size != size:
            bad_packs.add(pack)
    return {i for i in ids if i in index.where and index.where[i][0] in bad_packs}


def clear_reported_damage(index_dir: Path) -> None:
    (index_dir / catalog.DAMAGED).unlink(missing_ok=True)


def missing_grams(ix, folder: Path) -> str | None:
    """The first segment whose ``.grams`` file is missing or damaged (an index written
    before those files existed has none: the build then writes every one)."""
    for segment in ix._segments():  # from the TOC: opening readers cost 1 s at 1M
        problem = grams.damage(grams.grams_path(folder, segment.segment_id()))
        if problem:
            return problem
    return None
