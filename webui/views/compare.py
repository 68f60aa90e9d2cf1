"""Task comparison (one column per report) and year comparison (two aligned columns).

Both pages are presentations of ``indexer.compare`` results: the view resolves the URL
into arguments, calls the core, and lays out what comes back.  ``CompareError`` (an
unknown task, unit or report) becomes a 404 page with the core's message.
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from indexer import compare as core
from indexer.compare.units import group_reports

from .. import params
from ..db import get_index
from ..urls import build
from . import render_page

bp = Blueprint("compare", __name__, url_prefix="/compare")

TASK_KEYS = ("task", "q", "year")
YEAR_KEYS = ("unit", "from", "to", "a", "b")


def heat_class(count: int, top: int) -> str:
    """``heat-0`` … ``heat-5``: a CSS class, since the CSP forbids inline styles."""
    if count <= 0 or top <= 0:
        return "heat-0"
    return f"heat-{min(5, 1 + (4 * count) // top)}"


def columns_in_report_order(view, reports):
    """Every report in scope as ``(meta, items)``; ``items is None`` means 未提及."""
    by_id = {c.report.id: c for c in view.columns}
    missing = set(view.missing)
    return [
        (m, by_id[m.id].items if m.id in by_id else None)
        for m in reports
        if m.id in by_id or m.id in missing
    ]


@bp.get("/tasks")
def tasks() -> Response:
    state = params.state_from(request.args, TASK_KEYS)
    year = params.year_of(state)
    idx = get_index()
    matrix = core.task_matrix(idx)
    top = max((n for row in matrix.counts.values() for n in row.values()), default=0)
    view = columns = None
    if state.get("task") or state.get("q"):
        # A task wins over q: the search page passes both through, and q then only
        # highlights the report a column links to.
        task = state.get("task")
        view = core.task_view(idx, task=task, query=None if task else state["q"], year=year)
        columns = columns_in_report_order(view, idx.reports())
    return render_page(
        "compare_tasks.html",
        "_task_view.html",
        build(url_for("compare.tasks"), state),
        state=state,
        matrix=matrix,
        top=top,
        heat_class=heat_class,
        view=view,
        columns=columns,
    )


def copied_flags(view) -> dict[int, bool]:
    """Which pairs (by position) hold a sentence of B copied from A, for the 照搬 badge."""
    flags: dict[int, bool] = {}
    for n, pair in enumerate(view.pairs):
        b = pair.b
        flags[n] = b is not None and any(
            c.b_paragraph == b.paragraph and c.b_start < (b.end or c.b_end) and c.b_end > b.start
            for c in view.copied
        )
    return flags


def unit_choices(reports) -> list[dict]:
    """Units for the picker, as the core groups them (a unit renamed between years is
    one unit); comparable ones (two or more reports) first."""
    choices = []
    for key, members in group_reports(reports).items():
        latest = max(members, key=lambda m: m.year or 0)
        names = "、".join(dict.fromkeys(m.unit for m in members if m.unit)) or key
        label = " · ".join(x for x in (names, latest.district) if x)
        ids = [m.id for m in members]
        choices.append({"key": key, "label": label, "count": len(members), "ids": ids})
    return sorted(choices, key=lambda c: (c["count"] < 2, c["label"]))


@bp.get("/years")
def years() -> Response:
    state = params.state_from(request.args, YEAR_KEYS)
    from_year, to_year = params.year_of(state, "from"), params.year_of(state, "to")
    idx = get_index()
    reports = idx.reports()
    view = None
    if state.get("a") or state.get("b"):
        if not (state.get("a") and state.get("b")):
            raise params.BadParam("请同时指定两份报告（参数 a 和 b）。")
        view = core.year_view(idx, state["a"], state["b"])
    elif state.get("unit"):
        a_id, b_id = core.reports_for_unit(idx, state["unit"], from_year, to_year)
        view = core.year_view(idx, a_id, b_id)
    return render_page(
        "compare_years.html",
        "_year_view.html",
        build(url_for("compare.years"), state),
        state=state,
        reports=reports,
        units=unit_choices(reports),
        view=view,
        copied=copied_flags(view) if view else {},
    )
