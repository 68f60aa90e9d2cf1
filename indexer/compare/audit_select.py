"""Which audit rows to show and in what order: one implementation for the CLI, the page
and the CSV (``audit`` makes the rows)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..fold import fold
from .audit import ON_TIME, AuditRow

SORT_KEYS = (
    "unit",
    "district",
    "year",
    "date",
    "parts",
    "on_time",
    "chars",
    "figures",
    "figures_per_1k",
    "previous_year",
    "copied",
    "boilerplate",
)


@dataclass
class AuditFilter:
    """What to keep: ``None`` (or empty) keeps all.  ``missing`` names a part the report
    lacks; ``unit`` matches a substring of the unit name."""

    unit: str | None = None
    district: str | None = None
    year: int | None = None
    missing: str | None = None
    on_time: str | None = None

    def keeps(self, row: AuditRow) -> bool:
        m = row.report
        return (
            (not self.unit or fold(self.unit) in fold(m.unit or ""))
            and (not self.district or self.district == (m.district or ""))
            and (self.year is None or self.year == m.year)
            and (not self.missing or self.missing in row.missing)
            and (not self.on_time or self.on_time == row.on_time)
        )


def _sort_value(row: AuditRow, key: str) -> Any:
    m = row.report
    values = {
        "unit": m.unit or "",
        "district": m.district or "",
        "year": m.year or 0,
        "date": m.date or "",
        "parts": sum(p is not None for p in row.parts.values()),
        "on_time": ON_TIME.index(row.on_time),
        "chars": row.chars,
        "figures": row.figures,
        "figures_per_1k": row.figures_per_1k,
    }
    return values[key] if key in values else row.reuse.get(key, 0.0)


def select(rows: Iterable[AuditRow], where: AuditFilter, sort: str = "unit") -> list[AuditRow]:
    """Rows ``where`` keeps, sorted by ``sort`` (a ``SORT_KEYS`` name; ``-name`` descends).
    Ties keep the index order (unit, year, id), so the order is stable."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        raise ValueError(f"unknown sort key {key!r}; one of {', '.join(SORT_KEYS)}")
    kept = [r for r in rows if where.keeps(r)]
    return sorted(kept, key=lambda r: _sort_value(r, key), reverse=descending)
