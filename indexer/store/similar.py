"""Similar passages: BM25 "more like this" over jieba words, other reports only.

How other units wrote about the same duty is a question of shared *vocabulary*
(法律顾问, 合法性审查, 合同), not of shared character runs: two units rarely copy each
other, so shingle/MinHash similarity (which finds copied text, see ``compare.reuse``)
ranks the few boilerplate sentences first and misses the same duty in other words.
``bench/bench_similar.py`` measures both on the seeds; this module is the one chosen.

The source paragraph's key words are its jieba words, and the longest known words inside
its compounds, weighted tf × idf (the distinctive words of the passage, not 工作 or 推进); the query is their OR, each
boosted by its weight, scored by the store's BM25, with the source report filtered out.
"""

from __future__ import annotations

import math
from collections import Counter

from whoosh import query

from .analysis import word_analyzer
from .similar_rank import rank_like

KEY_TERMS = 24  # enough for a long paragraph's topics, few enough to stay fast
TOPIC_TF = 2
COMMON = 0.2  # words in more than this share of paragraphs say little and cost most
OVERFETCH = 40
POWER = 2.0  # boost = (weight / best)²: distinctive words dominate (bench_similar.py)


def key_terms(searcher, text: str, topic: str = "") -> list[tuple[str, float]]:
    """The paragraph's most distinctive jieba words, as (word, weight) best first.

    Weight = (1 + log tf) × idf over the ``text`` field; words no other paragraph holds,
    and one-character words (particles, measure words), carry nothing to compare.  Words
    of ``topic`` (the heading the paragraph sits under: 2.聘请常年法律顾问) count
    ``TOPIC_TF`` times more — a long paragraph touches many things but is about its heading.
    """
    counts: Counter = Counter()
    for source, times in ((text, 1), (topic, TOPIC_TF)):
        for token in word_analyzer()(source) if source and times else ():
            if len(token.text) > 1:
                counts[token.text] += times
                for part in sub_words(searcher, token.text):
                    counts[part] += times
    total = searcher.doc_count_all() or 1
    scored = []
    for word, tf in counts.items():
        df = searcher.doc_frequency("text", word)
        if df <= 1 or df > total * COMMON:
            continue
        idf = math.log(total / df)
        if idf <= 0:
            continue
        scored.append((word, (1 + math.log(tf)) * idf))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:KEY_TERMS]


def sub_words(searcher, word: str) -> list[str]:
    """The longest words *inside* a dictionary compound that other paragraphs hold as
    words: 常年法律顾问 → 法律顾问.  Without them a paragraph that says 常年法律顾问 shares
    no word with one that says 法律顾问 (the bare-word problem, for likeness)."""
    if len(word) < 3:
        return []
    known = [
        word[i : i + n]
        for n in range(len(word) - 1, 1, -1)
        for i in range(len(word) - n + 1)
        if searcher.doc_frequency("text", word[i : i + n]) > 1
    ]
    return [w for w in known if not any(w != other and w in other for other in known)]


def more_like_query(terms: list[tuple[str, float]]) -> query.Query:
    """OR of the key words, each boosted by its weight relative to the best one."""
    if not terms:
        return query.NullQuery
    best = terms[0][1]
    return query.Or(
        [query.Term("text", word, boost=(weight / best) ** POWER) for word, weight in terms]
    )


def more_like(
    searcher, text: str, exclude_report: str, limit: int, topic: str = "", lengths_of=None
) -> tuple[list[dict], list[str]]:
    """Stored fields (plus ``score``) of the paragraphs most like ``text`` outside
    ``exclude_report``, best first; and the key words used (for highlighting).

    With ``lengths_of`` (``similar_rank.lengths_with``) the ranking is computed with
    numpy (``similar_rank``), else by Whoosh's search."""
    terms = key_terms(searcher, text, topic)
    q = more_like_query(terms)
    if q is query.NullQuery:
        return [], []
    if lengths_of is not None:
        best = terms[0][1]
        boosted = [(word, (weight / best) ** POWER) for word, weight in terms]
        excluded = set(searcher.docs_for_query(query.Term("report", exclude_report)))
        top = rank_like(searcher, boosted, excluded, limit, lengths_of)
        if top is not None:
            rows = [dict(searcher.stored_fields(d), score=s) for s, d in top]
            return rows, [word for word, _ in terms]
    # A mask costs a second matcher per document; asking for a few more hits and dropping
    # the source report's is about twice as fast, and falls back to the mask when the
    # source report's own paragraphs fill the page.
    results = searcher.search(q, limit=limit + OVERFETCH)
    rows = [hit for hit in results if hit["report"] != exclude_report][:limit]
    if len(rows) < limit and results.scored_length() < len(results):
        results = searcher.search(q, mask=query.Term("report", exclude_report), limit=limit)
        rows = list(results)
    out = [dict(hit.fields(), score=float(hit.score or 0.0)) for hit in rows]
    return out, [word for word, _ in terms]
