"""Tokenizers that honour Whoosh's contract: positions count tokens, chars are offsets.

jieba's stock ``ChineseAnalyzer`` stores character offsets as positions and, in
search mode, adds overlapping sub-words; Whoosh phrase queries then find nothing.
Here ``JiebaTokenizer`` gives one token per jieba word, positions 0, 1, 2 …, for ranked
(BM25) matching of unquoted words, with a domain user dictionary so 公职律师 or 三重一大
stay whole.  Quoted phrases and bare words do not go through jieba at all: they are
substrings of the folded text, answered from per-segment bigram bitmaps (``grams``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from whoosh.analysis import LowercaseFilter, StopFilter, Token, Tokenizer
from whoosh.fields import TEXT
from whoosh.formats import Frequency
from whoosh.system import pack_uint

from ..fold import nfkc
from .segment import tokenizer

END_MARK = "\ue000"  # a private-use character: never in folded report text
STOP_WORDS = frozenset(
    "的 了 和 与 及 等 在 对 将 把 为 是 并 也 又 而 或 其 之 以 于 中 上 下".split()
)


_ALNUM = re.compile(r"[^\W_]")  # a letter or digit: what str.isalnum accepts


def jieba_words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) over NFKC text; whitespace and punctuation are not words."""
    return [t for t in tokenizer()(nfkc(text)) if _ALNUM.search(t[0])]


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


def word_analyzer():
    return JiebaTokenizer() | LowercaseFilter() | StopFilter(stoplist=STOP_WORDS, minsize=1)


class WordsField(TEXT):
    """``TEXT`` over ``word_analyzer`` that indexes without Whoosh's token objects.

    Indexing ran each paragraph through the tokenizer and two filters as a generator of
    mutable ``Token`` objects, then counted them in the format: a quarter of a build's
    time went to that machinery, not to cutting words.  ``index`` here cuts once and
    counts with a ``Counter``, giving exactly the analyzer's terms, frequencies and
    weights (``tests/test_analysis.py`` compares both on the seeds); queries still go
    through ``analyzer``.
    """

    def __init__(self) -> None:
        super().__init__(analyzer=word_analyzer(), phrase=False)
        if type(self.format) is not Frequency or self.format.field_boost != 1.0:
            raise TypeError("WordsField needs the plain Frequency format")

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        words = [w.lower() for w, _, _ in jieba_words(value)]
        for word, freq in Counter(w for w in words if w not in STOP_WORDS).items():
            yield word.encode("utf-8"), freq, float(freq), pack_uint(freq)
