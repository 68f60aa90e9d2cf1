"""The direct ranking of a lone bare word equals Whoosh's matcher-tree ranking exactly."""

from collections import Counter

import numpy as np
import pytest
from test_bare import EVERYDAY
from whoosh.matching.wrappers import FilterMatcher

from indexer.model import Filters
from indexer.store.bare import BareWord
from indexer.store.bare_rank import fast_rankable, rank_bare, word_postings
from indexer.store.exact import ExactPhrase
from indexer.store.postings import postings

# Words with zero, one and two jieba words, common and rare, Latin and digits.
WORDS = [*EVERYDAY, "法治政府建设", "依法治区", "ABC", "x", "的"]


def slow_ranking(store, text: str, filters: Filters) -> list[tuple[float, int]]:
    """(score, docnum) as ``searcher.search`` over Whoosh's matchers ranks them."""
    q = store.parse(text)
    q.folded_columns = store._folded
    searcher = store.searcher()
    results = searcher.search(q, filter=store.filter_query(filters), limit=None)
    return [(hit.score, hit.docnum) for hit in results]


def fast_ranking(store, text: str, filters: Filters) -> list[tuple[float, int]]:
    q = store.parse(text)
    assert fast_rankable(q), text
    q.folded_columns = store._folded
    searcher = store.searcher()
    fq = store.filter_query(filters)
    allowed = None if fq is None else set(searcher.docs_for_query(fq))
    scores, docnums, matches = rank_bare(searcher, q, allowed)
    assert matches.tolist() == sorted(docnums.tolist())  # the hit set, ascending
    return list(zip(scores.tolist(), docnums.tolist(), strict=True))


@pytest.mark.parametrize("word", WORDS)
def test_same_hits_scores_and_order_as_whoosh(seed_index, word):
    store = seed_index.store
    if len(store.parse(word).words) > 2:  # Whoosh may sum these in another order
        assert not fast_rankable(store.parse(word))
        return
    for filters in (Filters(), Filters(year=2023), Filters(section="主要举措和成效")):
        slow = slow_ranking(store, word, filters)
        assert fast_ranking(store, word, filters) == slow, (word, filters)


def test_common_words_are_really_compared(seed_index):
    store = seed_index.store
    fast = [w for w in WORDS if fast_rankable(store.parse(w))]
    assert len(fast) > 0.8 * len(WORDS)
    assert any(len(store.parse(w).words) == 2 for w in fast)  # a union of two words
    assert any(len(store.parse(w).words) == 0 for w in fast)  # substring part only
    sizes = {w: len(slow_ranking(store, w, Filters())) for w in ("法治", "建设", "政府建设")}
    assert all(n > 20 for n in sizes.values()), sizes
    scores = [s for s, _ in slow_ranking(store, "法治政府", Filters())]
    assert len(set(scores)) > 5  # ranked, not all equal


def test_search_pages_match_the_matcher_path(seed_index):
    """``store.search`` (fast path) returns Whoosh's order page by page, with facets."""
    store = seed_index.store
    for word in ("法治", "政府建设", "顾问"):
        slow = slow_ranking(store, word, Filters())
        stored = store.searcher().stored_fields
        for offset, limit in ((0, 20), (7, 5), (0, None)):
            raw = store.search(word, Filters(), limit, offset, "relevance")
            assert raw.total == len(slow)
            end = None if limit is None else offset + limit
            want = [(stored(d)["report"], stored(d)["paragraph"], s) for s, d in slow[offset:end]]
            assert [(r["report"], r["paragraph"], r["score"]) for r in raw.rows] == want
            reports = Counter(stored(d)["report"] for _, d in slow)
            assert raw.counts["report"] == reports


def test_quoted_phrases_and_boolean_queries_keep_the_matcher_path(seed_index):
    store = seed_index.store
    assert not fast_rankable(store.parse('"法治政府"'))
    assert isinstance(store.parse('"法治政府"'), ExactPhrase)
    assert not fast_rankable(store.parse("法治 政府"))
    assert not fast_rankable(store.parse("法治^2"))


def test_segments_with_deletions_rank_as_whoosh(tmp_path):
    """After an edit the first segment has deleted paragraphs (Whoosh then wraps its
    postings); the direct ranking and every page still equal the matcher path."""
    import shutil
    from pathlib import Path

    from indexer.build import build_index
    from indexer.query import open_index

    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).parent.parent / "corpus", corpus)
    path = sorted(corpus.glob("*.txt"))[0]
    build_index(corpus, tmp_path / "idx")
    path.write_text(path.read_text(encoding="utf-8") + "\n法治政府建设新增一段。\n", "utf-8")
    build_index(corpus, tmp_path / "idx")
    with open_index(tmp_path / "idx") as idx:
        store = idx.store
        reader = store.searcher().reader()
        assert any(leaf.has_deletions() for leaf, _ in reader.leaf_readers())
        for word in ("法治", "法治政府", "政府建设", "普法", "法律顾问"):
            slow = slow_ranking(store, word, Filters())
            assert fast_ranking(store, word, Filters()) == slow, word
            for offset, limit in ((0, 3), (2, 4), (0, None)):
                raw = store.search(word, Filters(), limit, offset, "relevance")
                end = None if limit is None else offset + limit
                assert [r["score"] for r in raw.rows] == [s for s, _ in slow[offset:end]]
        wrapped = 0
        for leaf, _ in reader.leaf_readers():
            for word in ("法治", "政府", "建设", "法律顾问", "新增"):
                if ("text", word) not in leaf:
                    continue
                m = leaf.postings("text", word)
                wrapped += type(m) is FilterMatcher  # the block path over its child
                ids, weights = postings(m)
                assert isinstance(ids, np.ndarray)  # read in blocks, not one id per call
                slow_m = leaf.postings("text", word)
                want = []
                while slow_m.is_active():
                    want.append((slow_m.id(), slow_m.weight()))
                    slow_m.next()
                assert (
                    list(zip(np.asarray(ids).tolist(), np.asarray(weights).tolist(), strict=True))
                    == want
                )
        assert wrapped  # a segment with deletions really took the unwrapping path


def test_length_column_read_at_once_equals_whoosh_per_document(seed_index):
    from indexer.store.bare_rank import LENGTH_OF_BYTE, length_bytes

    reader = seed_index.store.searcher().reader()
    for leaf, _ in reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]:
        codes = length_bytes(leaf)
        assert codes is not None and len(codes) == leaf.doc_count_all() > 0
        for d, code in enumerate(codes.tolist()):
            assert LENGTH_OF_BYTE[code] == (leaf.doc_field_length(d, "text", 1) or 1)


def test_a_words_own_postings_prove_matches_without_changing_them(seed_index):
    """Where jieba kept the word (or quoted phrase) whole, its postings stand in for
    verification — the same matches as verifying every candidate, and really used."""
    store = seed_index.store
    searcher = store.searcher()
    subs = searcher.subsearchers if not searcher.is_atomic() else [(searcher, 0)]
    used = 0
    texts = [*WORDS, "法治政府", "行政复议", "ICP", "Ab测试", "ⅰ法治"]
    for text in [*texts, *(f'"{t}"' for t in texts)]:
        q = store.parse(text)
        if not isinstance(q, ExactPhrase):
            continue
        q.folded_columns = store._folded
        for sub, _ in subs:
            reader = sub.reader()
            segment = store._folded.get(reader)
            verified = segment.verified(q.live_candidates(reader), q.text)
            if isinstance(q, BareWord) and q.cased:
                continue
            assert q.matching_ids(reader).tolist() == verified.tolist(), text
            if not q.provable:
                assert len(q.text) <= 2 or any(c.lower() != c or c.upper() != c for c in q.text)
                continue
            proof = word_postings(sub, q.text).ids
            assert q.matching_ids(reader, proven=proof).tolist() == verified.tolist(), text
            used += int(np.isin(verified, proof).sum() * 2 > len(verified) > 0)
    assert used > 0
