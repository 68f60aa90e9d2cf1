"""Task counts and task columns from the search engine's hits, not from every report.

A paragraph can hold an item about a task only if it holds one of the task's keywords
(folded, ASCII case ignored) or lies in one of the task's sections.  So one search —
the keywords as bare words or quoted phrases, ORed with ``section:…`` — returns every
paragraph that can count, grouped by report by the engine, and the counting rules of
``tasks`` run on those paragraphs alone: the same numbers as on the whole report, while
reports with no such paragraph are never read (on a cluster the hits carry their
parse, so no report file is read at all).  A task whose keywords the query syntax
cannot say exactly, or an answer with a shard missing, gives ``None``: the caller then
counts from the reports, as before.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from ..errors import QueryError
from ..model import Filters, Paragraph, Report, ReportMeta
from .tasks import Task, Unit, mentioning_paragraphs, task_counts, units_by_task

MAX_QUERY = 900  # characters per search (the query API takes up to 1,000)
ASCII_LETTER = re.compile(r"[a-z]")


def keyword_term(keyword: str) -> str | None:
    """``keyword`` (folded, ASCII lowercased) as a query term matching exactly the
    paragraphs whose folded text contains it, ASCII case ignored: a bare word when it is
    one word of letters and digits, else a quoted phrase (case-exact, so only without
    ASCII letters); ``None`` when neither says it."""
    if keyword.isalnum():
        return keyword
    if '"' in keyword or ASCII_LETTER.search(keyword):
        return None
    return f'"{keyword}"'


def task_terms(task: Task) -> list[str] | None:
    """Query terms whose hits together are every paragraph that can count for ``task``."""
    terms = [keyword_term(k) for k in task.folded_keywords]
    if any(t is None for t in terms):
        return None
    return [*terms, *(f"section:{s}" for s in task.sections)]  # type: ignore[list-item]


def or_queries(terms: list[str]) -> list[str]:
    """``terms`` ORed, in as few searches as the query length allows."""
    queries, current = [], ""
    for term in dict.fromkeys(terms):
        joined = f"{current} OR {term}" if current else term
        if len(joined) > MAX_QUERY and current:
            queries.append(current)
            joined = term
        current = joined
    return [*queries, current] if current else []


def task_queries(task: Task) -> list[str] | None:
    """The searches whose hits together are every paragraph that can count for ``task``."""
    terms = task_terms(task)
    return None if terms is None else or_queries(terms)


def _hit_paragraphs(
    idx: Any, queries: list[str], year: int | None
) -> dict[str, list[Paragraph]] | None:
    """Report id → the paragraphs that the searches hit (report order), or ``None``."""
    found: dict[str, dict[int, Paragraph]] = defaultdict(dict)
    for text in queries:
        try:
            result, paragraphs = idx.search_paragraphs(text, Filters(year=year), marks=False)
        except QueryError:
            return None  # a keyword the query checks refuse: count from the reports
        if result.partial:
            return None  # a shard is down: these counts would be short
        for hit, paragraph in zip(result.hits, paragraphs, strict=True):
            if paragraph is None:
                return None
            found[hit.report][paragraph.number] = paragraph
    return {rid: [by_n[n] for n in sorted(by_n)] for rid, by_n in found.items()}


def task_paragraphs(
    idx: Any, task: Task, year: int | None = None
) -> dict[str, list[Paragraph]] | None:
    """Report id → its paragraphs that can count for ``task`` (report order), or ``None``."""
    queries = task_queries(task)
    return None if queries is None else _hit_paragraphs(idx, queries, year)


def task_units(meta: ReportMeta, paragraphs: list[Paragraph], task: Task) -> list[Unit]:
    """The units of a report about ``task`` as ``tasks.task_counts`` counts them: its
    items, or else the paragraphs that mention it (a heading, a short lead-in)."""
    report = Report(meta, paragraphs)
    units, hits = units_by_task(report, [task])
    chosen = [units[k] for k in hits[task.id]]
    return chosen or [Unit(p, "", 0, len(p.text)) for p in mentioning_paragraphs(report, task)]


def engine_rows(
    idx: Any, tasks: list[Task], year: int | None = None
) -> dict[str, dict[str, int]] | None:
    """Items per task for every report in scope; ``None`` if some task cannot be asked
    of the engine.  Every task's terms are ORed into as few searches as fit (a paragraph
    is fetched once, however many tasks it may count for), and each report is counted
    once over its hit paragraphs: any superset of a task's paragraphs counts it the same."""
    terms = [task_terms(t) for t in tasks]
    if any(t is None for t in terms):
        return None
    found = _hit_paragraphs(idx, or_queries([x for ts in terms for x in ts or []]), year)
    if found is None:
        return None
    metas = {m.id: m for m in idx.reports() if year is None or m.year == year}
    rows = {rid: {t.id: 0 for t in tasks} for rid in metas}
    for rid, paragraphs in found.items():
        if rid in rows:
            rows[rid] = task_counts(Report(metas[rid], paragraphs), tasks)
    return rows
