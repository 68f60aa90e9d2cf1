"""Matches proven by jieba words equal the verified matches, and proofs really happen."""

from pathlib import Path

import numpy as np

from indexer.store.exact import ExactPhrase
from indexer.store.grams import docnum_array
from indexer.store.proof import (
    LEXICON_FILE,
    REMEMBERED,
    Lexicon,
    proven_mask,
    segment_words,
    uncased,
)


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
        lexicon = Lexicon(segment_words(reader))
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
    lexicon = Lexicon(segment_words(reader))
    for phrase in ("法治", "政府建设", "律师", "公职律师"):
        if len(phrase) < 3:
            continue
        expected = [w for w in lexicon.words if phrase in w]
        assert lexicon.containing(phrase, limit=10**6) == expected
        assert lexicon.containing(phrase, limit=1) == expected[:1]
        again = lexicon.containing(phrase, limit=10**6)  # remembered: the same answer
        again.append("x")  # a caller's copy
        assert lexicon.containing(phrase, limit=10**6) == expected
    for n in range(REMEMBERED + 5):  # the memory is bounded
        lexicon.containing(f"没有{n}")
    assert len(lexicon._found) <= REMEMBERED
    assert lexicon.containing("政府建设", limit=10**6) == [
        w for w in lexicon.words if "政府建设" in w
    ]


def test_the_build_lists_every_words_segment_and_an_update_adds_its_own(tmp_path):
    import shutil

    from indexer.build import build_index
    from indexer.query import open_index
    from indexer.store import catalog

    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).parent.parent / "corpus", corpus)
    index = tmp_path / "idx"
    build_index(corpus, index)

    def listed():
        store = catalog.current_generation(index) / "store"
        return set(Lexicon.load(store).words)

    with open_index(index) as idx:
        readers = _segments(idx.store)
        expected = {w for r in readers for w in segment_words(r)}
    assert listed() == expected and len(expected) > 50
    first = sorted(corpus.glob("*.txt"))[0]
    first.write_text(
        first.read_text(encoding="utf-8") + "\n此外，推进蜂窝式网格化治理。\n", "utf-8"
    )
    build_index(corpus, index)
    assert expected <= listed()  # kept, not recomputed
    assert any("蜂窝" in w or "网格化" in w for w in listed() - expected)  # the new segment's


def test_a_missing_or_damaged_list_proves_nothing(tmp_path):
    assert Lexicon.load(tmp_path).words == []
    (tmp_path / LEXICON_FILE).write_bytes(b"{not json")
    assert Lexicon.load(tmp_path).words == []
