"""Ranking a lone bare word without Whoosh's matcher tree.

A common word (法治政府: thousands of matching paragraphs) spent most of its search in
Whoosh's Python matchers — AndMaybe over the substring ids, a union of the jieba words,
a collector calling ``score()`` per document.  Here the same scores are computed for all
matches at once with numpy: the substring part per id (``BareWord.substring_scores``)
plus, for each of the word's jieba words, Whoosh's BM25F formula over that word's
postings (same idf, average length, per-document length byte and operation order).
Sums are taken in the order Whoosh's binary union tree and AndMaybe would take them, and
hits are ordered as Whoosh's collector orders them (score descending, docnum
ascending), so answers are bit for bit those of ``searcher.search`` (tests compare both).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from whoosh import query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import NumericColumn
from whoosh.matching.wrappers import FilterMatcher
from whoosh.scoring import BM25FScorer
from whoosh.util.numeric import byte_to_length

from .analysis import END_MARK
from .bare import K1, SUBSTRING_WEIGHT, B, BareWord
from .exact import FoldedColumns
from .postings import postings

# Whoosh unions up to two words with one UnionMatcher; more may take its array matcher,
# whose sums run in another order — those few queries keep the matcher path.
MAX_WORDS = 2

Scores = tuple[np.ndarray, np.ndarray]  # (present mask, score) aligned to the match ids


def fast_rankable(q: query.Query) -> bool:
    """Whether ``rank_bare`` gives exactly what Whoosh's ranked search would."""
    return (
        isinstance(q, BareWord)
        and q.boost == 1.0
        and len(q.words) <= MAX_WORDS
        and bool(q.text)
        and END_MARK not in q.text
    )


class Ranked(NamedTuple):
    scores: np.ndarray  # best first (see ``rank_bare``)
    docnums: np.ndarray  # in the same order
    matches: np.ndarray  # the same docnums ascending: the hit set, no sort needed


def rank_bare(searcher, q: BareWord, allowed: set[int] | None, need: int | None = None) -> Ranked:
    """Scores and global docnums of every paragraph ``q`` matches (within ``allowed``
    when given), best first, ties by docnum — with ``need``, the first ``need`` so and
    the rest after them in docnum order.

    ``need``: only the first ``need`` must be in order (a page ends there).  Counting
    the word's occurrences (its tf) in every match was most of a common word's time;
    each match's score lies between its score at tf = 1 and at the most occurrences its
    length allows, so only matches whose upper bound reaches the ``need``-th best lower
    bound are counted.  Those hold every one of the first ``need`` and are scored
    exactly; the rest keep their lower bound and rank below them."""
    if searcher.is_atomic():
        segments = [(searcher, 0)]
    else:
        segments = searcher.subsearchers
    width = len(q.key.encode("utf-8"))
    top = searcher.reader()
    scorers = {  # ABSENT: the word is in no segment (Whoosh's scorer would raise)
        w: searcher.weighting.scorer(searcher, "text", w) if ("text", w) in top else ABSENT
        for w in {*q.words, q.key}
    }
    found: list[tuple] = []
    for sub, offset in segments:
        reader = sub.reader()
        proof = word_postings(sub, q.key, scorers[q.key]) if q.provable else None
        at = q.matching_ids(reader, proven=None if proof is None else proof.ids)
        if not len(at):
            continue
        matches = len(at)  # the substring's idf counts every match, filtered or not
        if allowed is not None:
            at = at[np.fromiter((d + offset in allowed for d in at.tolist()), bool, len(at))]
        if not len(at):
            continue
        parts = [
            term_scores(
                sub,
                w,
                at,
                q.folded_columns,
                proof if w == q.key else word_postings(sub, w, scorers[w]),
            )
            for w in q.words
        ]
        present, words = union(parts) if parts else (np.zeros(len(at), bool), None)
        most = np.maximum(q.folded_columns.get(reader).lengths[at] // width, 1)
        low = substring_scores(q, sub, at, np.ones(len(at)), matches)
        high = substring_scores(q, sub, at, most.astype(np.float64), matches)
        if words is not None:
            low = np.where(present, low + words, low)
            high = np.where(present, high + words, high)
        found.append((sub, offset, at, matches, present, words, low, high))
    if not found:
        none = np.zeros(0, dtype=np.int64)
        return Ranked(np.zeros(0, dtype=np.float64), none, none)
    lows = np.concatenate([f[6] for f in found])
    threshold = -np.inf
    if need is not None and 0 < need < len(lows):
        threshold = np.partition(lows, len(lows) - need)[len(lows) - need]
        threshold -= 1e-9 * max(1.0, abs(threshold))  # float rounding of the bounds
    elif need == 0:
        threshold = np.inf
    scores, docnums = [], []
    for sub, offset, at, matches, present, words, low, high in found:
        score = low.copy()
        exact = high >= threshold
        if exact.any():
            chosen = at[exact]
            segment = q.folded_columns.get(sub.reader())
            tf = segment.occurrences(chosen, q.key, q.cased).astype(np.float64)
            sub_scores = substring_scores(q, sub, chosen, tf, matches)
            if words is not None:
                sub_scores = np.where(present[exact], sub_scores + words[exact], sub_scores)
            score[exact] = sub_scores
        scores.append(score)
        docnums.append(at + offset)
    score, docnum = np.concatenate(scores), np.concatenate(docnums)
    if need is not None and need < len(score):
        # only the page is ordered (sorting every match of a common word cost ~10 ms):
        # the ``need`` best by (-score, docnum), then the rest in docnum order
        if need == 0:
            return Ranked(score, docnum, docnum)
        kth = np.partition(score, len(score) - need)[len(score) - need]
        head = np.flatnonzero(score >= kth)
        head = head[np.lexsort((docnum[head], -score[head]))][:need]
        rest = np.ones(len(score), dtype=bool)
        rest[head] = False
        order = np.concatenate([head, np.flatnonzero(rest)])
    else:
        order = np.lexsort((docnum, -score))
    return Ranked(score[order], docnum[order], docnum)


ABSENT = object()  # ``word_postings``'s scorer for a word no segment holds


class WordPostings(NamedTuple):
    scorer: object  # None: the word has no posting in the segment
    ids: np.ndarray  # docnums, deleted ones included
    weights: np.ndarray  # tf under BM25F, else Whoosh's own score per posting


def word_postings(sub, word: str, scorer: object = None) -> WordPostings:
    """``word``'s postings in this segment, read whole.  ``scorer``: the query's BM25F
    scorer of ``word`` (idf and average length are corpus-wide, the same in every
    segment): with it the raw postings are read, without a matcher per segment —
    whose scorer summed every segment's field lengths again, segment by segment."""
    if scorer is ABSENT or type(scorer) is BM25FScorer:
        reader = sub.reader()
        if scorer is ABSENT or ("text", word) not in reader:
            return WordPostings(None, np.zeros(0, np.int64), np.zeros(0, np.float64))
        posted, weights = postings(reader.postings("text", word))
        return WordPostings(scorer, np.array(posted, np.int64), np.array(weights, np.float64))
    m = query.Term("text", word).matcher(sub)
    if isinstance(m, FilterMatcher) and m._exclude:
        # a segment with deletions wraps its postings to skip them; callers keep live
        # docnums only, so the block path over the unwrapped postings gives the same
        m = m.child
    if not m.is_active():
        return WordPostings(None, np.zeros(0, np.int64), np.zeros(0, np.float64))
    scorer = getattr(m, "scorer", None) or getattr(m, "_scorer", None)
    if type(scorer) is BM25FScorer:
        posted, weights = postings(m)
    else:  # another weighting: Whoosh scores each posting itself
        posted, weights = [], []
        while m.is_active():
            posted.append(m.id())
            weights.append(m.score())
            m.next()
    return WordPostings(scorer, np.array(posted, np.int64), np.array(weights, np.float64))


def term_scores(
    sub, word: str, at: np.ndarray, folded: FoldedColumns, read: WordPostings | None = None
) -> Scores:
    """Whoosh's BM25F score of ``word`` in each document of ``at`` (this segment);
    ``read``: its postings, if already read."""
    scorer, ids, tf = read if read is not None else word_postings(sub, word)
    present = np.zeros(len(at), dtype=bool)
    score = np.zeros(len(at), dtype=np.float64)
    if scorer is None:
        return present, score
    where = np.searchsorted(at, ids)
    hit = where < len(at)
    hit[hit] = at[where[hit]] == ids[hit]
    where, ids, tf = where[hit], ids[hit], tf[hit]
    if type(scorer) is BM25FScorer:  # whoosh.scoring.bm25, term by term in its order
        fl = text_lengths(sub.reader(), folded)[ids]
        idf, K1, B, avgfl = scorer.idf, scorer.K1, scorer.B, scorer.avgfl
        tf = idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * fl / avgfl)))
    present[where] = True
    score[where] = tf
    return present, score


def substring_scores(q: BareWord, sub, ids: np.ndarray, tf: np.ndarray, matches: int) -> np.ndarray:
    """``BareWord.substring_scores`` for all ids at once (``tf``: the word's occurrences
    in each; ``matches``: in the segment): same tf, length, constants and operation
    order, so the same floats."""
    reader = sub.reader()
    segment = q.folded_columns.get(reader)
    average = q.folded_columns.average_length(reader) or 1.0
    total = sub.get_parent().doc_count_all() or 1
    share = total / max(reader.doc_count_all(), 1)
    idf = math.log(total / (matches * share + 1)) + 1
    scale = SUBSTRING_WEIGHT * q.boost * idf * (K1 + 1)
    size = segment.lengths[ids].astype(np.float64)
    norm = K1 * B / average
    base = K1 * (1 - B)
    return scale * tf / (tf + base + norm * size)


def text_lengths(reader, folded: FoldedColumns) -> np.ndarray:
    """Each document's ``text`` length as BM25F reads it (the stored length byte, 1 if
    none), read once per segment and kept beside the segment's folded column."""
    key = FoldedColumns._key(reader) + "#textlen"
    cache = folded._by_segment
    lengths = cache.get(key)
    if lengths is None:
        codes = length_bytes(reader)
        if codes is not None:  # one read of the column, decoded through a table
            lengths = LENGTH_OF_BYTE[codes]
        else:
            n = reader.doc_count_all()
            lengths = np.fromiter(
                (reader.doc_field_length(d, "text", 1) or 1 for d in range(n)), np.float64, n
            )
        cache[key] = lengths  # type: ignore[assignment]
    return lengths  # type: ignore[return-value]


# Whoosh stores a field length as one byte; 0 (no words: never scored) reads as 1 here.
LENGTH_OF_BYTE = np.array([1.0] + [byte_to_length(b) for b in range(1, 256)], np.float64)


def length_bytes(reader) -> np.ndarray | None:
    """The segment's ``text`` length bytes, one file read (a Python call per document
    was most of a first bare word at 300k); None where the column is not the plain
    one-byte kind whoosh-reloaded 2.7 writes."""
    perdoc = getattr(reader, "_perdoc", None)
    name = _lenfield("text")
    if perdoc is None or not perdoc.has_column(name):
        return None
    column = perdoc.column_reader(name, LENGTHS_COLUMN)
    if type(column) is not NumericColumn.Reader or column._typecode != "B":
        return None
    n = reader.doc_count_all()
    stored = min(column._count, n)
    codes = np.zeros(n, np.uint8)
    if stored:
        codes[:stored] = np.frombuffer(column._dbfile.get(column._basepos, stored), np.uint8)
    return codes


def union(parts: list[Scores]) -> Scores:
    """Sums shaped like ``make_binary_tree(UnionMatcher, …)``: left half + right half,
    a document missing on one side takes the other side's score."""
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    (lp, ls), (rp, rs) = union(parts[:half]), union(parts[half:])
    both = lp & rp
    score = np.where(both, ls + rs, np.where(lp, ls, rs))
    return lp | rp, score
