"""Task comparison (one column per report) and year comparison (two aligned columns).

Both pages are presentations of ``indexer.compare`` results: the view resolves the URL
into arguments, calls the core, and lays out what comes back.  ``CompareError`` (an
unknown task, unit or report) becomes a 404 page with the core's message.
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from indexer import compare as core
from indexer.compare import districts
from indexer.compare.units import group_reports

from .. import params
from ..db import get_index
from ..urls import build
from . import render_page

bp = Blueprint("compare", __name__, url_prefix="/compare")

TASK_KEYS = ("task", "q", "district", "year", "page")
COLUMNS_PER_PAGE = 20
SILENT_SHOWN = 60
YEAR_KEYS = ("unit", "from", "to", "a", "b")


def heat_class(count: int, top: int) -> str:
    """``heat-0`` … ``heat-5``: a CSS class, since the CSP forbids inline styles."""
    if count <= 0 or top <= 0:
        return "heat-0"
    return f"heat-{min(5, 1 + (4 * count) // top)}"


@bp.get("/tasks")
def tasks() -> Response:
    """Task × district heat map; a task (or query) per district; one district's reports
    a page at a time (``district=``, ``page=``)."""
    state = params.state_from(request.args, TASK_KEYS)
    year = params.year_of(state)
    page = params.page_of(state)
    idx = get_index()
    matrix = districts.district_matrix(idx, year)
    task = state.get("task")
    query = None if task else state.get("q")
    context: dict = {"dview": None, "columns": None, "silent": None}
    if task or query:
        district = state.get("district")
        if district is None:
            context["dview"] = districts.district_view(idx, task=task, query=query, year=year)
        else:
            info, counts = districts.report_counts(idx, task, query, year)
            mentioning, silent = districts.district_reports(idx, district, year, counts)
            shown = mentioning[(page - 1) * COLUMNS_PER_PAGE : page * COLUMNS_PER_PAGE]
            view = core.task_view(
                idx,
                task=info.id if info else None,
                query=query,
                year=year,
                only={m.id for m in shown},
            )
            by_id = {c.report.id: c.items for c in view.columns}
            context.update(
                label=info.label if info else f"“{query}”",
                columns=[(m, by_id.get(m.id)) for m in shown],
                mentioned=len(mentioning),
                silent=silent[:SILENT_SHOWN],
                silent_total=len(silent),
                page=page,
                last_page=max(1, -(-len(mentioning) // COLUMNS_PER_PAGE)),
            )
        if context["dview"] is not None:
            view = context["dview"]
            context["label"] = view.task.label if view.task else f"“{query}”"
    return render_page(
        "compare_tasks.html",
        "_task_view.html",
        build(url_for("compare.tasks"), state),
        state=state,
        matrix=matrix,
        heat_class=heat_class,
        **context,
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


def unit_reports(units: list[dict], reports, state, view) -> list:
    """The reports the A/B pickers offer: those of the unit chosen or compared, by year.

    Listing every report twice was 870 kB of HTML at 4,736 reports; without a unit the
    pickers are text fields for report ids (a report page links here with its id)."""
    chosen = next(
        (u for u in units if state.get("unit") == u["key"] or (view and view.b.id in u["ids"])),
        None,
    )
    if chosen is None:
        return []
    ids = set(chosen["ids"])
    return sorted((m for m in reports if m.id in ids), key=lambda m: (m.year or 0, m.id))


@bp.get("/years")
def years() -> Response:
    state = params.state_from(request.args, YEAR_KEYS)
    from_year, to_year = params.year_of(state, "from"), params.year_of(state, "to")
    idx = get_index()
    reports = idx.reports()
    view = notice = None
    pair = None
    if state.get("a") or state.get("b"):
        if not (state.get("a") and state.get("b")):
            raise params.BadParam("请同时指定两份报告（参数 a 和 b）。")
        pair = state["a"], state["b"]
    elif state.get("unit"):
        pair = core.reports_for_unit(idx, state["unit"], from_year, to_year)
    same = next((m for m in reports if pair and m.id == pair[0] == pair[1]), None)
    if same is not None:  # an unknown id still gets the core's 404
        label = f"{same.unit or same.id} {same.year or ''}".strip()
        notice = f"A 和 B 是同一份报告（{label}），没有可对比的内容：请为 B 另选一份报告。"
    elif pair is not None:
        view = core.year_view(idx, *pair)
    units = unit_choices(reports)
    response = render_page(
        "compare_years.html",
        "_year_view.html",
        build(url_for("compare.years"), state),
        state=state,
        reports=unit_reports(units, reports, state, view),
        units=units,
        view=view,
        notice=notice,
        copied=copied_flags(view) if view else {},
    )
    if notice:
        response.status_code = 400
    return response
