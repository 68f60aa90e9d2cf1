"""A page of the report list, with facet counts that work as filters.

At a province's size (10⁴ reports) no page can list every report or every facet
value.  ``report_page`` filters the reports' metadata (unit, district, year, and an
optional set of ids, e.g. the reports that never mention a query), counts each facet
over the filtered reports and cuts one page; ``top_facet`` keeps a facet's first N
values.  Pure functions over ``ReportMeta``: any store, any front end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from .model import ReportMeta

UNKNOWN = "未知"
LIST_FACETS = ("district", "year", "unit")


@dataclass
class ReportPage:
    """``items`` is one page of the ``total`` reports that pass the filters."""

    total: int
    items: list[ReportMeta]
    page: int
    size: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.size))

    def to_dict(self) -> dict:
        return {
            "total": self.total,
            "page": self.page,
            "size": self.size,
            "reports": [m.to_dict() for m in self.items],
            "facets": self.facets,
        }


def facet_value(meta: ReportMeta, name: str) -> str:
    value = getattr(meta, name)
    return UNKNOWN if value in (None, "") else str(value)


def matches(meta: ReportMeta, wanted: dict[str, str | int | None]) -> bool:
    return all(
        value in (None, "") or facet_value(meta, name) == str(value)
        for name, value in wanted.items()
    )


def report_page(
    metas: Iterable[ReportMeta],
    wanted: dict[str, str | int | None] | None = None,
    page: int = 1,
    size: int = 50,
    only: Collection[str] | None = None,
) -> ReportPage:
    """Reports passing ``wanted`` (facet → value) and, if given, with ids in ``only``.

    Facet counts are over the filtered reports, so each count is what clicking the value
    would leave (a chosen facet shows its one value).
    """
    wanted = wanted or {}
    if only is not None and not isinstance(only, set | frozenset | dict):
        only = set(only)
    chosen = [m for m in metas if (only is None or m.id in only) and matches(m, wanted)]
    counts = {name: Counter(facet_value(m, name) for m in chosen) for name in LIST_FACETS}
    facets = {
        name: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for name, c in counts.items()
    }
    start = (max(1, page) - 1) * size
    return ReportPage(len(chosen), chosen[start : start + size], page, size, facets)


def top_facet(counts: dict[str, int], n: int) -> tuple[dict[str, int], int]:
    """The first ``n`` values of a facet (already ordered by count) and how many were cut."""
    if n <= 0 or len(counts) <= n:
        return counts, 0
    return dict(list(counts.items())[:n]), len(counts) - n
