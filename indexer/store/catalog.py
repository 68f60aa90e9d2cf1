"""On-disk layout of an index: generations, and the catalog of reports beside the store.

An index directory holds numbered generations (``gen-000001`` …) and a ``CURRENT``
file naming the live one.  A build writes a new generation and only then replaces
``CURRENT`` atomically, so an interrupted or failed build leaves the previous index
usable.  Each generation holds the search store (``store/``), the parsed reports
(``metas.json`` and one file per report under ``reports/`` — what comparisons and
report pages read) and ``reuse.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..errors import CorruptIndex, IndexMissing
from ..model import Item, Paragraph, Report, ReportMeta
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


def write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def read_json(path: Path, default: Any) -> Any:
    """The file's JSON, ``default`` if it does not exist; ``CorruptIndex`` names a damaged one."""
    if not path.is_file():
        return default
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError both are
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


def report_path(gen: Path, report_id: str) -> Path:
    """One JSON file per report, named by a hash so any id makes a safe file name."""
    digest = hashlib.sha1(report_id.encode("utf-8")).hexdigest()[:20]
    return gen / "reports" / f"{digest}.json"


def write_reports(gen: Path, reports: list[Report], changed: set[str]) -> None:
    """Write ``metas.json`` and the per-report files of ``changed`` ids; drop stale files."""
    folder = gen / "reports"
    folder.mkdir(exist_ok=True)
    wanted = {report_path(gen, r.meta.id).name for r in reports}
    for stale in folder.glob("*.json"):
        if stale.name not in wanted:
            stale.unlink()
    for report in reports:
        path = report_path(gen, report.meta.id)
        if report.meta.id in changed or not path.exists():
            write_json(path, report_to_dict(report))
    write_json(gen / "metas.json", [asdict(r.meta) for r in reports])
    write_json(gen / TABLE_FILE, table_columns(r.meta for r in reports))  # for searches


def load_metas(gen: Path) -> list[ReportMeta]:
    """Report metadata only — small, so opening an index stays cheap."""
    path = gen / "metas.json"
    return _shaped(path, lambda rows: [ReportMeta(**d) for d in rows], read_json(path, []))


def load_report(gen: Path, report_id: str) -> Report | None:
    path = report_path(gen, report_id)
    data = read_json(path, None)
    return _shaped(path, report_from_dict, data) if data is not None else None


def load_reports(gen: Path) -> list[Report]:
    reports = (load_report(gen, m.id) for m in load_metas(gen))
    return [r for r in reports if r is not None]
