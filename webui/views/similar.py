"""Similar passages: how other units (and other years) wrote about what one paragraph says.

Thin over ``Index.similar`` (BM25 more-like-this, ``indexer.store.similar``); the page
groups the passages by unit, units in the order of their best passage.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, request

from .. import params
from ..db import get_index
from . import render_page

bp = Blueprint("similar", __name__)
LIMIT = 30


def group_by_unit(hits) -> list[tuple[str, list]]:
    """(unit label, hits) with units in the order of their best hit, hits best first."""
    groups: dict[str, list] = {}
    for hit in hits:
        groups.setdefault(hit.unit or "（未识别单位）", []).append(hit)
    return list(groups.items())


def _similar(report_id: str, paragraph: int, limit: int):
    idx = get_index()
    report = idx.report(report_id)
    if report is None or not any(p.number == paragraph for p in report.paragraphs):
        abort(404)
    return idx.similar(report_id, paragraph, limit=limit)


@bp.get("/similar/<report_id>/<int:paragraph>")
def show(report_id: str, paragraph: int) -> Response:
    result = _similar(report_id, paragraph, LIMIT)
    return render_page(
        "similar.html",
        "_similar.html",
        result=result,
        source=result.source,
        groups=group_by_unit(result.hits),
        state={},
    )


@bp.get("/api/similar/<report_id>/<int:paragraph>")
def api(report_id: str, paragraph: int) -> Response:
    """``SimilarResult.to_dict()``: what ``fazhi similar --json`` prints."""
    limit = params.limit_of(request.args, default=10, maximum=200) or 10
    return jsonify(_similar(report_id, paragraph, limit).to_dict())
