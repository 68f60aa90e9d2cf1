"""Build-time data beside the search store, updated for what changed and its neighbours.

A generation holds, besides the store and the parsed reports, what the build derives
from all reports together: the reuse table (``reuse.json``, with its window table in
``reuse-windows/``), the audit facts (``audit/``) and the task counts (``tasks/``), the
last two one row per report in shards (``store.shards``).  A new generation starts as
hard links to the live one's files, so here the previous versions are read from the
new generation itself and replaced (never written in place).  After one edited report
only that report, the reports sharing passages with it (``reuse_index``) and the
reports whose previous year it is are recomputed, and only the shards holding them are
read and written; everything else is carried over.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .compare import audit
from .compare.reuse import MIN_CHARS, VERSION
from .compare.reuse_index import WindowTable, update_reuse
from .compare.tasks import load_tasks, task_counts, taxonomy_fingerprint
from .errors import CorruptIndex
from .model import Report, ReportMeta
from .store import catalog, shards
from .store.rows import AUDIT, TASKS


def update_derived(
    gen: Path, reports: list[Report], fresh: set[str], old_metas: Iterable[ReportMeta] | None
) -> set[str]:
    """Write ``reuse.json``, ``reuse-windows/`` and ``audit/`` into ``gen``; returns
    the ids whose derived data was recomputed.  ``old_metas``: the previous
    generation's reports (None: a whole build)."""
    previous = previous_derived(gen / "reuse.json")
    table = WindowTable.load(gen, VERSION, MIN_CHARS)
    reuse, table, redone = update_reuse(reports, fresh, table, previous)
    table.save(gen, VERSION, MIN_CHARS)
    catalog.write_json(gen / "reuse.json", reuse, compress=True)
    update_audit_rows(gen, reports, reuse, redone, old_metas)
    return redone


def _old_table(folder: Path) -> dict | None:
    """The previous build's shard head, or None (write every row) if it is damaged."""
    try:
        return shards.read_head(folder) if shards.damage(folder) is None else None
    except shards.ShardError:
        return None


def update_audit_rows(
    gen: Path,
    reports: list[Report],
    reuse: dict,
    redone: set[str],
    old_metas: Iterable[ReportMeta] | None,
) -> None:
    """``audit.build_audit`` into ``gen/audit``, recomputing only rows whose inputs may
    have changed: the reports whose reuse spans were redone, those whose previous year
    is one of them, and those whose unit key or previous year is not what it was."""
    (gen / "audit.json").unlink(missing_ok=True)  # the whole-file layout of before
    folder = gen / AUDIT
    table = _old_table(folder)
    head = {"version": audit.VERSION}
    if old_metas is None or table is None or table.get("head") != head:
        rows = audit.build_audit(reports, reuse)["reports"]
        shards.write_rows(folder, head, rows, whole=True)
        return
    key_of, before = audit.previous_years(r.meta for r in reports)
    old_metas = list(old_metas)
    if _same_units(old_metas, reports):  # the usual edit: same reports, units and years
        old_key, old_before = key_of, before
    else:
        old_key, old_before = audit.previous_years(old_metas)
    changed = {}
    for r in reports:
        rid = r.meta.id
        prev = before.get(rid)
        if (
            rid in redone
            or (prev is not None and prev in redone)
            or rid not in old_key
            or old_key[rid] != key_of[rid]
            or old_before.get(rid) != prev
        ):
            changed[rid] = audit.audit_facts(r, reuse, key_of[rid], prev)
    shards.write_rows(folder, head, changed, old_key.keys() - key_of.keys())


def _unit_fields(meta: ReportMeta) -> tuple:
    """What ``audit.previous_years`` groups and orders reports by."""
    return (meta.unit_key, meta.unit, meta.district, meta.year)


def _same_units(old_metas: list[ReportMeta], reports: list[Report]) -> bool:
    """Whether the previous generation had exactly these reports with the same unit
    fields: then its units and previous years are the new ones (one grouping, not two)."""
    if len(old_metas) != len(reports):
        return False
    old = {m.id: _unit_fields(m) for m in old_metas}
    return all(old.get(r.meta.id) == _unit_fields(r.meta) for r in reports)


def update_task_rows(
    gen: Path, reports: list[Report], corpus: Path, fresh: set[str], removed: Iterable[str]
) -> None:
    """The task × report counts (``compare.tasks.task_counts``) into ``gen/tasks``: only
    the ``fresh`` reports are counted, unless the taxonomy changed (then all are)."""
    (gen / "tasks.json").unlink(missing_ok=True)  # the whole-file layout of before
    folder = gen / TASKS
    tasks = load_tasks(None, corpus)
    head = {"fingerprint": taxonomy_fingerprint(tasks)}
    table = _old_table(folder)
    whole = table is None or table.get("head") != head
    todo = reports if whole else [r for r in reports if r.meta.id in fresh]
    rows = {r.meta.id: {"sha1": r.meta.sha1, "counts": task_counts(r, tasks)} for r in todo}
    present = {r.meta.id for r in reports}
    shards.write_rows(folder, head, rows, [] if whole else set(removed) - present, whole)


def previous_derived(path: Path) -> dict | None:
    """The last build's file, or None (recompute all) if it is damaged."""
    try:
        data = catalog.read_json(path, None)
    except CorruptIndex:
        return None
    return data if isinstance(data, dict) else None
