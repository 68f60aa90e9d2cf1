"""Build-time data beside the search store, updated for what changed and its neighbours.

A generation holds, besides the store and the parsed reports, what the build derives
from all reports together: the reuse table (``reuse.json``, with its window table in
``reuse-windows/``) and the audit facts (``audit.json``).  A new generation starts as
hard links to the live one's files, so here the previous versions are read from the
new generation itself and replaced (never written in place).  After one edited report
only that report, the reports sharing passages with it (``reuse_index``) and the
reports whose previous year it is are recomputed; everything else is carried over.
"""

from __future__ import annotations

from pathlib import Path

from .compare import audit
from .compare.reuse import MIN_CHARS, VERSION
from .compare.reuse_index import WindowTable, update_reuse
from .errors import CorruptIndex
from .model import Report
from .store import catalog


def update_derived(gen: Path, reports: list[Report], fresh: set[str]) -> set[str]:
    """Write ``reuse.json``, ``reuse-windows/`` and ``audit.json`` into ``gen``; returns
    the ids whose derived data was recomputed."""
    previous = previous_derived(gen / "reuse.json")
    table = WindowTable.load(gen, VERSION, MIN_CHARS)
    reuse, table, redone = update_reuse(reports, fresh, table, previous)
    table.save(gen, VERSION, MIN_CHARS)
    catalog.write_json(gen / "reuse.json", reuse)
    old_audit = previous_derived(gen / "audit.json")
    catalog.write_json(gen / "audit.json", update_audit(reports, reuse, old_audit, redone))
    return redone


def previous_derived(path: Path) -> dict | None:
    """The last build's file, or None (recompute all) if it is damaged."""
    try:
        data = catalog.read_json(path, None)
    except CorruptIndex:
        return None
    return data if isinstance(data, dict) else None


def update_audit(reports: list[Report], reuse: dict, previous: dict | None, redone: set[str]):
    """``audit.build_audit``, recomputing only rows whose inputs may have changed."""
    if not previous or previous.get("version") != audit.VERSION:
        return audit.build_audit(reports, reuse)
    key_of, before = audit.previous_years(r.meta for r in reports)
    old = previous.get("reports", {})
    rows = {}
    for r in reports:
        rid = r.meta.id
        prev = before.get(rid)
        row = old.get(rid)
        if (
            row is None
            or rid in redone
            or (prev is not None and prev in redone)
            or row.get("unit_key") != key_of[rid]
            or row.get("previous") != prev
        ):
            row = audit.audit_facts(r, reuse, key_of[rid], prev)
        rows[rid] = row
    return {"version": audit.VERSION, "reports": rows}
