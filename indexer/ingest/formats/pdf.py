"""PDF reports: the text layer put back into the paragraphs the author wrote.

A PDF holds positioned lines, not paragraphs.  pypdfium2 (PDFium, the engine in
Chromium) gives each character's box; measured against pdfplumber on the same files
it was ~6x faster with identical paragraphs (``bench/bench_pdf.py``).  From those
boxes, lines are joined back into paragraphs the way a reader does it:

* a paragraph starts at a first-line indent (or a centred / right-aligned line),
* at a heading such as 一、 or （一） after a line that closed a sentence,
* after a line that stops short of the right margin and ends a sentence (。：；),
  or stops far short (a title, a heading);
* everything else continues the paragraph — across a page break too.

Page numbers ("- 3 -", "第 3 页", "3/12") and running headers/footers (the same line
at the top or bottom of several pages) are dropped.  PDF text often carries Kangxi
radicals and CJK Radicals Supplement code points instead of ideographs (⼈ ⺠ ⻓);
``radicals.normalise_radicals`` maps them back.  A PDF without a text layer (a scan)
is refused as needing OCR.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from . import Extracted, UnreadableFile
from .radicals import normalise_radicals

CN_NUM = "一二三四五六七八九十"
HEADING = re.compile(
    rf"^(第[{CN_NUM}]{{1,3}}(部分|章)|[{CN_NUM}]{{1,3}}[、.．]|[（(][{CN_NUM}]{{1,3}}[）)]|"
    r"\d{1,2}[.．、](?!\d)|[（(]\d{1,2}[）)])"
)
PAGE_NUMBER = re.compile(
    r"^([-－—–\s]*\d{1,4}[-－—–\s]*|第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|[Pp]age\s*\d{1,4}(\s*of\s*\d{1,4})?)$"
)
SENTENCE_END = tuple("。：:；;！!？?…")
EDGE_BAND = 0.15  # top and bottom share of a page where headers, footers and numbers live


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line]


def extract(data: bytes) -> Extracted:
    pages = read_pages(data)
    text = normalise_radicals("\n".join(paragraphs(pages)))
    if sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff") < 2:
        raise UnreadableFile(f"no text layer — needs OCR ({len(pages)} page(s) of images)")
    return Extracted(text, "pdf")


def read_pages(data: bytes) -> list[Page]:
    """Every page's text lines with their boxes (PDF points, top measured from the top)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        reason = "encrypted (password required)" if "password" in str(exc).lower() else exc
        raise UnreadableFile(f"not a readable PDF: {reason}") from exc
    pages = []
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            try:
                pages.append(Page(page.get_width(), page.get_height(), _lines(textpage, page)))
            finally:
                textpage.close()
                page.close()
    finally:
        document.close()
    return pages


def _lines(textpage, page) -> list[Line]:
    height = page.get_height()
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    lines: list[Line] = []
    glyphs: list[tuple[str, tuple[float, float, float, float], bool]] = []
    spaced = False
    for i, ch in enumerate(text[:count]):
        if ch in "\r\n":
            lines.extend(_line(glyphs, height))
            glyphs, spaced = [], False
        elif ch.isspace():
            spaced = bool(glyphs)
        else:
            glyphs.append((ch, textpage.get_charbox(i, loose=True), spaced))
            spaced = False
    lines.extend(_line(glyphs, height))
    return _merge_same_baseline(lines)


def _line(glyphs, page_height: float) -> list[Line]:
    """One text line from its glyphs; a space only where the gap is wider than the line's own.

    PDFs from browsers and office suites carry no space glyphs: PDFium guesses spaces from
    gaps, and a justified Chinese line has wide gaps everywhere.  A space is kept where
    the gap exceeds the line's typical gap by a quarter of the font size.
    """
    if not glyphs:
        return []
    gaps = [b[1][0] - a[1][2] for a, b in zip(glyphs, glyphs[1:], strict=False)]
    usual = median(gaps) if gaps else 0.0
    size = median(box[2] - box[0] for _, box, _ in glyphs)  # the advance: 1 em for CJK
    parts = [glyphs[0][0]]
    for (ch, _box, spaced), gap in zip(glyphs[1:], gaps, strict=True):
        if spaced and gap - usual > 0.25 * size:
            parts.append(" ")
        parts.append(ch)
    left, bottom = min(g[1][0] for g in glyphs), min(g[1][1] for g in glyphs)
    right, top = max(g[1][2] for g in glyphs), max(g[1][3] for g in glyphs)
    return [Line("".join(parts), left, right, page_height - top, page_height - bottom)]


def _merge_same_baseline(lines: list[Line]) -> list[Line]:
    """Runs PDFium split on one visual line (font changes, tabs) become one line."""
    merged: list[Line] = []
    for line in sorted(lines, key=lambda ln: (round(ln.top), ln.x0)):
        last = merged[-1] if merged else None
        size = line.bottom - line.top
        if last and abs(last.top - line.top) < 0.3 * size and line.x0 >= last.x1 - 1:
            gap = " " if line.x0 - last.x1 > 0.6 * size else ""
            merged[-1] = Line(last.text + gap + line.text, last.x0, line.x1, last.top, last.bottom)
        else:
            merged.append(line)
    return merged


def _is_edge(line: Line, page: Page) -> bool:
    return line.bottom < page.height * EDGE_BAND or line.top > page.height * (1 - EDGE_BAND)


def _running(pages: list[Page]) -> set[str]:
    """Edge lines repeated on several pages (digits ignored): running headers and footers."""
    seen: Counter[str] = Counter()
    for page in pages:
        seen.update({_shape(ln.text) for ln in page.lines if _is_edge(ln, page)})
    return {shape for shape, n in seen.items() if n >= 2 and n >= len(pages) / 2}


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def body_lines(pages: list[Page]) -> list[Line]:
    """All lines in reading order without page numbers, running headers and footers."""
    running = _running(pages) if len(pages) > 1 else set()
    kept = []
    for page in pages:
        for line in page.lines:
            if _is_edge(line, page) and (
                PAGE_NUMBER.match(line.text.strip()) or _shape(line.text) in running
            ):
                continue
            kept.append(line)
    return kept


@dataclass
class Layout:
    """What the body text of a document looks like: margins, em, line pitch, text height."""

    left: float
    right: float
    em: float
    pitch: float
    height: float


def measure(lines: list[Line]) -> Layout:
    long = [ln for ln in lines if len(ln.text) >= 8]
    em = median((ln.x1 - ln.x0) / len(ln.text) for ln in long) if long else 12.0
    # the text margin: the leftmost x0 shared by many lines (the most common one would be the
    # indent in a document of one- and two-line paragraphs)
    starts = Counter(round(ln.x0) for ln in lines)
    common = [x for x, n in starts.items() if n >= max(2, 0.1 * len(lines))]
    left = min(common) if common else starts.most_common(1)[0][0]
    ends = sorted(ln.x1 for ln in lines)
    right = ends[int(0.9 * (len(ends) - 1))]
    steps = [b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if b.top > a.top]
    pitch = median(steps) if steps else 0.0
    height = median(ln.bottom - ln.top for ln in lines)
    return Layout(left, right, em, pitch, height)


def paragraphs(pages: list[Page]) -> list[str]:
    lines = body_lines(pages)
    if not lines:
        return []
    layout = measure(lines)
    out: list[str] = []
    previous: Line | None = None
    for line in lines:
        if previous is None or _starts_paragraph(line, previous, layout, out[-1]):
            out.append(line.text)
        else:
            out[-1] = _join(out[-1], line.text)
        previous = line
    return out


def _starts_paragraph(line: Line, previous: Line, layout: Layout, current: str) -> bool:
    """Whether ``line`` opens a new paragraph after ``previous`` (which ends ``current``)."""
    big = 1.15 * layout.height
    height, before = line.bottom - line.top, previous.bottom - previous.top
    closed = previous.text.rstrip("”’」』）)").endswith(SENTENCE_END)
    if height > big and before > big and abs(height - before) < 0.1 * before and not closed:
        return False  # a title in a larger font wrapped onto a second (centred) line
    if line.x0 > layout.left + 0.8 * layout.em:  # first-line indent, centred, right-aligned
        return True
    if line.top > previous.top and line.top - previous.top > 1.35 * layout.pitch:
        return True  # space between paragraphs (same page; a page break resets top)
    short = previous.x1 < layout.right - 1.5 * layout.em
    heading = HEADING.match(current) and len(current) <= 50 and "。" not in current
    if short and (closed or heading):
        return True  # a sentence or a heading ended before the margin
    return bool(HEADING.match(line.text)) and (closed or short)


def _join(head: str, tail: str) -> str:
    if head and tail and head[-1].isascii() and head[-1].isalnum() and tail[0].isascii():
        if tail[0].isalnum():
            return f"{head} {tail}"
    return head + tail
