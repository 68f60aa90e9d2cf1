"""Jinja helpers that turn report text plus offsets into safe HTML.

Report text is untrusted (copied from web pages, may contain ``<script>``), so the
only way it reaches a template as markup is through these functions, which escape
every text piece and add nothing but our own tags.  Templates never use ``|safe``
on report text.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask
from markupsafe import Markup, escape

from indexer.model import SECTION_LABELS

from . import urls

SNIPPET = 180  # characters of context shown around the first highlight of a hit


def _pairs(spans: Iterable[object]) -> list[tuple[int, int]]:
    """Spans as sorted, clipped, non-overlapping ``(start, end)`` pairs."""
    raw = sorted(
        (s.start, s.end) if hasattr(s, "start") else (int(s[0]), int(s[1]))  # type: ignore[index]
        for s in spans
    )
    out: list[tuple[int, int]] = []
    for start, end in raw:
        if end <= start:
            continue
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def marked(text: str, spans: Iterable[object] = (), tag: str = "mark") -> Markup:
    """``text`` escaped, with each span wrapped in ``<tag>``."""
    pieces: list[Markup] = []
    pos = 0
    open_, close = Markup(f"<{tag}>"), Markup(f"</{tag}>")
    for start, end in _pairs(spans):
        start, end = max(start, pos), min(end, len(text))
        if start >= end:
            continue
        pieces += [escape(text[pos:start]), open_, escape(text[start:end]), close]
        pos = end
    pieces.append(escape(text[pos:]))
    return Markup("").join(pieces)


def snippet(text: str, spans: Iterable[object] = (), width: int = SNIPPET) -> Markup:
    """A window of ``text`` around its first highlight, marked; whole text if short."""
    pairs = _pairs(spans)
    if len(text) <= width:
        return marked(text, pairs)
    first = pairs[0][0] if pairs else 0
    start = max(0, min(first - width // 4, len(text) - width))
    end = start + width
    shifted = [(s - start, min(e, end) - start) for s, e in pairs if s < end and e > start]
    body = marked(text[start:end], shifted)
    return Markup("").join(
        [Markup("…") if start else Markup(""), body, Markup("…") if end < len(text) else Markup("")]
    )


def layered(text: str, marks: Iterable[object] = (), reused: Iterable[object] = ()) -> Markup:
    """``text`` with search marks and dimmed boilerplate, which may overlap each other.

    The text is cut at every span boundary; each piece is escaped and wrapped in the
    tags of the layers covering it, so the markup always nests properly.
    """
    layers = [
        (_pairs(marks), "<mark>", "</mark>"),
        (_pairs(reused), '<span class="reused">', "</span>"),
    ]
    cuts = sorted({0, len(text), *(x for spans, _o, _c in layers for s in spans for x in s)})
    pieces: list[Markup] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        if not 0 <= start < end <= len(text):
            continue
        piece = escape(text[start:end])
        for spans, open_, close in layers:  # first layer innermost
            if any(s <= start and end <= e for s, e in spans):
                piece = Markup(open_) + piece + Markup(close)
        pieces.append(piece)
    return Markup("").join(pieces)


def diff_side(ops: Iterable[object], side: str) -> Markup:
    """One side of a character diff: ``a`` marks deletions (del), ``b`` insertions (ins)."""
    shown, tag = ("delete", "del") if side == "a" else ("insert", "ins")
    pieces: list[Markup] = []
    for op in ops:
        kind, text = op.op, op.text  # type: ignore[attr-defined]
        if kind == "equal":
            pieces.append(escape(text))
        elif kind == shown:
            pieces.append(Markup(f"<{tag}>") + escape(text) + Markup(f"</{tag}>"))
    return Markup("").join(pieces)


def section_label(section: str | None) -> str:
    return SECTION_LABELS.get(section or "other", section or "")


def heading_path(heading: Iterable[str] | None) -> str:
    return " › ".join(heading or [])


def report_label(meta: object) -> str:
    """``unit · year · district`` for a report or hit, skipping what the text does not say."""
    parts = [getattr(meta, "unit", None), getattr(meta, "year", None)]
    district = getattr(meta, "district", None)
    if district and district != parts[0]:
        parts.append(district)
    text = " · ".join(str(p) for p in parts if p)
    return text or str(getattr(meta, "id", "") or getattr(meta, "report", ""))


EVIDENCE_SOURCES = {
    "title": "标题",
    "signature": "落款",
    "opening": "开头",
    "body": "正文",
    "manifest": "清单",
    "unit name": "单位名称",
    "text": "正文中提到的区县",
    "page title": "网页标题",
    "page source": "网页来源",
    "page metadata": "网页元数据",
}


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        marked=marked,
        layered=layered,
        diff_side=diff_side,
        snippet=snippet,
        section_label=section_label,
        heading_path=heading_path,
        report_label=report_label,
    )
    app.jinja_env.globals.update(
        href=urls.build, SECTION_LABELS=SECTION_LABELS, EVIDENCE_SOURCES=EVIDENCE_SOURCES
    )
    app.jinja_env.globals.update(report_href=urls.report_href)
