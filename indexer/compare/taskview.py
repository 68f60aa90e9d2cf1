"""The task view: what every report says about one duty, side by side.

Built on ``tasks`` (which items address which duty, and why) and, for a free query, on
``idx.search``; the reuse table dims boilerplate inside the items.  ``compare`` re-exports
everything here, which is the name the CLI and the web UI use.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from ..model import Filters, Paragraph, Report, Span
from .reuse import reused_spans
from .taskhits import engine_rows, task_paragraphs, task_units
from .taskmodel import TaskColumn, TaskInfo, TaskItem, TaskMatrix, TaskView
from .tasks import (
    CompareError,
    Task,
    Unit,
    evidence,
    find_task,
    load_tasks,
    mentioning_paragraphs,
    paragraph_units,
    resolve_tasks_path,
    task_counts,
    taxonomy_fingerprint,
    units_by_task,
)

UNKNOWN = "未知"  # what the store indexes for a unit or district the text does not state


def _tasks(idx: Any, tasks_path: str | Path | None) -> list[Task]:
    """The taxonomy: an explicit path, else the corpus folder's tasks.toml, else the default.

    Read once per generation and file version (parsing and checking it cost a task page
    ~30 ms a request); an edited file is read again.
    """
    corpus_dir = getattr(idx, "corpus_dir", None)
    derived = getattr(idx, "derived", None)
    if derived is None:
        return load_tasks(tasks_path, corpus_dir)
    source = resolve_tasks_path(tasks_path, corpus_dir)
    try:
        version = source.stat().st_mtime_ns
    except OSError:
        return load_tasks(tasks_path, corpus_dir)  # raises TaxonomyError naming the file
    return derived(f"tasks:{source}:{version}", lambda _: load_tasks(tasks_path, corpus_dir))


def task_matrix(idx: Any, tasks_path: str | Path | None = None) -> TaskMatrix:
    """Counts of items per task and report (``fazhi tasks``).

    The build counts every report against the corpus's taxonomy once (``idx.task_rows``);
    another taxonomy (``--tasks``) is counted here, on the fly.
    """
    tasks = _tasks(idx, tasks_path)
    rows = report_rows(idx, tasks)
    metas = [m for m in idx.reports() if m.id in rows]
    counts: dict[str, dict[str, int]] = {t.id: {} for t in tasks}
    for meta in metas:
        row = rows[meta.id]
        for tid in counts:
            counts[tid][meta.id] = row.get(tid, 0)
    return TaskMatrix([TaskInfo(t.id, t.label) for t in tasks], metas, counts)


def report_rows(idx: Any, tasks: list[Task]) -> dict[str, dict[str, int]]:
    """Items per task for every report: the build's rows (metadata only, no report is
    read) when made with this taxonomy, else from the engine's hits (``taskhits``: no
    report read on a cluster), else counted here from each report."""
    rows = _rows(idx, tasks)
    if rows is not None and all(m.id in rows for m in idx.reports()):
        return rows
    if rows is None:
        asked = engine_rows(idx, tasks)
        if asked is not None:
            return asked
    rows = dict(rows or {})
    for meta in idx.reports():
        if meta.id not in rows:
            report = idx.report(meta.id)
            if report is not None:
                rows[meta.id] = task_counts(report, tasks)
    return rows


def _rows(idx: Any, tasks: list[Task]) -> dict[str, dict[str, int]] | None:
    """The index-time rows, if they were counted with this very taxonomy."""
    stored = idx.task_rows() if hasattr(idx, "task_rows") else {}
    if stored.get("fingerprint") == taxonomy_fingerprint(tasks):
        return stored.get("rows", {})
    return None


def _shift(spans: list[tuple[int, int]] | list[Span], start: int, end: int) -> list[Span]:
    """Spans of a paragraph clipped to ``[start, end)`` and made relative to ``start``."""
    out = []
    for sp in spans:
        s, e = (sp.start, sp.end) if isinstance(sp, Span) else sp
        if e > start and s < end:
            out.append(Span(max(s, start) - start, min(e, end) - start))
    return out


def _task_item(unit: Unit, highlights: list[Span], reuse: dict, report_id: str) -> TaskItem:
    p = unit.paragraph
    reused = _shift(reused_spans(reuse, report_id, p.number), unit.start, unit.end)
    return TaskItem(
        p.number,
        p.section,
        p.heading,
        unit.text,
        highlights,
        unit.label,
        unit.start,
        unit.end,
        reused,
    )


def task_view(
    idx: Any,
    task: str | None = None,
    query: str | None = None,
    year: int | None = None,
    tasks_path: str | Path | None = None,
    only: Collection[str] | None = None,
) -> TaskView:
    """Per report, the items about a task (id or label) or matching a free query.

    A task's items are those its keywords (or its sections) mark; a query's are the
    search hits, narrowed to the items of the paragraph that hold a highlighted term.
    ``missing`` lists the reports (of ``year``, if given) with no such item.  ``only``
    restricts the view to those report ids (a page of a district, a district's best
    report), so its cost follows the reports shown, not the corpus.
    """
    if bool(task) == bool(query):
        raise CompareError("give either a task (id or label) or a query, not both or neither")
    reuse = idx.reuse_of()  # each report's spans read from its shard when shown
    if query:
        return _query_view(idx, query, year, reuse, only)
    tasks = _tasks(idx, tasks_path)
    found = find_task(tasks, task or "")
    if found is None:
        names = "、".join(f"{t.id}（{t.label}）" for t in tasks)
        raise CompareError(f"没有任务 {task}；可用：{names}")
    if only is None:
        view = _engine_task_view(idx, found, year, reuse)
        if view is not None:
            return view
    columns, missing = [], []
    rows = _rows(idx, tasks) or {}
    for meta in idx.reports():
        if (year is not None and meta.year != year) or (only is not None and meta.id not in only):
            continue
        row = rows.get(meta.id)
        if row is not None and not row.get(found.id):
            missing.append(meta.id)  # the build already counted none here
            continue
        report = idx.report(meta.id)
        if report is None:
            continue
        units, hits = units_by_task(report, [found])
        items = []
        for k in hits[found.id]:
            spans = [Span(s, e) for s, e in evidence(found, units[k].text)]
            items.append(_task_item(units[k], spans, reuse, report.meta.id))
        if not items:  # mentioned outside any item (a heading, a short lead-in): show it
            for p in mentioning_paragraphs(report, found):
                unit = Unit(p, "", 0, len(p.text))
                spans = [Span(s, e) for s, e in evidence(found, p.text)]
                items.append(_task_item(unit, spans, reuse, report.meta.id))
        if items:
            columns.append(TaskColumn(report.meta, items))
        else:
            missing.append(report.meta.id)
    return TaskView(TaskInfo(found.id, found.label), None, columns, missing)


def _engine_task_view(idx: Any, task: Task, year: int | None, reuse: dict) -> TaskView | None:
    """The whole task view from one search per task: only the paragraphs that can count
    are read (``taskhits``); ``None`` if the engine cannot be asked."""
    found = task_paragraphs(idx, task, year)
    if found is None:
        return None
    columns, missing = [], []
    for meta in idx.reports():
        if year is not None and meta.year != year:
            continue
        units = task_units(meta, found[meta.id], task) if meta.id in found else []
        items = [
            _task_item(u, [Span(s, e) for s, e in evidence(task, u.text)], reuse, meta.id)
            for u in units
        ]
        if items:
            columns.append(TaskColumn(meta, items))
        else:
            missing.append(meta.id)
    return TaskView(TaskInfo(task.id, task.label), None, columns, missing)


def _query_hits(
    idx: Any, query: str, year: int | None, only: Collection[str] | None
) -> tuple[list, list[str], dict[tuple[str, int], Any]]:
    """Every hit of ``query`` (in ``year``), the reports without one and each hit's parsed
    paragraph; with ``only``, one search per listed report, narrowed by its unit,
    district and year."""
    if only is None:
        result, paragraphs = idx.search_paragraphs(query, Filters(year=year))
        parsed = {(h.report, h.paragraph): p for h, p in zip(result.hits, paragraphs, strict=True)}
        return result.hits, list(result.missing), parsed
    hits, missing, parsed = [], [], {}
    for meta in idx.reports():
        if meta.id not in only or (year is not None and meta.year != year):
            continue
        scope = Filters(
            unit=meta.unit or UNKNOWN, district=meta.district or UNKNOWN, year=meta.year
        )
        result, paragraphs = idx.search_paragraphs(query, scope)
        for hit, paragraph in zip(result.hits, paragraphs, strict=True):
            if hit.report == meta.id:
                hits.append(hit)
                parsed[(hit.report, hit.paragraph)] = paragraph
        if not any(h.report == meta.id for h in result.hits):
            missing.append(meta.id)
    return hits, missing, parsed


def _query_view(
    idx: Any, query: str, year: int | None, reuse: dict, only: Collection[str] | None = None
) -> TaskView:
    """Each hit comes with its paragraph (on a cluster from the engine: no report read)."""
    hits, missing, parsed = _query_hits(idx, query, year, only)
    return TaskView(None, query, columns_from_hits(idx, hits, reuse, parsed), missing)


def columns_from_hits(
    idx: Any, all_hits: list, reuse: dict, parsed: dict[tuple[str, int], Any] | None = None
) -> list[TaskColumn]:
    """One column per report with hits (in report order): the items holding a highlight.
    ``parsed``: the hits' paragraphs by (report, number), if the search gave them;
    otherwise each hit's report is read."""
    hits_by_report: dict[str, list] = {}
    for hit in all_hits:
        hits_by_report.setdefault(hit.report, []).append(hit)
    columns = []
    for meta in idx.reports():
        hits = sorted(hits_by_report.get(meta.id, []), key=lambda h: h.paragraph)
        if not hits:
            continue
        report = None if parsed is not None else idx.report(meta.id)
        if parsed is None and report is None:
            continue
        items: list[TaskItem] = []
        for hit in hits:
            if parsed is not None:
                paragraph = parsed.get((hit.report, hit.paragraph))
            else:
                paragraph = _paragraph(report, hit.paragraph)
            if paragraph is None:
                continue
            units = paragraph_units(paragraph)
            marked = [u for u in units if _shift(hit.highlights, u.start, u.end)] or [
                Unit(paragraph, "", 0, len(paragraph.text))
            ]
            for u in marked:
                items.append(_task_item(u, _shift(hit.highlights, u.start, u.end), reuse, meta.id))
        if items:
            columns.append(TaskColumn(meta, items))
    return columns


def _paragraph(report: Report, number: int) -> Paragraph | None:
    if 1 <= number <= len(report.paragraphs) and report.paragraphs[number - 1].number == number:
        return report.paragraphs[number - 1]
    return next((p for p in report.paragraphs if p.number == number), None)
