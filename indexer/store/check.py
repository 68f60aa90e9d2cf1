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
import pickle
import struct
import warnings
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.index import IndexError as WhooshIndexError

from ..errors import CorruptIndex
from . import catalog, grams
from .exact import leaf_readers, segment_id

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


def damage(gen: Path) -> str | None:
    """A message naming the damaged file of ``gen``, or None if it reads whole."""
    try:
        data = catalog.read_json(gen / "catalog.json", None)
        if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
            return f"index file damaged: {gen / 'catalog.json'} (not an index catalog)"
        metas = catalog.load_metas(gen)
        for name in WHOLE_FILES[2:]:
            catalog.read_json(gen / name, None)
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
                count = ix.doc_count_all()
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
    expected = sum(m.paragraphs for m in metas)
    if count < expected:
        return f"index store damaged: {store} holds {count} paragraphs, the catalog {expected}"
    return None


def previous_files(gen: Path) -> dict[str, dict]:
    """``{file: {"sha1", "report"}}`` of ``gen``'s catalog; empty if it is unreadable
    (a damaged catalog costs the old ids, never the build)."""
    try:
        data = catalog.read_json(gen / "catalog.json", {})
    except CorruptIndex:
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    return files if isinstance(files, dict) else {}


def reported_damage(gen: Path, old_files: dict[str, dict]) -> set[str]:
    """Ids of reports whose files a reader found damaged in ``gen`` (``catalog.DAMAGED``)."""
    marks = gen.parent / catalog.DAMAGED
    try:
        names = set(marks.read_text(encoding="utf-8").split())
    except OSError:
        return set()
    ids = {entry["report"] for entry in old_files.values() if isinstance(entry, dict)}
    return {i for i in ids if catalog.report_path(gen, i).relative_to(gen).as_posix() in names}


def clear_reported_damage(index_dir: Path) -> None:
    (index_dir / catalog.DAMAGED).unlink(missing_ok=True)


def missing_grams(ix, folder: Path) -> str | None:
    """The first segment whose ``.grams`` file is missing or damaged (an index written
    before those files existed has none: the build then writes every one)."""
    with ix.reader() as reader:
        for leaf, _ in leaf_readers(reader):
            name = segment_id(leaf)
            problem = grams.damage(grams.grams_path(folder, name)) if name else None
            if problem:
                return problem
    return None
