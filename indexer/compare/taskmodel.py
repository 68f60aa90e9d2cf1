"""What a task view and a task matrix hold: plain dataclasses with ``to_dict`` (JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import ReportMeta, Span


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
