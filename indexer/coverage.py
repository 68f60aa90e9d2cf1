"""Facets, 未提及 and the year spread of a search, counted with numpy over the reports.

A store counts hits per report and per section; unit, district and year are constant
within a report, so their facets, the reports in scope that have no hit (``missing``,
read by users as a finding: it must be exact) and the per-year spread all follow from
the per-report counts and the report metadata.  At a province's size (10⁴–10⁵ reports)
doing that with a Python loop over every report was about half of a common phrase's
query time; here the metadata become integer codes once per generation
(``ReportTable``, shared through ``GenerationData.memo``) and each search is a few
vector operations over them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from itertools import repeat

import numpy as np

from .model import Filters, ReportMeta, YearCount
from .store.base import UNKNOWN, LabelCounts

DERIVED = ("unit", "district", "year")  # facets that follow from the report


def _ordered(labels: list[str], counts: np.ndarray) -> dict[str, int]:
    """Non-zero counts by count (high first), then label — ``labels`` must be sorted."""
    held = np.flatnonzero(counts)
    order = held[np.argsort(-counts[held], kind="stable")]
    return {labels[i]: int(counts[i]) for i in order}


class _Coded:
    """One metadata field of every report as codes into its sorted distinct labels."""

    def __init__(self, values: list[str]) -> None:
        self.labels = sorted(set(values))
        where = {label: i for i, label in enumerate(self.labels)}
        self.codes = np.fromiter(map(where.__getitem__, values), np.int64, len(values))
        self._where = where

    def equal(self, wanted: str) -> np.ndarray:
        code = self._where.get(wanted)
        if code is None:
            return np.zeros(len(self.codes), dtype=bool)
        return self.codes == code


class ReportTable:
    """Every report's id, unit, district and year as arrays, rows in id order.

    ``display`` is the row order reports are listed in (unit, year, id — as
    ``Index.reports()``), so ``missing`` keeps the order it always had.
    """

    def __init__(self, ids: list[str], units: list, districts: list, years: list) -> None:
        ids = [sys.intern(i) for i in ids]  # one copy of each id with the metadata's (a server)
        self.ids = np.array(ids, dtype=object)
        self._row: dict[str, int] | None = None
        columns = {"unit": units, "district": districts, "year": years}
        self.fields = {
            name: _Coded([UNKNOWN if v is None else str(v) for v in columns[name]])
            for name in DERIVED
        }
        self.years = np.array([-1 if y is None else y for y in years], dtype=np.int64)
        # listed by (unit or "", year or 0), ties in id order (lexsort is stable)
        by_unit = _Coded([u or "" for u in units]).codes
        by_year = np.fromiter((y or 0 for y in years), np.int64, len(years))
        self.display = np.lexsort((by_year, by_unit)).astype(np.int64)
        self._label_rows: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def of_metas(cls, metas: Iterable[ReportMeta]) -> ReportTable:
        rows = sorted(metas, key=lambda m: m.id)
        return cls(
            [m.id for m in rows],
            [m.unit for m in rows],
            [m.district for m in rows],
            [m.year for m in rows],
        )

    @classmethod
    def of_columns(cls, columns: dict[str, list]) -> ReportTable:
        """From ``report-table.json`` (``store.report_table``): rows already in id order."""
        return cls(columns["id"], columns["unit"], columns["district"], columns["year"])

    def in_scope(self, filters: Filters) -> np.ndarray:
        """Reports that could have hits under ``filters`` (section does not exclude one)."""
        mask = np.ones(len(self.ids), dtype=bool)
        for name in DERIVED:
            wanted = getattr(filters, name)
            if wanted not in (None, ""):
                mask &= self.fields[name].equal(str(wanted))
        return mask

    def coverage(
        self, by_report: Mapping[str, int], sections: Mapping[str, int], filters: Filters
    ) -> tuple[dict[str, dict[str, int]], list[str], list[YearCount]]:
        """(facets, missing ids, by_year) of one search from the store's counts."""
        hits = np.zeros(len(self.ids), dtype=np.int64)
        if isinstance(by_report, LabelCounts):  # the store's arrays: no dict either way
            rows = self._rows_of(by_report.labels)[by_report.held]
            values = np.asarray(by_report.counts, dtype=np.int64)
        else:
            rows = np.fromiter(map(self.row.get, by_report, repeat(-1)), np.int64, len(by_report))
            values = np.fromiter(by_report.values(), np.int64, len(by_report))
        known = rows >= 0
        hits[rows[known]] = values[known]
        stray = int(values[~known].sum())  # hits of reports the metadata do not list: 未知
        if known.all():  # rows are in id order: sort by (-count, id) without Python keys
            order = np.lexsort((rows, -values))
            report_facet = dict(
                zip(self.ids[rows[order]].tolist(), values[order].tolist(), strict=True)
            )
        else:
            report_facet = dict(sorted(by_report.items(), key=lambda kv: (-kv[1], kv[0])))
        facets: dict[str, dict[str, int]] = {"report": report_facet}
        for name in DERIVED:
            field = self.fields[name]
            labels = field.labels
            summed = np.bincount(field.codes, weights=hits, minlength=len(labels))
            summed = summed.astype(np.int64)
            if stray:
                if UNKNOWN not in field._where:
                    labels = sorted([*labels, UNKNOWN])
                    summed = np.insert(summed, labels.index(UNKNOWN), 0)
                summed[labels.index(UNKNOWN)] += stray
            facets[name] = _ordered(labels, summed)
        facets["section"] = dict(sorted(sections.items(), key=lambda kv: (-kv[1], kv[0])))
        scope = self.in_scope(filters)
        absent = scope & (hits == 0)
        missing = self.ids[self.display[absent[self.display]]].tolist()
        return facets, missing, self._by_year(scope, hits > 0)

    @property
    def row(self) -> dict[str, int]:
        """Report id → row; made when first asked (a first search whose store column
        lists exactly these ids never needs it: ``_rows_of``)."""
        if self._row is None:
            self._row = {rid: i for i, rid in enumerate(self.ids.tolist())}
        return self._row

    def _rows_of(self, labels: np.ndarray) -> np.ndarray:
        """This table's row of each of a store column's ``labels`` (-1: not listed),
        made once per labels array — a generation's column is one array for all its
        searches — and kept with it.  Both are sorted ids, so where they are the same
        ids (every report has paragraphs, none was removed since the store's segments
        were written) the rows are 0…n-1, seen with one element-wise comparison."""
        made = self._label_rows
        if made is None or made[0] is not labels:
            if len(labels) == len(self.ids) and bool((labels == self.ids).all()):
                rows = np.arange(len(labels), dtype=np.int64)
            else:
                rows = np.fromiter(map(self.row.get, labels.tolist(), repeat(-1)), np.int64)
            made = self._label_rows = (labels, rows)
        return made[1]

    def _by_year(self, scope: np.ndarray, hit: np.ndarray) -> list[YearCount]:
        """Per known year, ascending: reports in scope, and those with a hit."""
        known = scope & (self.years >= 0)
        years, where = np.unique(self.years[known], return_inverse=True)
        reports = np.bincount(where, minlength=len(years))
        mentioning = np.bincount(where, weights=hit[known], minlength=len(years))
        return [
            YearCount(int(y), int(r), int(m))
            for y, r, m in zip(years.tolist(), reports.tolist(), mentioning.tolist(), strict=True)
        ]
