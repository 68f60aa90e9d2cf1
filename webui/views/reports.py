"""One report in full: outline, anchored paragraphs, search terms highlighted.

A hit links here as ``/reports/<id>?q=…#p-<n>``; the terms to mark are the ones the
core says it matched for ``q`` (``SearchResult.terms``), highlighted by the core's own
``idx.highlight`` so the report page marks exactly what the hit list marked.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request, url_for

from .. import params
from ..db import get_index
from ..listing import FACET_LABELS, list_context
from ..urls import REPORT_PAGE_SIZE, build, report_href, report_page
from . import render_page

bp = Blueprint("reports", __name__)


def outline(paragraphs, report_id: str, page: int = 1, q: str | None = None) -> list[dict]:
    """Section starts and headings, in order, for the side navigation; an entry on
    another page of a long report links to that page."""
    entries: list[dict] = []
    section = None
    for p in paragraphs:
        on_page = report_page(p.number) == page
        href = f"#p-{p.number}" if on_page else report_href(report_id, p.number, q)
        if p.section != section and p.kind not in ("site", "title", "addressee"):
            section = p.section
            entries.append(
                {"kind": "section", "section": section, "number": p.number, "href": href}
            )
        if p.kind == "heading":
            entries.append(
                {"kind": "heading", "level": p.level, "number": p.number, "text": p.text}
                | {"href": href}
            )
    return entries


@bp.get("/reports")
def listing() -> Response:
    """Paged, with district / year / unit facets as filters (``absent=Q``: never mention Q)."""
    state = params.state_from(request.args, params.LIST_KEYS)
    here = url_for("reports.listing")
    context = list_context(get_index(), state)
    return render_page(
        "reports.html",
        "_report_list.html",
        build(here, state),
        state=state,
        here=here,
        facet_labels=FACET_LABELS,
        **context,
    )


@bp.get("/reports/<report_id>")
def show(report_id: str) -> Response:
    state = params.state_from(request.args, ("q", "page"))
    page = params.page_of(state)
    idx = get_index()
    report = idx.report(report_id)
    if report is None:
        abort(404)
    last = report_page(len(report.paragraphs)) if report.paragraphs else 1
    if page > last:
        raise params.BadParam(f"这份报告只有 {last} 页（每页 {REPORT_PAGE_SIZE} 段）。")
    shown = report.paragraphs[(page - 1) * REPORT_PAGE_SIZE : page * REPORT_PAGE_SIZE]
    terms: list[str] = []
    if state.get("q"):
        terms = idx.search(state["q"], limit=1).terms
    marks = {p.number: idx.highlight(p.text, terms) if terms else [] for p in shown}
    here = url_for("reports.show", report_id=report_id)
    pages = [{"number": n, "href": build(here, state, page=n)} for n in range(1, last + 1)]
    return render_page(
        "report.html",
        "_report_body.html",
        report=report,
        meta=report.meta,
        outline=outline(report.paragraphs, report_id, page, state.get("q")),
        paragraphs=shown,
        page=page,
        pages=pages if last > 1 else [],
        page_size=REPORT_PAGE_SIZE,
        marks=marks,
        terms=terms,
        state=state,
        q=state.get("q", ""),
    )
