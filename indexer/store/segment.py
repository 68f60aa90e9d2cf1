"""Word segmentation: rjieba (jieba-rs) with jieba 0.42.1's cuts, several times faster.

jieba-rs ports jieba's dictionary and algorithm (DAG over the prefix dictionary,
maximum-probability route, HMM for unknown runs), so with the same user dictionary it
cuts Chinese text the same way.  One difference is known and undone here: jieba's HMM
step splits a run of non-Chinese characters with ``([a-zA-Z0-9]+(?:\\.\\d+)?%?)`` and
so yields ``2021`` ``-`` ``2025`` where jieba-rs keeps ``2021-2025`` whole.  A token
without Chinese characters that is not itself one such piece is split the same way.
``tests/test_segment.py`` checks the cuts against jieba on the seeds and on such runs.

jieba stays the fallback when rjieba is not installed (``FAZHI_SEGMENTER=jieba``
forces it), so an index can always be rebuilt with the reference segmenter.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Callable
from importlib import resources

Tokens = list[tuple[str, int, int]]
HAN = re.compile(r"[\u4E00-\u9FD5]")
SKIP = re.compile(r"([a-zA-Z0-9]+(?:\.\d+)?%?)")  # jieba.finalseg's re_skip


def user_words() -> list[tuple[str, int | None, str | None]]:
    """(word, frequency, tag) of the domain user dictionary, jieba's file format."""
    words = []
    text = resources.files("indexer").joinpath("data/userdict.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.strip().split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        tag = parts[-1] if len(parts) > 1 and not parts[-1].isdigit() else None
        words.append((parts[0], freq, tag))
    return words


def jieba_compatible(tokens: Tokens) -> Tokens:
    """Split non-Chinese tokens the way jieba's HMM step does (see module docstring)."""
    out: Tokens = []
    for word, start, end in tokens:
        if len(word) == 1 or HAN.search(word) or SKIP.fullmatch(word):
            out.append((word, start, end))
            continue
        pos = start
        for piece in SKIP.split(word):
            if piece:
                out.append((piece, pos, pos + len(piece)))
                pos += len(piece)
    return out


@functools.lru_cache(maxsize=2)
def segmenter(name: str | None = None) -> tuple[Callable[[str], Tokens], Callable[[str], bool]]:
    """(``text -> [(word, start, end)]``, ``word -> in the dictionary``) with the user
    dictionary; one per process."""
    name = name or os.environ.get("FAZHI_SEGMENTER", "rjieba")
    if name == "rjieba":
        try:
            import rjieba
        except ImportError:
            name = "jieba"
        else:
            # importing rjieba already built one Jieba with the default dictionary (0.2 s);
            # the user words go into that one rather than into a second, built again
            cutter = getattr(rjieba, "_DEFAULT_JIEBA", None)
            if cutter is None:
                cutter = rjieba.Jieba()
            for word, freq, tag in user_words():
                cutter.add_word(word, freq, tag)
            return (lambda text: jieba_compatible(cutter.tokenize(text))), cutter.has_word
    if name != "jieba":
        raise ValueError(f"unknown segmenter {name!r}: use rjieba or jieba")
    import jieba

    jieba.setLogLevel(logging.WARNING)
    reference = jieba.Tokenizer()
    for word, freq, tag in user_words():
        reference.add_word(word, freq, tag)
    reference.check_initialized()
    return (lambda text: list(reference.tokenize(text))), lambda w: bool(reference.FREQ.get(w))


def tokenizer(name: str | None = None) -> Callable[[str], Tokens]:
    """``text -> [(word, start, end)]`` with the user dictionary; one per process."""
    return segmenter(name)[0]


def search_words(text: str, name: str | None = None) -> list[str]:
    """jieba's search mode (``lcut_for_search``): each word of the precise cut, preceded
    by the dictionary's 2- and 3-character words inside it (as jieba 0.42.1 does it)."""
    cut, known = segmenter(name)
    out: list[str] = []
    for word, _, _ in cut(text):
        if len(word) > 2:
            out.extend(g for i in range(len(word) - 1) if known(g := word[i : i + 2]))
        if len(word) > 3:
            out.extend(g for i in range(len(word) - 2) if known(g := word[i : i + 3]))
        out.append(word)
    return out
