"""Over-long lines → paragraphs of bounded length, cut at sentence ends.

A report whose line breaks were lost (bad HTML or PDF conversion) arrives as one
line of megabytes.  As one "paragraph" it would be one search hit the size of the
report, one unit of alignment in comparisons (quadratic in its length) and one
unreadable block on the report page.  A line longer than ``MAX_LINE`` is cut after a
sentence end (。；！？) into pieces of at most ``TARGET`` characters; a new piece also
starts where a sentence opens with heading numbering (一、 （二） 第三部分), so the
structure the line break would have shown is found again.  A sentence longer than
``TARGET`` with no end is cut after a comma, else hard.  Real paragraphs — the longest
in real reports run to a few hundred characters — are never touched.
"""

from __future__ import annotations

import re

MAX_LINE = 3000
TARGET = 1500
SENTENCE = re.compile(r"[^。；;！!？?]*[。；;！!？?]+[”’」）)]*|[^。；;！!？?]+$")
HEADING_START = re.compile(
    r"^\s*(?:第[一二三四五六七八九十]{1,3}部分|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])"
)


def _hard_pieces(sentence: str) -> list[str]:
    """A sentence longer than TARGET: cut after a comma near the limit, else at it."""
    pieces = []
    while len(sentence) > TARGET:
        cut = max(sentence.rfind(c, TARGET // 2, TARGET) for c in "，,、")
        cut = cut + 1 if cut > 0 else TARGET
        pieces.append(sentence[:cut])
        sentence = sentence[cut:]
    return pieces + ([sentence] if sentence else [])


def split_long_line(line: str) -> list[str]:
    """``line`` itself if it is short enough, else its bounded pieces (text unchanged)."""
    if len(line) <= MAX_LINE:
        return [line]
    pieces: list[str] = []
    current = ""
    for m in SENTENCE.finditer(line):
        for sentence in _hard_pieces(m.group(0)):
            starts_part = HEADING_START.match(sentence) is not None
            if current and (len(current) + len(sentence) > TARGET or starts_part):
                pieces.append(current)
                current = ""
            current += sentence
    if current:
        pieces.append(current)
    return [p for p in (piece.strip() for piece in pieces) if p]
