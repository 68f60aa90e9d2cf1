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
from ..urls import build
from . import render_page

bp = Blueprint("reports", __name__)


def outline(paragraphs) -> list[dict]:
    """Section starts and headings, in order, for the side navigation."""
    entries: list[dict] = []
    section = None
    for p in paragraphs:
        if p.section != section and p.kind not in ("site", "title", "addressee"):
            section = p.section
            entries.append({"kind": "section", "section": section, "number": p.number})
        if p.kind == "heading":
            entries.append(
                {"kind": "heading", "level": p.level, "number": p.number, "text": p.text}
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
    state = params.state_from(request.args, ("q",))
    idx = get_index()
    report = idx.report(report_id)
    if report is None:
        abort(404)
    terms: list[str] = []
    if state.get("q"):
        terms = idx.search(state["q"], limit=1).terms
    marks = {p.number: idx.highlight(p.text, terms) if terms else [] for p in report.paragraphs}
    return render_page(
        "report.html",
        "_report_body.html",
        report=report,
        meta=report.meta,
        outline=outline(report.paragraphs),
        marks=marks,
        terms=terms,
        state=state,
        q=state.get("q", ""),
    )
