"""Build-time data beside the search store, updated for what changed and its neighbours.

A generation holds, besides the store and the parsed reports, what the build derives
from all reports together: the reuse tables (``reuse-spans/``, ``reuse-passages/``,
``reuse-users/``: ``store.reuse_rows``; its window table in ``reuse-windows/``), the audit facts (``audit/``) and the task counts (``tasks/``), the
last two one row per report in shards (``store.shards``).  A new generation starts as
hard links to the live one's files, so here the previous versions are read from the
new generation itself and replaced (never written in place).  After one edited report
only that report, the reports sharing passages with it (``reuse_index``) and the
reports whose previous year it is are recomputed, and only the shards holding them are
read and written; everything else is carried over.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterable
from pathlib import Path

from .compare import audit
from .compare.reuse import MIN_CHARS, VERSION, normal
from .compare.reuse_index import WindowTable, update_reuse
from .compare.tasks import load_tasks, task_counts, taxonomy_fingerprint
from .errors import CorruptIndex
from .model import Report, ReportMeta
from .store import catalog, reuse_rows, shards
from .store.rows import AUDIT, TASKS

REUSE_HEAD = {"version": VERSION, "min_chars": MIN_CHARS}


def update_derived(
    gen: Path, reports: list[Report], fresh: set[str], old_metas: Iterable[ReportMeta] | None
) -> set[str]:
    """Write the reuse tables, ``reuse-windows/`` and ``audit/`` into ``gen``; returns
    the ids whose derived data was recomputed.  ``old_metas``: the previous
    generation's reports (None: a whole build)."""
    previous = previous_reuse(gen)
    table = WindowTable.load(gen, VERSION, MIN_CHARS)
    years = audit.previous_years(r.meta for r in reports)  # its unit keys: group_of's
    update, table, redone = update_reuse(reports, fresh, table, previous, unit=years[0])
    table.save(gen, VERSION, MIN_CHARS)
    reuse_rows.write_tables(
        gen,
        REUSE_HEAD,
        update.spans,
        update.passages,
        update.users,
        update.gone_spans,
        update.gone_passages,
        update.whole,
    )
    if update.whole:  # every row is in memory: no need to read them back
        reuse = {**REUSE_HEAD, "spans": update.spans, "passages": update.passages}
    else:  # the redone rows from memory, others (a next year's report) from the shards
        stored = reuse_rows.reader(gen)
        reuse = {
            **REUSE_HEAD,
            "spans": ChainMap(update.spans, stored["spans"]),
            "passages": ChainMap(update.passages, stored["passages"]),
        }
    update_audit_rows(gen, reports, reuse, redone, None if update.whole else old_metas, years)
    return redone


class StoredReuse:
    """The previous build's reuse tables (``store.reuse_rows``), read by key."""

    def __init__(self, gen: Path, users: reuse_rows.Users) -> None:
        self.users = users
        self._spans = reuse_rows.ShardRows(gen / reuse_rows.SPANS, kept=0)
        self._passages = reuse_rows.ShardRows(gen / reuse_rows.PASSAGES, kept=0)

    def spans_of(self, report_ids: Iterable[str]) -> dict[str, dict]:
        return _by_shard(self._spans, report_ids)

    def passages_of(self, keys: Iterable[str]) -> dict[str, dict]:
        return _by_shard(self._passages, keys)


def _by_shard(rows: reuse_rows.ShardRows, keys: Iterable[str]) -> dict[str, dict]:
    """The rows of ``keys``, each shard read once."""
    by_name: dict[str, list[str]] = {}
    for key in keys:
        by_name.setdefault(shards.shard_of(key, rows.count), []).append(key)
    out = {}
    for name, wanted in by_name.items():
        if name in rows.table["shards"]:
            found = shards.read_shard(rows.folder, name)
            out.update((k, found[k]) for k in wanted if k in found)
    return out


def previous_reuse(gen: Path) -> StoredReuse | None:
    """The last build's reuse tables, or None (recompute all) if they are damaged or of
    another version; an index of before (``reuse.json``) is converted here, once."""
    try:
        if reuse_rows.has_tables(gen):
            if reuse_rows.damage(gen) is not None:
                return None
            table = shards.read_head(gen / reuse_rows.SPANS)
            users = reuse_rows.Users.load(gen)
            if table is None or table.get("head") != REUSE_HEAD or users is None:
                return None
            return StoredReuse(gen, users)
        legacy = previous_derived(gen / reuse_rows.LEGACY)
        if not legacy or any(legacy.get(k) != v for k, v in REUSE_HEAD.items()):
            return None
        spans, passages = _converted(legacy)
        users = reuse_rows.users_of_spans(spans)
        reuse_rows.write_tables(gen, REUSE_HEAD, spans, passages, users, whole=True)
        return StoredReuse(gen, users)
    except (shards.ShardError, ValueError, KeyError, TypeError, IndexError):
        return None


def _converted(legacy: dict) -> tuple[dict, dict]:
    """``reuse.json``'s spans and passages keyed by passage key instead of number."""
    keys = [reuse_rows.passage_key(normal(p["text"])) for p in legacy["passages"]]
    spans = {
        rid: {
            para: [[s, e, keys[n], kind] for s, e, n, kind in rows]
            for para, rows in paragraphs.items()
        }
        for rid, paragraphs in legacy["spans"].items()
    }
    return spans, dict(zip(keys, legacy["passages"], strict=True))


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
    years: tuple[dict[str, str], dict[str, str]] | None = None,
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
    key_of, before = years or audit.previous_years(r.meta for r in reports)
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
