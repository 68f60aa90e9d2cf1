"""Ranking a lone bare word without Whoosh's matcher tree.

A common word (法治政府: thousands of matching paragraphs) spent most of its search in
Whoosh's Python matchers — AndMaybe over the substring ids, a union of the jieba words,
a collector calling ``score()`` per document.  Here the same scores are added up
directly: the substring part per id (``BareWord.substring_scores``) plus, for each of
the word's jieba words, Whoosh's own BM25F scorer read once along that word's postings.
Sums are taken in the order Whoosh's binary union tree and AndMaybe would take them, and
hits are ordered as Whoosh's collector orders them (score descending, docnum
ascending), so answers are bit for bit those of ``searcher.search`` (tests compare both).
"""

from __future__ import annotations

from whoosh import query

from .analysis import END_MARK
from .bare import BareWord

# Whoosh unions up to two words with one UnionMatcher; more may take its array matcher,
# whose sums run in another order — those few queries keep the matcher path.
MAX_WORDS = 2


def fast_rankable(q: query.Query) -> bool:
    """Whether ``rank_bare`` gives exactly what Whoosh's ranked search would."""
    return (
        isinstance(q, BareWord)
        and q.boost == 1.0
        and len(q.words) <= MAX_WORDS
        and bool(q.text)
        and END_MARK not in q.text
    )


def rank_bare(searcher, q: BareWord, allowed: set[int] | None) -> list[tuple[float, int]]:
    """(score, global docnum) of every paragraph ``q`` matches (within ``allowed`` when
    given), best first, ties by docnum."""
    if searcher.is_atomic():
        segments = [(searcher, 0)]
    else:
        segments = searcher.subsearchers
    hits: list[tuple[float, int]] = []
    for sub, offset in segments:
        ids = q.matching_ids(sub.reader())
        if not ids:
            continue
        # the substring's idf counts every match, filtered or not, as Whoosh's does
        substring = q.substring_scores(sub, ids)
        if allowed is not None:
            kept = [(d, s) for d, s in zip(ids, substring, strict=True) if d + offset in allowed]
            ids, substring = [d for d, _ in kept], [s for _, s in kept]
        words = word_scores(sub, q.words, ids)
        for d, s in zip(ids, substring, strict=True):
            w = words.get(d)
            hits.append((s if w is None else s + w, d + offset))
    hits.sort(key=lambda x: (0 - x[0], x[1]))
    return hits


def word_scores(sub, words: list[str], ids: list[int]) -> dict[int, float]:
    """Docnum → the jieba words' BM25 sum, as Whoosh's union of ``words`` scores it."""
    wanted = set(ids)
    per_word = [term_scores(sub, w, wanted) for w in words]
    if not per_word:
        return {}
    return union(per_word)


def term_scores(sub, word: str, wanted: set[int]) -> dict[int, float]:
    """Whoosh's own score of ``word`` in every wanted document of this segment."""
    m = query.Term("text", word).matcher(sub)
    out: dict[int, float] = {}
    while m.is_active():
        d = m.id()
        if d in wanted:
            out[d] = m.score()
        m.next()
    return out


def union(parts: list[dict[int, float]]) -> dict[int, float]:
    """Sums shaped like ``make_binary_tree(UnionMatcher, …)``: left half + right half,
    a document missing on one side takes the other side's score."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    left, right = union(parts[:half]), union(parts[half:])
    out = dict(left)
    for d, s in right.items():
        out[d] = out[d] + s if d in out else s
    return out
