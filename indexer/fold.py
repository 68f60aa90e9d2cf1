"""Folding for matching, with a map back to the original text.

Matching works on NFKC text with all whitespace removed (so １２３４５ finds 12345 and a
phrase broken by an indent or line wrap still matches), while display keeps the
original.  ``Folded.spans`` turns a match in folded text back into original offsets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_SPACE = re.compile(r"\s")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _has_ascii_letter(text: str) -> bool:
    return any(c.isascii() and c.isalpha() for c in text)


def ascii_lower(text: str) -> str:
    """ASCII letters lowercased, nothing else touched (same length, same offsets): bare
    words and highlights ignore the case of Latin letters, as ``bytes.lower`` does."""
    return text.translate(_ASCII_LOWER)


# Full-width ASCII (，：（）１２ …) and the ideographic space: what keeps Chinese text
# from being NFKC already.  Each maps to its whole NFKC decomposition, so NFKC of the
# mapped text is NFKC of the original.
_WIDE_CHAR = re.compile("[\uff01-\uff5e\u3000]")
_WIDE = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)} | {"\u3000": " "}


def _narrow(match: re.Match) -> str:
    return _WIDE[match.group()]


def nfkc(text: str) -> str:
    """NFKC of ``text``, about six times faster on report text: once full-width ASCII
    is mapped (a regex pass over the few such characters), a paragraph is almost always
    NFKC already, which ``is_normalized`` confirms in microseconds, where ``normalize``
    rebuilds the whole string."""
    mapped = _WIDE_CHAR.sub(_narrow, text)
    if unicodedata.is_normalized("NFKC", mapped):
        return mapped
    return unicodedata.normalize("NFKC", mapped)


def fold(text: str) -> str:
    """NFKC, then drop every whitespace character: the matching form of any text."""
    return "".join(nfkc(text).split())


@dataclass
class Folded:
    text: str
    origin: list[int]  # origin[i] = index in the original text of folded char i

    @classmethod
    def of(cls, original: str) -> Folded:
        normal = nfkc(original)
        if len(normal) == len(original):  # the usual case: NFKC maps char to char
            origin = [i for i, ch in enumerate(normal) if not ch.isspace()]
            return cls("".join(normal[i] for i in origin), origin)
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(original):
            for out in unicodedata.normalize("NFKC", ch):
                if not out.isspace():
                    chars.append(out)
                    origin.append(i)
        return cls("".join(chars), origin)

    @staticmethod
    def spans_in(original: str, needle: str, ignore_case: bool = False) -> list[tuple[int, int]]:
        """Original-text spans of folded ``needle`` (ASCII case ignored if asked); skips
        building the map when folding changes no offset (no whitespace, NFKC char for
        char) — the usual report paragraph."""
        if not needle:
            return []
        ignore_case = ignore_case and _has_ascii_letter(needle)
        # No whitespace and NFKC char for char (full-width ，：（） map one to one): the
        # folded text is ``normal`` itself and offsets carry over — no map to build.
        normal = None if _SPACE.search(original) else _WIDE_CHAR.sub(_narrow, original)
        if normal is not None and unicodedata.is_normalized("NFKC", normal):
            haystack = ascii_lower(normal) if ignore_case else normal
            needle = ascii_lower(needle) if ignore_case else needle
            spans, start = [], haystack.find(needle)
            while start != -1:
                spans.append((start, start + len(needle)))
                start = haystack.find(needle, start + 1)
            return spans
        return Folded.of(original).find_all(needle, ignore_case)

    def find_all(self, needle: str, ignore_case: bool = False) -> list[tuple[int, int]]:
        """Original-text spans of every occurrence of folded ``needle`` (overlaps allowed)."""
        spans: list[tuple[int, int]] = []
        if not needle:
            return spans
        text = ascii_lower(self.text) if ignore_case else self.text
        needle = ascii_lower(needle) if ignore_case else needle
        start = text.find(needle)
        while start != -1:
            end = start + len(needle)
            spans.append((self.origin[start], self.origin[end - 1] + 1))
            start = text.find(needle, start + 1)
        return spans


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, non-overlapping spans: what a highlighter can render."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
