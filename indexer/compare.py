"""Task view and year view: what several reports say about one duty, and how a unit's
report changed from one year to the next.

This module only assembles; the pieces live beneath it (``tasks`` classifies text into
duties of the 实施纲要, ``align`` pairs and diffs items, ``figures`` reads numbers,
``reuse`` knows the boilerplate, ``units`` decides which reports belong to one unit).
It works on ``Report`` dataclasses through the index handle only (``idx.reports()``,
``idx.report(id)``, ``idx.all_reports()``, ``idx.search()``), never on the store, so the
CLI and the web UI get the same answers.  Everything returned is a plain dataclass with a
``to_dict()`` giving the JSON the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import ReportMeta, Span


class CompareError(Exception):
    """A comparison that cannot be made (unknown task, unit or report; one year only).

    The message says what was asked and what exists, so the CLI can show it as is.
    """


def _spans(spans: list[Span]) -> list[list[int]]:
    return [[s.start, s.end] for s in spans]


@dataclass
class TaskInfo:
    id: str
    label: str

    def to_dict(self) -> dict:
        return {"id": self.id, "label": self.label}


@dataclass
class TaskMatrix:
    """How many items of each report speak of each task: ``counts[task_id][report_id]``."""

    tasks: list[TaskInfo]
    reports: list[ReportMeta]
    counts: dict[str, dict[str, int]]

    def to_dict(self) -> dict:
        return {
            "tasks": [t.to_dict() for t in self.tasks],
            "reports": [r.to_dict() for r in self.reports],
            "counts": self.counts,
        }


@dataclass
class TaskItem:
    """One item (一是… unit, or a whole paragraph) about the task.

    ``text`` is the item's own text; ``start``/``end`` locate it in the paragraph so a page
    can link to it; ``highlights`` are offsets into ``text``; ``reused`` are offsets into
    ``text`` of sentences found near-verbatim in other reports (boilerplate to dim).
    """

    paragraph: int
    section: str
    heading: list[str]
    text: str
    highlights: list[Span] = field(default_factory=list)
    item: str = ""
    start: int = 0
    end: int = 0
    reused: list[Span] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "paragraph": self.paragraph,
            "section": self.section,
            "heading": self.heading,
            "text": self.text,
            "highlights": _spans(self.highlights),
            "item": self.item,
            "start": self.start,
            "end": self.end,
            "reused": _spans(self.reused),
        }


@dataclass
class TaskColumn:
    report: ReportMeta
    items: list[TaskItem]

    def to_dict(self) -> dict:
        m = self.report
        return {
            "report": m.id,
            "unit": m.unit,
            "district": m.district,
            "year": m.year,
            "items": [i.to_dict() for i in self.items],
        }


@dataclass
class TaskView:
    """Columns for the reports that address the task, in unit/year order; ``missing`` are
    the ids of the reports (within the year filter) that say nothing about it."""

    task: TaskInfo | None
    query: str | None
    columns: list[TaskColumn]
    missing: list[str]

    def to_dict(self) -> dict:
        return {
            "task": self.task.to_dict() if self.task else None,
            "query": self.query,
            "columns": [c.to_dict() for c in self.columns],
            "missing": self.missing,
        }


@dataclass
class ItemRef:
    """An item of a report in a year view: where it is and what it says."""

    paragraph: int
    section: str
    heading: list[str]
    text: str
    item: str = ""
    start: int = 0
    end: int = 0

    def to_dict(self) -> dict:
        return {
            "paragraph": self.paragraph,
            "section": self.section,
            "heading": self.heading,
            "text": self.text,
            "item": self.item,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class DiffOp:
    op: str  # equal | insert | delete
    text: str

    def to_dict(self) -> dict:
        return {"op": self.op, "text": self.text}


@dataclass
class Pair:
    """``unchanged`` / ``changed`` (a and b) / ``new`` (b only) / ``dropped`` (a only)."""

    status: str
    section: str
    a: ItemRef | None
    b: ItemRef | None
    diff: list[DiffOp] = field(default_factory=list)
    score: float = 0.0

    def to_dict(self) -> dict:
        return {
            "status": self.status,
            "section": self.section,
            "a": self.a.to_dict() if self.a else None,
            "b": self.b.to_dict() if self.b else None,
            "diff": [d.to_dict() for d in self.diff],
            "score": round(self.score, 3),
        }


@dataclass
class FigureRef:
    """A number with its counter as written (``审核合同23件``) and where it stands."""

    value: float
    counter: str
    text: str
    context: str
    paragraph: int
    start: int
    end: int

    def to_dict(self) -> dict:
        return {
            "value": self.value,
            "counter": self.counter,
            "text": self.text,
            "context": self.context,
            "paragraph": self.paragraph,
            "start": self.start,
            "end": self.end,
        }


@dataclass
class FigurePair:
    """The same measure in both years (a and b), or a figure only one year states."""

    counter: str
    a: FigureRef | None
    b: FigureRef | None
    score: float = 0.0

    def to_dict(self) -> dict:
        change = None
        if self.a is not None and self.b is not None:
            change = round(self.b.value - self.a.value, 4)
        return {
            "counter": self.counter,
            "a": self.a.to_dict() if self.a else None,
            "b": self.b.to_dict() if self.b else None,
            "change": change,
            "score": round(self.score, 3),
        }


@dataclass
class Delivery:
    item: ItemRef
    sentence: str
    score: float

    def to_dict(self) -> dict:
        return {
            "item": self.item.to_dict(),
            "sentence": self.sentence,
            "score": round(self.score, 3),
        }


@dataclass
class Promise:
    """One thing A planned, beside what B reports doing that resembles it most.

    ``status`` is ``found`` when the best score reaches the threshold, else
    ``no trace found``; the score is always stated so a reader can judge.
    """

    plan: ItemRef
    text: str
    status: str
    score: float
    matches: list[Delivery] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "plan": self.plan.to_dict(),
            "text": self.text,
            "status": self.status,
            "score": round(self.score, 3),
            "matches": [m.to_dict() for m in self.matches],
        }


@dataclass
class Copied:
    """A sentence of B that repeats one of A verbatim (score 1) or nearly."""

    text: str
    a_text: str
    a_paragraph: int
    b_paragraph: int
    b_start: int
    b_end: int
    score: float

    def to_dict(self) -> dict:
        return {
            "text": self.text,
            "a_text": self.a_text,
            "a_paragraph": self.a_paragraph,
            "b_paragraph": self.b_paragraph,
            "b_start": self.b_start,
            "b_end": self.b_end,
            "score": round(self.score, 3),
        }


@dataclass
class YearView:
    a: ReportMeta
    b: ReportMeta
    pairs: list[Pair]
    figures: list[FigurePair]
    promises: list[Promise]
    copied: list[Copied]

    def to_dict(self) -> dict:
        return {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "pairs": [p.to_dict() for p in self.pairs],
            "figures": [f.to_dict() for f in self.figures],
            "promises": [p.to_dict() for p in self.promises],
            "copied": [c.to_dict() for c in self.copied],
        }


def task_matrix(idx: Any, tasks_path: str | Path | None = None) -> TaskMatrix:
    """Counts of items per task and report (``fazhi tasks``)."""
    raise NotImplementedError


def task_view(
    idx: Any,
    task: str | None = None,
    query: str | None = None,
    year: int | None = None,
    tasks_path: str | Path | None = None,
) -> TaskView:
    """Per report, the items about a task (id or label) or matching a free query."""
    raise NotImplementedError


def year_view(idx: Any, a_id: str, b_id: str) -> YearView:
    """Report ``a_id`` (earlier) against ``b_id`` (later): pairs, figures, promises, copies."""
    raise NotImplementedError


def reports_for_unit(
    idx: Any, unit: str, from_year: int | None = None, to_year: int | None = None
) -> tuple[str, str]:
    """Ids of the unit's reports to compare: the two latest years unless told otherwise."""
    raise NotImplementedError
