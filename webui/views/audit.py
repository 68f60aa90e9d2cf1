"""The report audit page and its CSV: ``indexer.compare.audit`` rows, filtered and sorted.

The URL is the state (``unit``, ``district``, ``year``, ``missing``, ``on_time``, ``sort``,
``page``); the core does the filtering and sorting, so the page, the CSV and
``fazhi audit`` agree.  Long tables are paged.
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from indexer.compare import audit as core
from indexer.compare import audit_select as selecting
from indexer.model import SECTION_LABELS, SECTIONS

from .. import params
from ..csv_safe import csv_text
from ..db import get_index
from ..urls import build
from . import render_page

bp = Blueprint("audit", __name__)

KEYS = ("unit", "district", "year", "missing", "on_time", "sort", "page")
PAGE_SIZE = 50
DEFAULT_SORT = "unit"
ON_TIME_LABELS = {"yes": "按时", "late": "逾期", "unknown": "未知"}
CSV_HEADER = [
    "report", "unit", "district", "year", "date", "due", "on_time",
    *(f"part_{s}" for s in SECTIONS), "missing", "chars", "paragraphs", "figures",
    "figures_per_1k", "reuse_previous_year", "reuse_copied", "reuse_boilerplate", "previous",
]  # fmt: skip


def _where(state: dict[str, str]) -> tuple[selecting.AuditFilter, str]:
    missing, on_time = state.get("missing"), state.get("on_time")
    if missing is not None and missing not in SECTIONS:
        raise params.BadParam(f"部分“{missing}”无效：可选 {'、'.join(SECTIONS)}。")
    if on_time is not None and on_time not in core.ON_TIME:
        raise params.BadParam(f"按时“{on_time}”无效：可选 {'、'.join(core.ON_TIME)}。")
    sort = state.get("sort", DEFAULT_SORT)
    if sort.lstrip("-") not in selecting.SORT_KEYS:
        raise params.BadParam(
            f"排序“{sort}”无效：可选 {'、'.join(selecting.SORT_KEYS)}（前加 - 为降序）。"
        )
    where = selecting.AuditFilter(
        state.get("unit"), state.get("district"), params.year_of(state), missing, on_time
    )
    return where, sort


@bp.get("/audit")
def table() -> Response:
    state = params.state_from(request.args, KEYS)
    where, sort = _where(state)
    page = params.page_of(state)
    all_rows = core.audit(get_index())
    rows = selecting.select(all_rows, where, sort)
    last_page = max(1, -(-len(rows) // PAGE_SIZE))
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return render_page(
        "audit.html",
        "_audit_table.html",
        build(url_for("audit.table"), state),
        state=state,
        rows=shown,
        total=len(rows),
        all_total=len(all_rows),
        page=page,
        last_page=last_page,
        sort=sort,
        districts=sorted({r.report.district for r in all_rows if r.report.district}),
        years=sorted({r.report.year for r in all_rows if r.report.year}, reverse=True),
        sections=SECTIONS,
        section_labels=SECTION_LABELS,
        on_time_labels=ON_TIME_LABELS,
        sort_keys=selecting.SORT_KEYS,
    )


@bp.get("/audit.csv")
def table_csv() -> Response:
    state = params.state_from(request.args, KEYS)
    where, sort = _where(state)
    rows = selecting.select(core.audit(get_index()), where, sort)

    def line(r: core.AuditRow) -> list[object]:
        m = r.report
        parts = [r.parts[s].how if r.parts[s] else "" for s in SECTIONS]
        reuse = [round(r.reuse.get(k, 0.0), 3) for k in ("previous_year", "copied", "boilerplate")]
        return [
            m.id, m.unit, m.district, m.year, m.date, r.due, r.on_time, *parts,
            " ".join(r.missing), r.chars, r.paragraphs, r.figures, r.figures_per_1k,
            *reuse, r.previous,
        ]  # fmt: skip

    response = Response(csv_text(CSV_HEADER, map(line, rows)), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="fazhi-audit.csv"'
    return response
