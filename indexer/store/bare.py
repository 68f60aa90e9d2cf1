"""Bare (unquoted) words: matched as substrings of the folded text, ranked by BM25.

A user types 法律顾问 and expects every paragraph that says it.  jieba cannot promise
that: where the user dictionary holds 常年法律顾问 as one word, jieba never emits
法律顾问 there, and a jieba-word match would miss the paragraph (and list its report as
"not mentioning" the term).  So a bare word matches exactly the paragraphs whose folded
text (NFKC, whitespace removed, ASCII letters in either case) contains it — the same
bigram-candidate + byte-verification matcher as quoted phrases (``exact``).

Ranking keeps BM25 over jieba words: the word's own jieba words score as usual (``text``
field) and are added where present, plus a smaller BM25-shaped score of the substring's
occurrences.  A paragraph holding the word as a jieba word (or holding it more often, or
a short heading that holds it) therefore ranks above one that holds it only inside a
longer word, while both are found.

Splitting: punctuation inside a bare word separates words, as a space would
(法律顾问、公职律师 = 法律顾问 AND 公职律师); % and ‰ stay, and so do . - _ / between
ASCII letters or digits (12.5%, COVID-19).  A word made of punctuation only is matched literally.
"""

from __future__ import annotations

import math
import unicodedata

import numpy as np
from pyroaring import BitMap
from whoosh import query
from whoosh.matching import AndMaybeMatcher, ListMatcher, NullMatcher

from ..fold import ascii_lower, fold
from .analysis import END_MARK, word_analyzer
from .exact import ExactPhrase
from .grams import docnum_array, gram_key

# Weight of the substring part against the jieba-word BM25 part, and BM25's constants.
SUBSTRING_WEIGHT = 0.3
K1, B = 1.2, 0.75


class BareWord(ExactPhrase):
    """One bare word: matches paragraphs whose folded text contains it (ASCII case
    ignored); scores BM25 of its jieba words plus a damped substring BM25."""

    def __init__(self, text: str, boost: float = 1.0) -> None:
        super().__init__(text, boost)
        self.key = ascii_lower(self.text)
        self.cased = any(c.isascii() and c.isalpha() for c in self.text)
        analyzer = word_analyzer()
        self.words = list(dict.fromkeys(t.text for t in analyzer(self.text) if t.text))

    def __repr__(self) -> str:
        return f"BareWord({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, BareWord) and other.key == self.key

    def __hash__(self) -> int:
        return hash(("BareWord", self.key))

    def candidates(self, reader) -> BitMap:
        """Docnums (in this segment) holding every bigram of the word in some ASCII case."""
        if not self.cased:
            return super().candidates(reader)
        segment = self.folded_columns.get(reader)
        key = self.key
        if len(key) == 1:
            return BitMap.union(BitMap(), *(segment.starting_with(v) for v in case_variants(key)))
        postings = [
            BitMap.union(BitMap(), *(segment.posting(gram_key(*v)) for v in case_variants(g)))
            for g in dict.fromkeys(key[i : i + 2] for i in range(len(key) - 1))
        ]
        postings.sort(key=len)
        return BitMap.intersection(*postings) if len(postings) > 1 else postings[0]

    def matching_ids(self, reader, proven: np.ndarray | None = None) -> np.ndarray:
        """Docnums (in this segment, ascending) whose folded text contains the word,
        ASCII case aside (``proven``: see ``ExactPhrase.matching_ids``)."""
        if not self.cased:
            return super().matching_ids(reader, proven)
        found = self.live_candidates(reader)
        if len(self.key) > 2 and found:
            return self.folded_columns.get(reader).verified(found, self.key, lower=True)
        return docnum_array(found)

    def docs(self, searcher):
        if not self.text or END_MARK in self.text:
            return iter(())
        return iter(self.matching_ids(searcher.reader()).tolist())

    def matcher(self, searcher, context=None):
        if not self.text or END_MARK in self.text:
            return NullMatcher()
        reader = searcher.reader()
        found = self.matching_ids(reader)
        if not len(found):
            return NullMatcher()
        ids = found.tolist()
        if context is not None and context.weighting is None:  # boolean: no scores
            return ListMatcher(ids, all_weights=self.boost)
        matches = ScoredIds(ids, weights=self.substring_scores(searcher, found))
        words = [query.Term("text", w, boost=self.boost) for w in self.words]
        if not words:
            return matches
        ranked = query.Or(words).matcher(searcher, context)
        if not ranked.is_active():
            return matches
        return AndMaybeMatcher(matches, ranked)

    def substring_scores(self, searcher, ids: np.ndarray) -> list[float]:
        """BM25 of the substring's occurrences (tf = count in the folded text, length =
        folded UTF-8 byte length), damped by ``SUBSTRING_WEIGHT``."""
        reader = searcher.reader()
        column = self.folded_columns.get(reader)
        average = self.folded_columns.average_length(reader) or 1.0
        parent = searcher.get_parent()
        total = parent.doc_count_all() or 1
        share = total / max(reader.doc_count_all(), 1)
        idf = math.log(total / (len(ids) * share + 1)) + 1
        scale = SUBSTRING_WEIGHT * self.boost * idf * (K1 + 1)
        norm = K1 * B / average
        base = K1 * (1 - B)
        tfs = np.maximum(column.occurrences(ids, self.key, self.cased), 1).tolist()
        sizes = column.lengths[ids].tolist()
        return [scale * tf / (tf + base + norm * size) for tf, size in zip(tfs, sizes, strict=True)]


class ScoredIds(ListMatcher):
    """A ListMatcher whose best weight is computed once: Whoosh asks for it at every
    ``replace`` of the AndMaybe matcher, and ``max`` over thousands of weights each time
    cost a fifth of a common word's search."""

    def block_max_weight(self):
        best = getattr(self, "_best", None)
        if best is None:
            best = self._best = max(self._weights) if self._weights else 1.0
        return best


def case_variants(text: str) -> list[str]:
    """Every spelling of ``text`` with its ASCII letters in either case (≤ 4 for a bigram)."""
    out = [""]
    for ch in text:
        if "a" <= ch <= "z" or "A" <= ch <= "Z":
            out = [p + c for p in out for c in (ch.lower(), ch.upper())]
        else:
            out = [p + ch for p in out]
    return out


def split_bare(text: str) -> list[str]:
    """The bare words of one whitespace-free query token: punctuation separates them,
    except % and ‰, and . - _ / between two ASCII letters or digits (12.5, COVID-19)."""
    folded = fold(text)
    words, current = [], []
    for i, ch in enumerate(folded):
        if unicodedata.category(ch)[0] in "PZC" and not _joiner(folded, i):
            if current:
                words.append("".join(current))
            current = []
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    if not words and folded:
        return [folded]  # only punctuation: match it literally
    return words


KEEP = frozenset("%‰")  # punctuation by category, but part of a figure
JOINERS = frozenset(".-_/")  # kept between ASCII letters or digits: 12.5, COVID-19


def _joiner(text: str, i: int) -> bool:
    if text[i] in KEEP:
        return True
    return (
        text[i] in JOINERS
        and 0 < i < len(text) - 1
        and text[i - 1].isascii()
        and text[i - 1].isalnum()
        and text[i + 1].isascii()
        and text[i + 1].isalnum()
    )


def bare_query(text: str, boost: float = 1.0) -> query.Query | None:
    """A bare query token: one BareWord, or the AND of the words punctuation separates."""
    words = [BareWord(w, boost) for w in split_bare(text)]
    if not words:
        return None
    return words[0] if len(words) == 1 else query.And(words)
