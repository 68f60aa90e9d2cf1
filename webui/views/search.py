"""Search page, its htmx fragment, and the CSV / JSON exports of the same query.

The view only translates the URL into a core call (``idx.search``) and the result
into a template context; ranking, facets and coverage all come from the core.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request, url_for

from .. import params
from ..csv_safe import csv_text
from ..db import get_index
from ..listing import FACET_LABELS, MISSING_SHOWN, capped_facets, list_context
from ..urls import build
from . import render_page

bp = Blueprint("search", __name__)

FACETS: tuple[tuple[str, str], ...] = (
    ("unit", "单位"),
    ("district", "区域"),
    ("year", "年度"),
    ("section", "部分"),
)
CSV_FIELDS = ("report", "unit", "district", "year", "section", "heading", "paragraph", "text")


def _search(state: dict[str, str], limit: int, offset: int = 0):
    """Validate every parameter first, then ask the core (QueryError maps to 400)."""
    filters = params.filters_of(state)
    sort = params.sort_of(state)
    if not state.get("q"):
        raise params.BadParam("请输入检索词（参数 q）。")
    idx = get_index()
    return idx, idx.search(state["q"], filters, limit=limit, offset=offset, sort=sort)


def group_hits(hits):
    """Hits of one page grouped by report, reports in order of their first hit."""
    groups: dict[str, list] = {}
    for hit in hits:
        groups.setdefault(hit.report, []).append(hit)
    return [(hits[0], hits) for hits in groups.values()]


def _pages(page: int, total: int, size: int) -> tuple[int, list[int]]:
    last = max(1, -(-total // size))
    window = range(max(1, page - 3), min(last, page + 3) + 1)
    return last, sorted({1, last, *window})


@bp.get("/")
def index() -> Response:
    state = params.state_from(request.args, params.SEARCH_KEYS)
    params.filters_of(state)  # a bad filter is a 400 even on the landing page (no q)
    params.sort_of(state)
    page = params.page_of(state)
    here = url_for("search.index")
    context = {
        "state": state,
        "q": state.get("q", ""),
        "facet_names": FACETS,
        "facet_labels": FACET_LABELS,
    }
    if not state.get("q"):
        return render_page(
            "search.html",
            "_results.html",
            build(here, state),
            result=None,
            here=here,
            **list_context(get_index(), state),
            **context,
        )
    size = current_app.config["PAGE_SIZE"]
    idx, result = _search(state, size, (page - 1) * size)
    by_id = {m.id: m for m in idx.reports()}
    last, pages = _pages(page, result.total, size)
    facets = {key: result.facets.get(key) or {} for key, _ in FACETS}
    return render_page(
        "search.html",
        "_results.html",
        build(here, state),
        result=result,
        groups=group_hits(result.hits),
        missing=[by_id.get(m, m) for m in result.missing[:MISSING_SHOWN]],
        missing_total=len(result.missing),
        facets=capped_facets(facets, state),
        page=page,
        last_page=last,
        pages=pages,
        **context,
    )


@bp.get("/api/search")
def api() -> Response:
    """``SearchResult.to_dict()`` as JSON; ``limit=0`` means every hit."""
    state = params.state_from(request.args, params.SEARCH_KEYS)
    limit = params.limit_of(request.args, default=20)
    offset = (params.page_of(state) - 1) * (limit or 0)
    _idx, result = _search(state, limit, offset)
    return jsonify(result.to_dict())


@bp.get("/export.csv")
def export_csv() -> Response:
    """Every hit (or ``limit`` of them) as UTF-8 CSV with a BOM, which Excel needs for CJK."""
    state = params.state_from(request.args, params.SEARCH_KEYS)
    limit = params.limit_of(request.args, default=0, maximum=100_000)
    _idx, result = _search(state, limit)
    rows = []
    for hit in result.hits:
        row = hit.to_dict()
        row["heading"] = " › ".join(hit.heading)
        rows.append([row[f] for f in CSV_FIELDS])
    body = csv_text(CSV_FIELDS, rows)  # formula-like cells neutralised (OWASP)
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="fazhi-search.csv"'
    return response
