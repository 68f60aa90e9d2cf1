"""Folding for matching, with a map back to the original text.

Matching works on NFKC text with all whitespace removed (so １２３４５ finds 12345 and a
phrase broken by an indent or line wrap still matches), while display keeps the
original.  ``Folded.spans`` turns a match in folded text back into original offsets.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


def fold(text: str) -> str:
    """NFKC, then drop every whitespace character: the matching form of any text."""
    return "".join(unicodedata.normalize("NFKC", text).split())


@dataclass
class Folded:
    text: str
    origin: list[int]  # origin[i] = index in the original text of folded char i

    @classmethod
    def of(cls, original: str) -> Folded:
        chars: list[str] = []
        origin: list[int] = []
        for i, ch in enumerate(original):
            for out in unicodedata.normalize("NFKC", ch):
                if not out.isspace():
                    chars.append(out)
                    origin.append(i)
        return cls("".join(chars), origin)

    def find_all(self, needle: str) -> list[tuple[int, int]]:
        """Original-text spans of every occurrence of folded ``needle`` (overlaps allowed)."""
        spans: list[tuple[int, int]] = []
        if not needle:
            return spans
        start = self.text.find(needle)
        while start != -1:
            end = start + len(needle)
            spans.append((self.origin[start], self.origin[end - 1] + 1))
            start = self.text.find(needle, start + 1)
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
