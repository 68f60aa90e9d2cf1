"""The URL is the state: every link in the UI is built here, from a state dict.

Keeping one builder means a page can always be bookmarked, shared, restored by the
back button or re-rendered by the server from its URL alone, and that two links to
the same state are byte-for-byte the same URL (so htmx history and HTTP caches agree).
Non-ASCII values are percent-encoded as UTF-8, so the result is safe to put in an
``HX-Push-Url`` header as well as in an ``href``.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote, urlencode

# Canonical parameter order: stable URLs whatever order a form or a dict used.
ORDER: tuple[str, ...] = (
    "q",
    "task",
    "unit",
    "district",
    "year",
    "section",
    "a",
    "b",
    "from",
    "to",
    "absent",
    "more",
    "sort",
    "page",
    "limit",
)

# Values equal to these defaults are left out: ``/?q=x`` and ``/?q=x&page=1`` are one state.
DEFAULTS: dict[str, str] = {"sort": "relevance", "page": "1"}


def _rank(key: str) -> tuple[int, str]:
    return (ORDER.index(key), "") if key in ORDER else (len(ORDER), key)


def build(
    path: str,
    state: Mapping[str, object] | None = None,
    *,
    fragment: str | None = None,
    **changes: object,
) -> str:
    """Return ``path?query#fragment`` for ``state`` updated with ``changes``.

    A value of ``None`` or ``""`` (in the state or in a change) removes the key, so
    ``build("/", state, page=None)`` drops pagination and ``build("/", state, unit=u)``
    toggles a facet on.  Keys are emitted in canonical order, defaults are omitted.
    """
    merged: dict[str, object] = dict(state or {})
    merged.update(changes)
    pairs: list[tuple[str, str]] = []
    for key in sorted(merged, key=_rank):
        value = merged[key]
        if value is None:
            continue
        text = str(value).strip()
        if text == "" or DEFAULTS.get(key) == text:
            continue
        pairs.append((key, text))
    url = path
    if pairs:
        url += "?" + urlencode(pairs, quote_via=quote, safe="")
    if fragment:
        url += "#" + quote(fragment, safe="-_.")
    return url


# A report page shows this many paragraphs; a paragraph's page follows from its number,
# so any link can name the page that holds it.  Real reports (≲ 150 paragraphs) are one
# page, and their links carry no ``page`` at all.
REPORT_PAGE_SIZE = 200


def report_page(paragraph: int) -> int:
    return max(1, (int(paragraph) - 1) // REPORT_PAGE_SIZE + 1)


def report_href(report_id: str, paragraph: int | None = None, q: str | None = None) -> str:
    """``/reports/<id>?q=…&page=k#p-n``: the page of the report that shows paragraph n."""
    path = "/reports/" + quote(str(report_id), safe="")
    if paragraph is None:
        return build(path, {"q": q})
    return build(path, {"q": q, "page": report_page(paragraph)}, fragment=f"p-{paragraph}")
