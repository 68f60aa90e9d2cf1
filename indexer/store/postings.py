"""Whoosh posting lists read whole, decoded with numpy.

Two readers need a word's whole posting list in a segment: bare-word ranking (its BM25
tf per paragraph) and the match proof of ``exact`` (paragraphs where jieba found a
phrase as one word hold it).  Whoosh's own matcher decodes ids with a Python generator
per posting.
"""

from __future__ import annotations

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound


def postings(m) -> tuple[list[int] | np.ndarray, list[float] | np.ndarray]:
    """A term matcher's ids and weights, whole blocks at a time where the matcher is
    Whoosh's on-disk one.  Its blocks hold the ids as a tuple of deltas and the weights
    as a tuple, one float, or None (all 1.0) — decoded here with numpy: Whoosh's own
    ``_read_ids`` runs a Python generator per posting, and a common word such as 政府
    has a posting in most paragraphs.

    A segment with deletions wraps its postings in a ``FilterMatcher`` that skips the
    deleted ids one call at a time; after one edited report the largest segment has
    some, and that one segment took most of a common word's time.  Its child is read
    in blocks here and the deleted ids dropped with one ``np.isin``: the same postings."""
    if type(m) is FilterMatcher and m._exclude and isinstance(m.child, W3LeafMatcher):
        ids, weights = postings(m.child)
        if not len(ids):
            return ids, weights
        live = ~np.isin(ids, np.fromiter(m._ids, np.int64, len(m._ids)))
        return ids[live], np.asarray(weights)[live] * m.boost
    if isinstance(m, W3LeafMatcher):
        id_parts, weight_parts = [], []
        while m.is_active():
            if m._data is None:
                m._read_data()
            raw_ids, raw_weights = m._data[0], m._data[1]
            block = np.array(raw_ids, dtype=np.int64)
            if not m._byteids:
                block = np.cumsum(block)
            if raw_weights is None:
                weights = np.ones(len(block))
            elif isinstance(raw_weights, float):
                weights = np.full(len(block), raw_weights)
            else:
                weights = np.array(raw_weights, dtype=np.float64)
            id_parts.append(block[m._i :])
            weight_parts.append(weights[m._i :])
            m._next_block()
        if not id_parts:
            return [], []
        return np.concatenate(id_parts), np.concatenate(weight_parts)
    ids: list[int] = []
    weights: list[float] = []
    while m.is_active():
        ids.append(m.id())
        weights.append(m.weight())
        m.next()
    return ids, weights


def doc_frequency(reader, word: str) -> int:
    """In how many of this segment's documents (deleted ones included) jieba found ``word``."""
    try:
        return reader.term_info("text", word).doc_frequency()
    except TermNotFound:
        return 0


def word_docnums(reader, word: str) -> np.ndarray | None:
    """Docnums (deleted ones included) whose ``text`` field holds the jieba word
    ``word`` in this segment, ascending; None if it holds none."""
    if ("text", word) not in reader:
        return None
    ids, _ = postings(reader.postings("text", word))
    return np.asarray(ids, dtype=np.int64)
