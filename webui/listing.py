"""The paged report list shared by the home page and ``/reports``.

``absent=Q`` narrows the list to the reports that never mention ``Q`` — the page the
search results' capped "not mentioned" list links to, so that list stays whole and
true however many reports it holds.
"""

from __future__ import annotations

from collections.abc import Mapping

from indexer.listing import LIST_FACETS, report_page, top_facet

from . import params

LIST_SIZE = 50
FACET_TOP = 12
MISSING_SHOWN = 50
FACET_LABELS = {"district": "区域", "year": "年度", "unit": "单位", "section": "部分"}


def capped_facets(facets: Mapping[str, dict], state: Mapping[str, str], n: int = FACET_TOP):
    """Per facet: (name, shown values, how many more); ``more=name`` shows one in full."""
    out = []
    for name, counts in facets.items():
        shown, cut = (counts, 0) if state.get("more") == name else top_facet(counts, n)
        out.append((name, shown, cut))
    return out


def list_context(idx, state: Mapping[str, str]) -> dict:
    """Template context for ``_report_list.html`` from the URL state."""
    year = params.year_of(state)
    page = params.page_of(state)
    only = None
    if state.get("absent"):
        only = set(idx.search(state["absent"], limit=1).missing)
    wanted = {"unit": state.get("unit"), "district": state.get("district"), "year": year}
    listing = report_page(idx.reports(), wanted, page, LIST_SIZE, only)
    facets = capped_facets({k: listing.facets[k] for k in LIST_FACETS}, state)
    return {"listing": listing, "list_facets": facets}
