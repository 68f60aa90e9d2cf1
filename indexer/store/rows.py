"""The per-report derived rows a reader asks for: audit facts and task counts.

The build writes them as shards (``shards``; ``indexer.derived`` updates them); an
index built before holds ``audit.json`` and ``tasks.json``, read as before.  Both give
a reader the whole-file shape it always had.
"""

from __future__ import annotations

from pathlib import Path

from . import catalog, shards
from .counts import CountTable

AUDIT, TASKS = "audit", "tasks"  # shard folders in a generation


def _read(folder: Path) -> tuple[dict, dict] | None:
    try:
        return shards.read_rows(folder)
    except shards.ShardError as exc:
        raise catalog.damaged(folder / shards.HEAD, exc) from exc


def audit_rows(gen: Path) -> dict | None:
    """``{"version", "reports": {id: row}}``, or None when the generation has none."""
    found = _read(gen / AUDIT)
    if found is None:
        return catalog.read_json(gen / "audit.json", None)
    head, rows = found
    return {**head, "reports": rows}


def task_rows(gen: Path) -> dict:
    """``{"fingerprint", "rows": {id: counts}, "sha1": {id: sha1}}``, or {}; the counts
    as a ``CountTable`` (one tuple per report, not a dict: a server keeps them)."""
    found = _read(gen / TASKS)
    if found is None:
        whole = catalog.read_json(gen / "tasks.json", {})
        if isinstance(whole.get("rows"), dict):
            whole["rows"] = CountTable(whole["rows"])
        return whole
    head, rows = found
    sha1 = {rid: row["sha1"] for rid, row in rows.items()}
    counts = CountTable({rid: row["counts"] for rid, row in rows.items()})
    return {**head, "rows": counts, "sha1": sha1}
