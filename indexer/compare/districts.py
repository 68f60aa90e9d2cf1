"""The task view at a province's size: districts first, their units on demand.

With 10⁴ reports one column per report is unreadable (and was 90 MB of HTML).  So a
task (or a free query) is first shown per district: how many of its reports mention
it, and the best passage — from the report with most items — while the reports of one
district come a page at a time.  The task × district heat map gives each district's
share of reports that mention each task.

Counts come from the build-time task rows (``taskview.report_rows``) or, for a query,
from one search's per-report facet; report text is read only for the passages shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model import Filters, ReportMeta
from .taskmodel import TaskColumn, TaskInfo
from .tasks import CompareError, find_task, taxonomy_fingerprint
from .taskview import (
    _query_hits,
    _tasks,
    columns_from_hits,
    report_rows,
    task_view,
)

NO_DISTRICT = "（未识别区域）"
RANKED = 300  # hits of the one ranked search a query's district summary reads


def district_of(meta: ReportMeta) -> str:
    return meta.district or NO_DISTRICT


@dataclass
class DistrictSummary:
    """One district for one task: ``mentioned`` of ``reports`` say something; ``best``
    is the column of the report that says most (its first items)."""

    district: str
    reports: int
    mentioned: int
    best: TaskColumn | None = None

    @property
    def share(self) -> float:
        return self.mentioned / self.reports if self.reports else 0.0

    def to_dict(self) -> dict:
        return {
            "district": self.district,
            "reports": self.reports,
            "mentioned": self.mentioned,
            "best": self.best.to_dict() if self.best else None,
        }


@dataclass
class DistrictView:
    task: TaskInfo | None
    query: str | None
    districts: list[DistrictSummary]
    counts: dict[str, int] = field(default_factory=dict)  # items (or hits) per report id

    def to_dict(self) -> dict:
        return {
            "task": self.task.to_dict() if self.task else None,
            "query": self.query,
            "districts": [d.to_dict() for d in self.districts],
        }


@dataclass
class DistrictMatrix:
    """``share[task_id][district] = (reports that mention it, reports)``."""

    tasks: list[TaskInfo]
    districts: list[tuple[str, int]]
    share: dict[str, dict[str, tuple[int, int]]]


def _scope(idx: Any, year: int | None) -> list[ReportMeta]:
    return [m for m in idx.reports() if year is None or m.year == year]


def report_counts(
    idx: Any, task: str | None, query: str | None, year: int | None, tasks_path=None
) -> tuple[TaskInfo | None, dict[str, int]]:
    """Items of the task (or hit paragraphs of the query) per report id in scope."""
    if bool(task) == bool(query):
        raise CompareError("give either a task (id or label) or a query, not both or neither")
    if query:
        result = idx.search(query, Filters(year=year), limit=1)
        return None, dict(result.facets.get("report", {}))
    tasks = _tasks(idx, tasks_path)
    found = find_task(tasks, task or "")
    if found is None:
        names = "、".join(f"{t.id}（{t.label}）" for t in tasks)
        raise CompareError(f"没有任务 {task}；可用：{names}")
    rows = report_rows(idx, tasks)
    in_scope = {m.id for m in _scope(idx, year)}
    counts = {rid: row.get(found.id, 0) for rid, row in rows.items() if rid in in_scope}
    return TaskInfo(found.id, found.label), {rid: n for rid, n in counts.items() if n}


def district_view(
    idx: Any,
    task: str | None = None,
    query: str | None = None,
    year: int | None = None,
    tasks_path: str | Path | None = None,
    best_items: int = 2,
) -> DistrictView:
    """Per district (by name), its reports, how many mention the task, the best passage.

    For a task the best passage is from the district's report with most items; for a
    query it is the district's best-ranked hit (one ranked search gives the counts and,
    for most districts, that hit; the others get one narrowed search each).
    """
    if query and not task:
        return _query_districts(idx, query, year, best_items)
    info, counts = report_counts(idx, task, query, year, tasks_path)
    by_district: dict[str, list[ReportMeta]] = defaultdict(list)
    for meta in _scope(idx, year):
        by_district[district_of(meta)].append(meta)
    summaries = []
    best_ids: dict[str, str] = {}
    for name in sorted(by_district):
        metas = by_district[name]
        mentioning = [m for m in metas if counts.get(m.id)]
        summaries.append(DistrictSummary(name, len(metas), len(mentioning)))
        if mentioning:
            best = max(mentioning, key=lambda m: (counts[m.id], m.year or 0, m.id))
            best_ids[best.id] = name
    if best_ids:
        view = task_view(
            idx,
            task=info.id if info else None,
            query=None if info else query,
            year=year,
            tasks_path=tasks_path,
            only=set(best_ids),
        )
        columns = {best_ids[c.report.id]: c for c in view.columns}
        for summary in summaries:
            column = columns.get(summary.district)
            if column is not None:
                summary.best = TaskColumn(column.report, column.items[:best_items])
    return DistrictView(info, query, summaries, counts)


def _query_districts(idx: Any, query: str, year: int | None, best_items: int) -> DistrictView:
    result = idx.search(query, Filters(year=year), limit=RANKED)
    counts = dict(result.facets.get("report", {}))
    by_district: dict[str, list[ReportMeta]] = defaultdict(list)
    for meta in _scope(idx, year):
        by_district[district_of(meta)].append(meta)
    metas = {m.id: m for ms in by_district.values() for m in ms}
    top: dict[str, str] = {}  # district -> report of its best-ranked hit
    for hit in result.hits:
        meta = metas.get(hit.report)
        if meta is not None:
            top.setdefault(district_of(meta), hit.report)
    summaries = []
    for name in sorted(by_district):
        mentioning = [m for m in by_district[name] if counts.get(m.id)]
        summaries.append(DistrictSummary(name, len(by_district[name]), len(mentioning)))
        if mentioning and name not in top:  # no hit in the ranked page: its busiest report
            top[name] = max(mentioning, key=lambda m: (counts[m.id], m.year or 0, m.id)).id
    ranked = [h for h in result.hits if h.report in set(top.values())]
    missing_hits = set(top.values()) - {h.report for h in ranked}
    if missing_hits:
        ranked += _query_hits(idx, query, year, missing_hits)[0]
    columns = {c.report.id: c for c in columns_from_hits(idx, ranked, idx.reuse_of())}
    for summary in summaries:
        column = columns.get(top.get(summary.district, ""))
        if column is not None:
            summary.best = TaskColumn(column.report, column.items[:best_items])
    return DistrictView(None, query, summaries, counts)


def district_reports(
    idx: Any, district: str, year: int | None, counts: dict[str, int]
) -> tuple[list[ReportMeta], list[ReportMeta]]:
    """A district's reports in scope: those that mention (by count, most first) and the rest."""
    metas = [m for m in _scope(idx, year) if district_of(m) == district]
    mentioning = sorted(
        (m for m in metas if counts.get(m.id)), key=lambda m: (-counts[m.id], m.unit or "", m.id)
    )
    silent = [m for m in metas if not counts.get(m.id)]
    return mentioning, silent


def district_matrix(idx: Any, year: int | None = None, tasks_path=None) -> DistrictMatrix:
    """Task × district: how many of the district's reports mention each task.

    Every task page shows it (0.2 s of a loop over every report at 300k paragraphs), so it
    is made once per generation, taxonomy and year (``idx.derived``)."""
    tasks = _tasks(idx, tasks_path)
    derived = getattr(idx, "derived", None)
    if derived is None:
        return _district_matrix(idx, tasks, year)
    key = f"district-matrix:{taxonomy_fingerprint(tasks)}:{year}"
    return derived(key, lambda _: _district_matrix(idx, tasks, year))


def _district_matrix(idx: Any, tasks: list, year: int | None) -> DistrictMatrix:
    rows = report_rows(idx, tasks)
    sizes: dict[str, int] = defaultdict(int)
    share: dict[str, dict[str, list[int]]] = {t.id: defaultdict(lambda: [0, 0]) for t in tasks}
    for meta in _scope(idx, year):
        name = district_of(meta)
        sizes[name] += 1
        row = rows.get(meta.id, {})
        for t in tasks:
            cell = share[t.id][name]
            cell[1] += 1
            cell[0] += 1 if row.get(t.id) else 0
    return DistrictMatrix(
        [TaskInfo(t.id, t.label) for t in tasks],
        sorted(sizes.items()),
        {tid: {d: (c[0], c[1]) for d, c in cells.items()} for tid, cells in share.items()},
    )
