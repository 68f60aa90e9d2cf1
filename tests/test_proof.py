"""Matches proven by jieba words equal the verified matches, and proofs really happen."""

import numpy as np

from indexer.store.exact import ExactPhrase
from indexer.store.grams import docnum_array
from indexer.store.proof import SegmentLexicon, proven_mask, uncased


def _segments(store):
    searcher = store.searcher()
    return (
        [s.reader() for s, _ in searcher.subsearchers]
        if not searcher.is_atomic()
        else [searcher.reader()]
    )


def test_words_inside_longer_words_are_proven_and_still_exact(seed_index):
    store = seed_index.store
    checked = proven_by_longer = 0
    for reader in _segments(store):
        lexicon = SegmentLexicon(reader)
        words = set(lexicon.words)
        assert all(len(w) > 2 and uncased(w) for w in words)
        # phrases that are not words themselves but sit inside longer words
        inner = sorted({w[1:] for w in words if len(w) > 3} - words)[:40]
        for phrase in inner:
            q = store.parse(f'"{phrase}"')
            assert isinstance(q, ExactPhrase)
            q.folded_columns = store._folded
            segment = store._folded.get(reader)
            verified = segment.verified(q.live_candidates(reader), q.text)
            assert q.matching_ids(reader).tolist() == verified.tolist(), phrase
            ids = docnum_array(q.live_candidates(reader))
            held = proven_mask(reader, phrase, lexicon, ids, min_docs=1)  # seeds are small
            if held is not None:
                assert np.isin(ids[held], verified).all(), phrase  # proven: holds it
                proven_by_longer += int(held.any())
            checked += 1
    assert checked > 20 and proven_by_longer > 5


def test_containing_finds_every_word_holding_the_phrase(seed_index):
    reader = _segments(seed_index.store)[0]
    lexicon = SegmentLexicon(reader)
    for phrase in ("法治", "政府建设", "律师", "公职律师"):
        if len(phrase) < 3:
            continue
        expected = [w for w in lexicon.words if phrase in w]
        assert lexicon.containing(phrase, limit=10**6) == expected
        assert lexicon.containing(phrase, limit=1) == expected[:1]
