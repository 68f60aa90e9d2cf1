"""``more_like``'s ranking with numpy: the same BM25F sums, without Whoosh's matcher tree.

A more-like-this query is an OR of up to 24 boosted words, each in up to a fifth of the
paragraphs; Whoosh's union matchers and collector scored it document by document (1.2 s
at 100k paragraphs, 4 s at 300k).  Here each word's postings are read block by block
(``bare_rank.postings``) and scored with Whoosh's BM25F formula over the stored length
bytes (``bare_rank.text_lengths``), times the word's boost, and the scores summed per
document: the same terms and scores as Whoosh's up to the summation order (the last
bits), so the same ranking but for near-ties, which go by docnum here.
"""

from __future__ import annotations

import numpy as np
from whoosh import query
from whoosh.scoring import BM25FScorer

from .bare_rank import postings, text_lengths
from .exact import FoldedColumns


def rank_like(
    searcher, terms: list[tuple[str, float]], excluded: set[int], limit: int, lengths_of
) -> list[tuple[float, int]]:
    """(score, docnum) of the ``limit`` best paragraphs for ``terms`` (word, boost) outside
    the docnums ``excluded``, best first, ties by docnum; ``None`` if a word is scored by
    something else than BM25F (then Whoosh's own search must do it)."""
    segments = [(searcher, 0)] if searcher.is_atomic() else searcher.subsearchers
    scores, docnums = [], []
    for sub, offset in segments:
        total = np.zeros(sub.reader().doc_count_all(), dtype=np.float64)
        lengths = None
        for word, boost in terms:
            m = query.Term("text", word).matcher(sub)
            if not m.is_active():
                continue
            scorer = getattr(m, "scorer", None) or getattr(m, "_scorer", None)
            if type(scorer) is not BM25FScorer:
                return None
            if lengths is None:
                lengths = lengths_of(sub.reader())
            posted, weights = postings(m)
            ids = np.array(posted, dtype=np.int64)
            tf = np.array(weights, dtype=np.float64)
            fl = lengths[ids]
            idf, k1, b, avgfl = scorer.idf, scorer.K1, scorer.B, scorer.avgfl
            total[ids] += boost * (idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl))))
        held = np.flatnonzero(total)
        scores.append(total[held])
        docnums.append(held + offset)
    score, docnum = np.concatenate(scores), np.concatenate(docnums)
    if excluded:
        keep = ~np.isin(docnum, np.fromiter(excluded, np.int64, len(excluded)))
        score, docnum = score[keep], docnum[keep]
    # Whoosh's sums run in a per-segment order, so equal paragraphs may differ in the
    # last bits there; here a score is rounded to 1e-9 first and ties go by docnum
    order = np.lexsort((docnum, -np.round(score, 9)))[:limit]
    return list(zip(score[order].tolist(), docnum[order].tolist(), strict=True))


def lengths_with(folded: FoldedColumns):
    """``reader -> text lengths``, kept per segment beside ``folded`` (as bare words do)."""
    return lambda reader: text_lengths(reader, folded)
