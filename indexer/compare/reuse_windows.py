"""Anchored windows of a report hashed the same in every process (``reuse_index``).

Window hashes are kept in the generation's window table and compared across builds
and processes, so they are a 64-bit polynomial hash of the window's code points
(vectorised with numpy), not Python's salted ``hash``.
"""

from __future__ import annotations

import numpy as np

from ..model import Report
from .reuse import MIN_CHARS, _anchored, _paragraphs

BASE = np.uint64(0x9E3779B97F4A7C15)
Windows = list[tuple[int, str, np.ndarray, np.ndarray, list, list[int]]]


def _poly(codes: np.ndarray, n: int) -> np.ndarray:
    """Hash of every run of ``n`` code points (Horner's rule, wrapping at 2⁶⁴)."""
    m = len(codes) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(m, dtype=np.uint64)
    for k in range(n):
        h = h * BASE + codes[k : k + m]
    return h


def report_windows(report: Report, min_chars: int = MIN_CHARS) -> Windows:
    """Per substantive paragraph: number, text, window starts, their hashes, segments."""
    paras, chunks, offset = [], [], 0
    for number, text in _paragraphs(report):
        anchors, segs, starts, joined = _anchored(text, min_chars)
        if anchors:
            paras.append((number, text, offset, anchors, segs, starts))
        chunks.append(joined)
        offset += len(joined)
    if not paras:
        return []
    codes = np.frombuffer("".join(chunks).encode("utf-32-le"), dtype=np.uint32)
    hashes = _poly(codes.astype(np.uint64), min_chars)
    return [
        (number, text, np.asarray(anchors), hashes[np.asarray(anchors) + at], segs, starts)
        for number, text, at, anchors, segs, starts in paras
    ]


def unique_hashes(windows: Windows) -> np.ndarray:
    if not windows:
        return np.zeros(0, dtype=np.uint64)
    return np.unique(np.concatenate([w[3] for w in windows]))
