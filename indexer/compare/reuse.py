"""Boilerplate and copied text: passages that occur (near-)verbatim in several reports.

These reports share much of their wording — 套话 such as 增强“四个意识”、坚定“四个自信”、
做到“两个维护”, paragraphs lifted from another unit's report, a unit's own text carried
over from last year.  Views dim such passages and a reader can ask what in a report is
its own, so ``build_reuse`` finds them once, at index build time.

It must scale to 100k paragraphs, so there is no pairwise comparison.  Each paragraph is
normalised (NFKC, punctuation and whitespace dropped, each digit → 0, so another comma
or another number still counts as the same text) and cut into *windows* of
``MIN_CHARS`` characters that start at *anchors*: the start of every clause and every
function character (以, 在, 对, 和 …); and windows that end where a clause ends.  Anchors depend only on the text at that point,
so two reports sharing a passage have the same anchors inside it, whatever precedes it
(坚持以习近平… and 区政府办坚持以习近平… share the window at 以).  Windows are hashed; a
first pass remembers, per hash, the first report seen and, for hashes seen in two or
more reports, the set of them; a second pass marks those windows' spans, and
overlapping marks merge into runs, so a copied paragraph is one run however long.

Kinds, by how many *units* (not reports) share a run: ``repeated`` (only the unit's own
reports — carried over from another year), ``copied`` (two units), ``boilerplate``
(three or more).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..fold import fold
from ..model import Report, Span
from ..store.reuse_rows import whole_table

VERSION = 1  # of the spans and passages found (the stored layout: store.reuse_rows)
MIN_CHARS = 15
BOILERPLATE_UNITS = 3
MAX_LISTED = 20  # report ids listed per passage
SAMPLE = 32  # reports remembered per shared window: plenty to tell 1, 2 or 3+ units apart
CAP = 64  # reports and units tracked per passage; counts are exact up to here, then "at least"
SKIP_KINDS = frozenset({"site", "title", "addressee", "closing", "heading"})
SEGMENT = re.compile(r"[^\W_]+")
ANCHOR = re.compile(r"[以在对和与及将把为从按是等并]")
DROP = re.compile(r"[\W_]+")
DIGITS = re.compile(r"\d+(?:\.\d+)?")
DIGIT = re.compile(r"\d")
OPENERS = "“‘《（(「『【[\"'"
CLOSERS = "”’》）)」』】]\"'"


def normal(clause: str) -> str:
    return DIGITS.sub("0", DROP.sub("", fold(clause)))


def _anchored(text: str, min_chars: int) -> tuple[list[int], list, list[int], str]:
    """Window starts in the normalised text, the segments to map them back, the text.

    Offsets are mapped back only for the few windows that turn out shared, which halves
    the cost of the first pass over the corpus.
    """
    segs = []  # (original start, original end, normalised start, normalised text)
    pos = 0
    for m in SEGMENT.finditer(text):
        norm = DIGIT.sub("0", unicodedata.normalize("NFKC", m.group()))
        segs.append((m.start(), m.end(), pos, norm))
        pos += len(norm)
    joined = "".join(s[3] for s in segs)
    anchors = {s[2] for s in segs} | {m.start() for m in ANCHOR.finditer(joined)}
    # windows that end where a clause ends, so a run reaches the end of a shared clause
    anchors |= {s[2] + len(s[3]) - min_chars for s in segs if s[2] + len(s[3]) >= min_chars}
    last = len(joined) - min_chars
    return sorted(a for a in anchors if 0 <= a <= last), segs, [s[2] for s in segs], joined


def _hashed(text: str, min_chars: int) -> tuple[list[tuple[int, int]], list, list[int]]:
    """Window hashes as (normalised start, hash), plus what ``_orig`` needs to map back."""
    anchors, segs, starts, joined = _anchored(text, min_chars)
    return [(a, hash(joined[a : a + min_chars])) for a in anchors], segs, starts


def windows(text: str, min_chars: int = MIN_CHARS) -> Iterator[tuple[int, int, int]]:
    """(start, end, hash) of every window of ``text`` (see module docstring)."""
    hashes, segs, starts = _hashed(text, min_chars)
    for a, h in sorted(hashes):
        yield _orig(segs, starts, a), _orig(segs, starts, a + min_chars - 1) + 1, h


def _orig(segs: list, starts: list[int], n: int) -> int:
    """Original offset of normalised position ``n`` (clipped inside an expanded segment)."""
    k = bisect.bisect_right(starts, n) - 1
    ostart, oend, nstart, _ = segs[k]
    return min(ostart + n - nstart, oend - 1)


def _paragraphs(report: Report) -> Iterator[tuple[int, str]]:
    for p in report.paragraphs:
        if p.kind not in SKIP_KINDS:
            yield p.number, p.text


def build_reuse(reports: list[Report], min_chars: int = MIN_CHARS) -> dict:
    """Shared passages and, per report and paragraph, the spans to dim (JSON-ready).

    Memory stays bounded however common a passage is: each shared window keeps a sample
    of ``SAMPLE`` reports and each passage at most ``CAP`` member reports, so a 套话
    found in 5,000 reports costs what one found in 64 does.  The work is done by
    ``reuse_index.update_reuse``, which an incremental build calls with its window table.

    ``{"version", "min_chars", "passages": [{"text", "kind", "reports", "report_count",
    "unit_count", "members"}], "spans": {report_id: {paragraph: [[start, end, passage,
    kind]]}}}``
    """
    from .reuse_index import update_reuse  # it builds on this module's windows

    update = update_reuse(reports, set(), None, None, min_chars)[0]
    return whole_table(update.spans, update.passages, {"version": VERSION, "min_chars": min_chars})


def _kind(units: set[str], own: str) -> str:
    if len(units) >= BOILERPLATE_UNITS:
        return "boilerplate"
    return "repeated" if units == {own} else "copied"


def _runs(text: str, marked: list[tuple[int, int, list[int]]]) -> list[tuple[int, int, set[int]]]:
    """Windows that overlap, or are apart only by punctuation, merged into runs, widened
    over the quotes and brackets around them.  A run's reports are the union of its
    windows' (a report that copied part of the run still shares it)."""
    runs: list[tuple[int, int, set[int]]] = []
    for s, e, where in sorted(marked, key=lambda x: (x[0], x[1])):
        if runs and (s < runs[-1][1] or not normal(text[runs[-1][1] : s])):
            rs, re_, rw = runs[-1]
            rw.update(where)  # the run's own set: a copy per window was quadratic in a run
            runs[-1] = (rs, max(re_, e), rw)
        else:
            runs.append((s, e, set(where)))
    out = []
    for s, e, where in runs:
        while s > 0 and text[s - 1] in OPENERS:
            s -= 1
        while e < len(text) and text[e] in CLOSERS:
            e += 1
        out.append((s, e, where))
    return out


@dataclass
class OwnParagraph:
    """A paragraph split into what is the report's own and what it shares."""

    paragraph: int
    text: str
    own: list[Span] = field(default_factory=list)
    reused: list[Span] = field(default_factory=list)
    own_ratio: float = 1.0

    def to_dict(self) -> dict:
        return {
            "paragraph": self.paragraph,
            "text": self.text,
            "own": [[s.start, s.end] for s in self.own],
            "reused": [[s.start, s.end] for s in self.reused],
            "own_ratio": round(self.own_ratio, 3),
        }


NOT_OWN = ("boilerplate", "copied")


def reused_spans(
    reuse: dict, report_id: str, paragraph: int, kinds: tuple[str, ...] = NOT_OWN
) -> list[Span]:
    """Spans of a paragraph shared with other reports (of the given kinds), merged."""
    rows = reuse.get("spans", {}).get(report_id, {}).get(str(paragraph), [])
    merged: list[Span] = []
    for start, end, _, kind in sorted(rows):
        if kind not in kinds:
            continue
        if merged and start <= merged[-1].end:
            merged[-1].end = max(merged[-1].end, end)
        else:
            merged.append(Span(start, end))
    return merged


def own_text(report: Report, reuse: dict, kinds: tuple[str, ...] = NOT_OWN) -> list[OwnParagraph]:
    """Per substantive paragraph, its own spans and its shared spans.

    By default text carried over from the unit's own earlier report counts as its own
    (``repeated``); pass ``kinds=("boilerplate", "copied", "repeated")`` to treat it too
    as not new.
    """
    out = []
    for number, text in _paragraphs(report):
        reused = reused_spans(reuse, report.meta.id, number, kinds)
        own, pos = [], 0
        for span in reused + [Span(len(text), len(text))]:
            if normal(text[pos : span.start]):
                own.append(Span(pos, span.start))
            pos = span.end
        size = len(normal(text)) or 1
        shared = sum(len(normal(text[s.start : s.end])) for s in reused)
        out.append(OwnParagraph(number, text, own, reused, max(0.0, 1 - shared / size)))
    return out
