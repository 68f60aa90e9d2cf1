"""Similar passages through the plain store protocol, for stores without ``more_like``.

The Whoosh store answers ``Index.similar`` itself (``store.similar``: weighted BM25
more-like-this, the method ``bench/bench_similar.py`` measured and chose).  Another store
(the SphinxQL cluster) may not; it still answers searches, so the same idea is put
together from them: the source's distinctive jieba words (tf × idf, document
frequencies from the store's own counts), then an OR of those words as bare words,
ranked by the store's BM25, the source report dropped.  Unweighted, so a little less
sharp than the Whoosh method, but the same contract.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from .model import Filters
from .store.analysis import jieba_words
from .store.base import RawResult

KEY_WORDS = 12
OVERFETCH = 40
COMMON = 0.2


def key_words(store: Any, text: str, topic: str, paragraphs: int) -> list[str]:
    """The source's most distinctive words, best first; frequencies from the store."""
    counts: Counter = Counter()
    for source, times in ((text, 1), (topic, 2)):
        for word, _, _ in jieba_words(source) if source else ():
            if len(word) > 1 and not any(ch in word for ch in '"():\\'):
                counts[word.lower()] += times
    total = max(paragraphs, 1)
    scored = []
    for word, tf in counts.most_common(4 * KEY_WORDS):
        df = store.search(f'"{word}"', Filters(), 0, 0, "unit").total
        if 1 < df <= total * COMMON:
            scored.append((word, (1 + math.log(tf)) * math.log(total / df)))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return [word for word, _ in scored[:KEY_WORDS]]


def more_like(
    store: Any, text: str, exclude_report: str, limit: int, topic: str, paragraphs: int
) -> RawResult:
    """What ``WhooshStore.more_like`` returns, made of ``store.search`` calls."""
    words = key_words(store, text, topic, paragraphs)
    if not words:
        return RawResult(total=0, rows=[], terms=[])
    raw = store.search(" OR ".join(words), Filters(), limit + OVERFETCH, 0, "relevance")
    rows = [row for row in raw.rows if row["report"] != exclude_report][:limit]
    return RawResult(total=len(rows), rows=rows, terms=words)
