"""Task view and year view: what several reports say about one duty, and how a unit's
report changed from one year to the next.

This is the facade the CLI and the web UI import; it assembles the year view itself and
re-exports the task view.  The pieces live beneath it: ``taskview`` (the task view),
``tasks`` (classifying items into the duties of the 实施纲要), ``align`` (pairing and
diffing items), ``figures`` (numbers), ``promises`` (plans traced, sentences copied),
``reuse`` (boilerplate) and ``units`` (which reports are one unit's).  It reaches reports
only through the index handle (``idx.reports()``, ``idx.report(id)``,
``idx.all_reports()``, ``idx.search()``, ``idx.reuse_of()``), never the store, so the CLI and
the web UI get the same answers.  Everything returned is a plain dataclass whose
``to_dict()`` is the JSON the CLI prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..fold import fold
from ..model import Report, ReportMeta
from . import figures as fig
from .align import DiffOp, ItemRef, Pair, pair_items
from .figures import FigurePair, FigureRef
from .promises import Copied, Delivery, Promise, find_copied, trace_promises
from .tasks import CompareError, report_units
from .taskview import TaskColumn, TaskInfo, TaskItem, TaskMatrix, TaskView, task_matrix, task_view
from .units import SEP, group_reports, unit_key

MAX_COMPARE_CHARS = 60_000  # per report; real ones are 5–20k characters

__all__ = [
    "CompareError",
    "Copied",
    "Delivery",
    "DiffOp",
    "FigurePair",
    "FigureRef",
    "ItemRef",
    "Pair",
    "Promise",
    "TaskColumn",
    "TaskInfo",
    "TaskItem",
    "TaskMatrix",
    "TaskView",
    "YearView",
    "reports_for_unit",
    "task_matrix",
    "task_view",
    "year_view",
]


@dataclass
class YearView:
    a: ReportMeta
    b: ReportMeta
    pairs: list[Pair]
    figures: list[FigurePair]
    promises: list[Promise]
    copied: list[Copied]
    cut: dict[str, int] = field(default_factory=dict)  # side → paragraphs compared, if cut

    def to_dict(self) -> dict:
        extra = {"cut": self.cut} if self.cut else {}
        return extra | {
            "a": self.a.to_dict(),
            "b": self.b.to_dict(),
            "pairs": [p.to_dict() for p in self.pairs],
            "figures": [f.to_dict() for f in self.figures],
            "promises": [p.to_dict() for p in self.promises],
            "copied": [c.to_dict() for c in self.copied],
        }


def _refs(report: Report) -> list[ItemRef]:
    return [
        ItemRef(
            u.paragraph.number,
            u.paragraph.section,
            u.paragraph.heading,
            u.text,
            u.label,
            u.start,
            u.end,
        )
        for u in report_units(report)
    ]


def _get(idx: Any, report_id: str) -> Report:
    report = idx.report(report_id)
    if report is None:
        raise CompareError(f"没有报告 {report_id}（用 fazhi reports 查看报告编号）")
    return report


def _bounded(report: Report) -> tuple[Report, int | None]:
    """The report's first ``MAX_COMPARE_CHARS`` characters' worth of paragraphs.

    Alignment, promises and copy detection grow faster than linearly with length; a
    report of megabytes (a merged file, lost line breaks) would hold a page for
    minutes.  Real reports are far below the bound and are compared whole.
    """
    total = 0
    for n, paragraph in enumerate(report.paragraphs):
        total += len(paragraph.text)
        if total > MAX_COMPARE_CHARS:
            return Report(report.meta, report.paragraphs[:n]), n
    return report, None


def year_view(idx: Any, a_id: str, b_id: str) -> YearView:
    """Report ``a_id`` (earlier) against ``b_id`` (later): pairs, figures, promises, copies."""
    (a, cut_a), (b, cut_b) = _bounded(_get(idx, a_id)), _bounded(_get(idx, b_id))
    cut = {side: n for side, n in (("a", cut_a), ("b", cut_b)) if n is not None}
    refs_a, refs_b = _refs(a), _refs(b)
    figures = fig.match(
        [f for p in a.paragraphs if p.kind != "closing" for f in fig.extract(p.text, p.number)],
        [f for p in b.paragraphs if p.kind != "closing" for f in fig.extract(p.text, p.number)],
    )
    plans = [r for r in refs_a if r.section == "plans"]
    deliveries = [
        ItemRef(p.number, p.section, p.heading, p.text)
        for p in b.paragraphs
        if p.kind == "heading" and p.section in ("measures", "leadership")
    ] + [r for r in refs_b if r.section in ("measures", "leadership")]
    return YearView(
        a.meta,
        b.meta,
        pair_items(refs_a, refs_b),
        figures,
        trace_promises(plans, deliveries),
        find_copied(refs_a, refs_b),
        cut,
    )


def reports_for_unit(
    idx: Any, unit: str, from_year: int | None = None, to_year: int | None = None
) -> tuple[str, str]:
    """Ids of the unit's reports to compare: by default its two latest years; ``to_year``
    defaults to the latest, ``from_year`` to the latest year before ``to_year``.

    ``unit`` is a unit name as written (区政府办公室, 区政府办), a district and name
    (东丽区区政府办公室) or a group key (东丽区|政府办).
    """
    groups = group_reports(idx.reports())
    wanted = fold(unit)
    q_district, q_name = unit_key(unit, None).split(SEP, 1)

    def same(key: str, members: list[ReportMeta]) -> bool:
        if wanted == key or any(wanted == fold(m.unit or "") for m in members):
            return True
        district, _, name = key.rpartition(SEP)
        return name == q_name and (not q_district or district == q_district)

    matches = [key for key, members in groups.items() if same(key, members)]
    if not matches:
        raise CompareError(f"没有单位 {unit} 的报告（用 fazhi reports 查看单位名称）")
    if len(matches) > 1:
        raise CompareError(f"{unit} 指向多个单位：{'、'.join(matches)}；请写上区名或用单位键")
    by_year: dict[int, ReportMeta] = {}  # two reports of one year: the first by id is taken
    for m in groups[matches[0]]:
        if m.year is not None:
            by_year.setdefault(m.year, m)
    years = sorted(by_year)
    label = f"{unit}（{matches[0]}）"
    if len(years) < 2:
        have = "、".join(map(str, years)) or "无年份"
        raise CompareError(f"{label} 只有 {have} 年的报告，年度对比需要两年；可用 compare reports")
    to = to_year if to_year is not None else years[-1]
    if to not in by_year:
        raise CompareError(f"{label} 没有 {to} 年的报告；有：{'、'.join(map(str, years))}")
    earlier = [y for y in years if y < to]
    frm = from_year if from_year is not None else (earlier[-1] if earlier else None)
    if frm is None or frm not in by_year or frm >= to:
        raise CompareError(
            f"{label} 无法比较 {frm} → {to}；有：{'、'.join(map(str, years))}（起始年须早于终止年）"
        )
    return by_year[frm].id, by_year[to].id
