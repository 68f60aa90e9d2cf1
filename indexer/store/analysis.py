"""Tokenizers that honour Whoosh's contract: positions count tokens, chars are offsets.

jieba's stock ``ChineseAnalyzer`` stores character offsets as positions and, in
search mode, adds overlapping sub-words; Whoosh phrase queries then find nothing.
Here there are two fields with two jobs:

* ``JiebaTokenizer`` — one token per jieba word, positions 0, 1, 2 …, for ranked
  (BM25) matching of unquoted words, with a domain user dictionary so 公职律师 or
  三重一大 stay whole.
* ``BigramTokenizer`` — the exact-phrase field: every overlapping pair of characters
  of the folded text, at its character position, punctuation included.  A quoted
  phrase of n ≥ 2 characters becomes n-1 bigrams at consecutive positions, which
  matches exactly where the folded text contains the phrase — however jieba would
  have cut it.  The last character also gets an end token so a one-character phrase
  is a prefix query over this field.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from whoosh.analysis import LowercaseFilter, StopFilter, Token, Tokenizer

from ..fold import fold
from .segment import tokenizer

END_MARK = "\ue000"  # a private-use character: never in folded report text
STOP_WORDS = frozenset(
    "的 了 和 与 及 等 在 对 将 把 为 是 并 也 又 而 或 其 之 以 于 中 上 下".split()
)


def jieba_words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) over NFKC text; whitespace and punctuation are not words."""
    normal = unicodedata.normalize("NFKC", text)
    out = []
    for word, start, end in tokenizer()(normal):
        if word.strip() and any(ch.isalnum() for ch in word):
            out.append((word, start, end))
    return out


class JiebaTokenizer(Tokenizer):
    """jieba words with Whoosh positions (token ordinals) and char offsets."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.original = token.text = value
            token.boost = 1.0
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for pos, (word, start, end) in enumerate(jieba_words(value), start=start_pos):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token


class BigramTokenizer(Tokenizer):
    """Overlapping character bigrams of the folded text, one position per character."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        text = fold(value) if tokenize else value
        grams = bigrams(text) if tokenize else [value]
        for offset, gram in enumerate(grams):
            token.text = gram
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = gram
            if positions:
                token.pos = start_pos + offset
            if chars:
                token.startchar, token.endchar = start_char + offset, start_char + offset + 2
            yield token


def bigrams(folded: str) -> list[str]:
    """The exact-phrase terms of folded text: n-1 bigrams plus the end token."""
    if not folded:
        return []
    return [folded[i : i + 2] for i in range(len(folded) - 1)] + [folded[-1] + END_MARK]


def word_analyzer():
    return JiebaTokenizer() | LowercaseFilter() | StopFilter(stoplist=STOP_WORDS, minsize=1)


def exact_analyzer():
    return BigramTokenizer()
