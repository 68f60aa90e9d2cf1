"""Similar passages ranked with numpy (``store.similar_rank``) give Whoosh's own ranking:
the same scores, and the same paragraphs at each score (near-ties go by docnum)."""

from __future__ import annotations

from collections import defaultdict

from indexer.store.similar import more_like
from indexer.store.similar_rank import lengths_with


def _groups(rows: list[dict], floor: float) -> dict[float, set]:
    out: dict[float, set] = defaultdict(set)
    for row in rows:
        if round(row["score"], 9) > floor:
            out[round(row["score"], 9)].add((row["report"], row["paragraph"]))
    return dict(out)


def test_numpy_more_like_equals_whooshs(seed_index):
    store = seed_index.store
    searcher = store.searcher()
    lengths = lengths_with(store._folded)
    checked = 0
    for meta in seed_index.reports():
        for p in seed_index.report(meta.id).paragraphs:
            whoosh_rows, words = more_like(searcher, p.text, meta.id, 10)
            numpy_rows, same_words = more_like(searcher, p.text, meta.id, 10, "", lengths)
            assert same_words == words
            ours = [round(r["score"], 9) for r in numpy_rows]
            assert ours == [round(r["score"], 9) for r in whoosh_rows], p.text
            floor = ours[-1] if len(ours) == 10 else -1.0
            assert _groups(numpy_rows, floor) == _groups(whoosh_rows, floor), p.text
            assert all(r["report"] != meta.id for r in numpy_rows)
            checked += bool(numpy_rows)
    assert checked > 50
