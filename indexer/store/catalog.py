"""On-disk layout of an index: generations, and the catalog of reports beside the store.

An index directory holds numbered generations (``gen-000001`` …) and a ``CURRENT``
file naming the live one.  A build writes a new generation and only then replaces
``CURRENT`` atomically, so an interrupted or failed build leaves the previous index
usable.  Each generation holds the search store (``store/``), the parsed reports
(``metas.json`` and the zlib-compressed reports in a few packs under ``reports/`` — what
comparisons and report pages read, one report at a time: see ``packs``) and
``reuse.json``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zlib
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from ..errors import CorruptIndex, IndexMissing
from ..model import Item, Paragraph, Report, ReportMeta
from . import jsonio, packs, shards
from .packlookup import PackLookup
from .packs import PackIndex
from .report_table import TABLE_FILE, table_columns

CURRENT = "CURRENT"
FORMAT = 1


def current_generation(index_dir: Path) -> Path | None:
    pointer = index_dir / CURRENT
    if not pointer.is_file():
        return None
    gen = index_dir / pointer.read_text(encoding="utf-8").strip()
    return gen if gen.is_dir() else None


def require_generation(index_dir: Path) -> Path:
    gen = current_generation(index_dir)
    if gen is None:
        raise IndexMissing(
            f"no index at {index_dir}: build one first with `fazhi index CORPUS --index {index_dir}`"
        )
    return gen


def new_generation(index_dir: Path, copy_live: bool = True) -> Path:
    """A fresh generation directory, seeded with the current one's files if any.

    The seed is hard links, not copies: no writer changes a file in place (Whoosh
    writes new segment and TOC files and deletes unreferenced ones; ``write_json``
    replaces a file through a rename), so the new generation shares every unchanged
    byte with the live one — disk does not double and the seed costs no copying —
    while the live one never sees the new generation's changes.
    ``copy_live=False`` gives an empty one, for rebuilding a damaged index.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    numbers = [int(p.name[4:]) for p in index_dir.glob("gen-*") if p.name[4:].isdigit()]
    gen = index_dir / f"gen-{max(numbers, default=0) + 1:06d}"
    previous = current_generation(index_dir)
    if previous is not None and copy_live:
        shutil.copytree(
            previous, gen, copy_function=_link_or_copy, ignore=shutil.ignore_patterns("*WRITELOCK")
        )
    else:
        gen.mkdir()
    return gen


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:  # a file system without hard links: copy, as before
        shutil.copy2(src, dst)


def publish(index_dir: Path, gen: Path) -> None:
    """Make ``gen`` live atomically, then drop all but it and the one before it."""
    tmp = index_dir / f".{CURRENT}.tmp"
    tmp.write_text(gen.name, encoding="utf-8")
    os.replace(tmp, index_dir / CURRENT)
    gens = sorted(p for p in index_dir.glob("gen-*") if p.is_dir())
    for old in gens[:-2]:
        if old != gen:
            shutil.rmtree(old, ignore_errors=True)


def discard(gen: Path) -> None:
    shutil.rmtree(gen, ignore_errors=True)


COMPRESSED = (b"\x78",)  # zlib's first byte; a JSON text never starts with "x"


def write_json(path: Path, data: Any, compress: bool = False) -> None:
    """``compress``: zlib (level 1) — for the large whole-corpus files (``reuse.json``,
    ``catalog.json``: 6× and 3.5× smaller at 1M paragraphs, 0.1 s to write); readers
    (``read_json``) tell the two apart by the first byte."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    text = jsonio.dumps(data)
    tmp.write_bytes(zlib.compress(text, 1) if compress else text)
    os.replace(tmp, path)


def write_bytes(path: Path, data: bytes) -> None:
    """A new file through a rename: a killed writer never leaves half a file live."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def read_json(path: Path, default: Any) -> Any:
    """The file's JSON, ``default`` if it does not exist; ``CorruptIndex`` names a damaged one."""
    if not path.is_file():
        return default
    try:
        data = path.read_bytes()
        if data[:1] in COMPRESSED:
            data = zlib.decompress(data)
        return jsonio.loads(data)
    except (ValueError, zlib.error) as exc:  # a bad byte, a cut-off file (orjson: ValueError)
        raise damaged(path, exc) from exc


DAMAGED = "DAMAGED"


def damaged(path: Path, exc: BaseException) -> CorruptIndex:
    """The error to raise for a damaged file — and a note for the next build.

    A build does not re-read every unchanged report, so whoever finds a damaged one
    leaves its path in ``index/DAMAGED``; the next ``fazhi index`` reads those reports
    from their source files again.  Best effort: a read-only index still gets the error.
    """
    reason = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
    gen = next((p for p in path.parents if p.name.startswith("gen-")), None)
    if gen is not None:
        try:
            with open(gen.parent / DAMAGED, "a", encoding="utf-8") as marks:
                marks.write(f"{path.relative_to(gen).as_posix()}\n")
        except OSError:
            pass
    return CorruptIndex(
        f"index file damaged: {path} ({reason}); run `fazhi index` again to rebuild it"
    )


def report_to_dict(report: Report) -> dict:
    return {"meta": asdict(report.meta), "paragraphs": [asdict(p) for p in report.paragraphs]}


def report_from_dict(data: dict) -> Report:
    paragraphs = []
    for p in data["paragraphs"]:
        items = [Item(**i) for i in p.get("items", [])]
        paragraphs.append(Paragraph(**{**p, "items": items}))
    return Report(meta=ReportMeta(**data["meta"]), paragraphs=paragraphs)


def _shaped(path: Path, make, data):
    """``make(data)``, or ``CorruptIndex`` if valid JSON has the wrong shape."""
    try:
        return make(data)
    except (KeyError, TypeError, AttributeError) as exc:
        raise damaged(path, exc) from exc


def load_catalog(gen: Path) -> dict:
    """{"format", "files": {relpath: {"sha1", "report"}}, "reports": [...], "skipped": [...]}"""
    return read_json(gen / "catalog.json", {"format": FORMAT, "files": {}, "skipped": []})


def catalog_head(gen: Path) -> dict:
    """``catalog.json``'s small fields (corpus folder, skipped files), its per-file
    table left out: what a reader keeps for as long as the generation is live."""
    data = read_json(gen / "catalog.json", {})
    if not isinstance(data, dict):
        raise damaged(gen / "catalog.json", TypeError("not an object"))
    return {k: data[k] for k in ("format", "corpus", "skipped") if k in data}


METAS = "metas"  # shard folder of the report metadata rows (was metas.json)
WHOLE_FILES = (
    "metas.json",
    "metas/head.json",
    "reuse.json",
    "tasks.json",
    "audit.json",
    "reports/index.json",
    "tasks/head.json",
    "audit/head.json",
    "reuse-spans/head.json",
    "reuse-passages/head.json",
    "reuse-users/ids.json",
    "reuse-users/h.npy",
    "reuse-users/who.npy",
)


def legacy_report_path(gen: Path, report_id: str) -> Path:
    """An index of before the packs held one JSON file per report, named by a hash."""
    digest = hashlib.sha1(report_id.encode("utf-8")).hexdigest()[:20]
    return gen / "reports" / f"{digest}.json"


def pack_index(gen: Path) -> PackIndex | None:
    """The generation's pack index (read it once per generation), or None for an index
    with one file per report."""
    path = gen / "reports" / packs.INDEX
    try:
        return PackIndex.read(gen / "reports")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise damaged(path, exc) from exc


def pack_lookup(gen: Path) -> PackLookup | PackIndex | None:
    """Where reports are, for reading a few: ``reports/index.bin`` (``packlookup``),
    else the whole pack index."""
    found = PackLookup.read(gen / "reports", packs.INDEX)
    return found if found is not None else pack_index(gen)


def report_path(gen: Path, report_id: str, index: PackIndex | None = None) -> Path:
    """The file holding the report: its pack (or, in an older index, its own file)."""
    index = index or pack_index(gen)
    found = index.path_of(report_id) if index else None
    return found or legacy_report_path(gen, report_id)


def meta_row(meta: ReportMeta) -> dict:
    """``asdict`` without its deep copy: the row is only serialised."""
    return {f.name: getattr(meta, f.name) for f in META_FIELDS}


META_FIELDS = fields(ReportMeta)


def write_reports(
    gen: Path,
    reports: list[Report],
    changed: set[str],
    removed: list[str] | tuple = (),
    previous: PackIndex | None | bool = False,
) -> None:
    """Write ``metas.json`` and a pack of the ``changed`` reports (see ``packs``).

    Unchanged reports stay in the packs linked from the previous generation; a report
    it does not hold (an older index's file) is written too, which upgrades the layout.
    ``previous``: the previous generation's pack index, when the caller read it.
    """
    folder = gen / "reports"
    folder.mkdir(exist_ok=True)
    if previous is False:  # not read by the caller (``KeptReports.pack_index``)
        try:
            previous = pack_index(gen)
        except CorruptIndex:
            previous = None  # everything is written again
    held = previous.where if previous is not None else {}
    keep = {r.meta.id for r in reports if r.meta.id not in changed and r.meta.id in held}
    fresh = {r.meta.id: packs.encode(report_to_dict(r)) for r in reports if r.meta.id not in keep}
    name = f"pack-{gen.name.removeprefix('gen-')}.z"
    packs.write_pack(folder, name, previous, keep, fresh)
    for entry in os.listdir(folder):  # an older index's per-report files, stale tmp files
        if entry.endswith((".json", ".tmp")) and entry != packs.INDEX:
            (folder / entry).unlink(missing_ok=True)
    write_metas(gen, reports, keep, removed)
    write_json(gen / TABLE_FILE, table_columns(r.meta for r in reports))  # for searches


def write_metas(gen: Path, reports: list[Report], keep: set[str], removed) -> None:
    """The reports' metadata rows into ``metas/`` (``shards``): only the shards holding
    a report not in ``keep`` or a ``removed`` one are written, unless the generation has
    no whole table yet (an index of ``metas.json``, or a damaged table)."""
    (gen / "metas.json").unlink(missing_ok=True)  # the whole-file layout of before
    folder = gen / METAS
    try:
        whole = shards.damage(folder) is not None or shards.read_head(folder) is None
    except shards.ShardError:
        whole = True
    todo = reports if whole else [r for r in reports if r.meta.id not in keep]
    rows = {r.meta.id: meta_row(r.meta) for r in todo}
    gone = set(removed) - {r.meta.id for r in reports} if not whole else set()
    shards.write_rows(folder, {}, rows, gone, whole)


def whole_file_sizes(gen: Path) -> dict[str, int]:
    """Sizes of the generation's whole-corpus files, recorded in ``catalog.json`` so the
    next build checks them with a stat instead of parsing them."""
    return {n: (gen / n).stat().st_size for n in WHOLE_FILES if (gen / n).is_file()}


def load_metas(gen: Path) -> list[ReportMeta]:
    """Report metadata only — small, so opening an index stays cheap.  In the order of
    the reports (unit, year, id), as ``metas.json`` held them."""
    folder = gen / METAS
    try:
        found = shards.read_rows(folder)
    except shards.ShardError as exc:
        raise damaged(folder / shards.HEAD, exc) from exc
    if found is None:  # an index of before the shards
        path = gen / "metas.json"
        return _shaped(path, lambda rows: [ReportMeta(**d) for d in rows], read_json(path, []))
    metas = _shaped(
        folder / shards.HEAD, lambda rows: [ReportMeta(**d) for d in rows], found[1].values()
    )
    metas.sort(key=lambda m: (m.unit or "", m.year or 0, m.id))
    return metas


def load_report(
    gen: Path, report_id: str, index: PackIndex | PackLookup | None = None
) -> Report | None:
    """One report, read and inflated alone.  Pass the generation's ``pack_index`` when
    reading many (it is one file for the whole generation)."""
    index = index or pack_index(gen)
    if index is None:
        legacy = legacy_report_path(gen, report_id)
        data = read_json(legacy, None)
        return _shaped(legacy, report_from_dict, data) if data is not None else None
    path = index.path_of(report_id)
    if path is None:
        return None
    try:
        data = packs.decode(index.blob(report_id))
    except FileNotFoundError as exc:
        raise damaged(path, exc) from exc
    except (zlib.error, ValueError, EOFError) as exc:  # truncated, bit rot, not JSON
        raise damaged(path, exc) from exc
    return _shaped(path, report_from_dict, data)


def load_reports(gen: Path) -> list[Report]:
    index = pack_index(gen)
    reports = (load_report(gen, m.id, index) for m in load_metas(gen))
    return [r for r in reports if r is not None]
