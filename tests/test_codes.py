"""Each segment's facet columns written as codes files: the same columns as Whoosh's,
and an index without them (built before) or with a damaged one answers the same."""

import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index

from indexer.build import build_index
from indexer.coverage import ReportTable
from indexer.model import ReportMeta
from indexer.query import open_index
from indexer.store import catalog
from indexer.store.base import FACET_FIELDS
from indexer.store.codes import codes_path, decode, encode, stored_column, write_missing_codes
from indexer.store.columns import column_codes, open_column
from indexer.store.exact import leaf_readers, segment_id

CORPUS = Path(__file__).parent.parent / "corpus"
QUERIES = ['"法律顾问"', "公职律师", '"依法行政"', "普法 OR 复议"]


@pytest.fixture
def two_segments(tmp_path) -> Path:
    """An index of two segments, the first with deletions (one report edited)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    build_index(corpus, tmp_path / "idx")
    path = corpus / "万兴街-2022.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n新增一段：法律顾问。\n", "utf-8")
    build_index(corpus, tmp_path / "idx")
    return tmp_path / "idx"


def _store(index: Path) -> Path:
    return catalog.current_generation(index) / "store"


def _answers(index: Path) -> list:
    with open_index(index) as idx:
        out = []
        for q in QUERIES:
            for sort in ("relevance", "unit"):
                r = idx.search(q, limit=0, sort=sort)
                out.append((r.total, [(h.report, h.paragraph) for h in r.hits], r.facets))
                out.append((r.missing, r.by_year))
        return out


def test_every_segment_gets_codes_equal_to_whoosh_columns(two_segments):
    store = _store(two_segments)
    ix = whoosh_index.open_dir(str(store))
    with ix.reader() as reader:
        leaves = [leaf for leaf, _ in leaf_readers(reader)]
        assert len(leaves) == 2 and leaves[0].has_deletions()
        for leaf in leaves:
            for name in FACET_FIELDS:
                assert codes_path(store, segment_id(leaf), name).exists()
        for name in FACET_FIELDS:
            stored = stored_column(reader, name, store)
            decoded = column_codes(open_column(reader, name))
            assert stored.labels == decoded.labels == sorted(set(reader.column_reader(name)))
            assert stored.codes.tolist() == decoded.codes.tolist()
            assert [stored[d] for d in range(reader.doc_count_all())] == list(
                reader.column_reader(name)
            )
    ix.close()


def test_an_index_without_codes_answers_the_same_and_the_next_build_writes_them(two_segments):
    before = _answers(two_segments)
    store = _store(two_segments)
    for path in store.glob("*.codes"):
        path.unlink()  # as built before the codes files
    assert _answers(two_segments) == before
    build_index(CORPUS, two_segments)  # an update: every segment of the new generation
    store = _store(two_segments)
    ix = whoosh_index.open_dir(str(store))
    segments = [s.segment_id() for s in ix._segments()]
    ix.close()
    assert sorted(p.name for p in store.glob("*.codes")) == sorted(
        codes_path(store, s, n).name for s in segments for n in FACET_FIELDS
    )


def test_damaged_codes_files_are_read_from_the_segment(two_segments):
    before = _answers(two_segments)
    store = _store(two_segments)
    files = sorted(store.glob("*.report.codes"))
    files[0].write_bytes(files[0].read_bytes()[:-3])  # truncated
    data = bytearray(files[1].read_bytes())
    data[:8] = b"XXXXXXXX"
    files[1].write_bytes(bytes(data))
    for path in store.glob("*.section.codes"):
        path.write_bytes(b"")
    assert _answers(two_segments) == before


def test_decode_rejects_what_the_segment_cannot_hold():
    data = encode(np.array([0, 1, 1, 0]), ["a", "b"])
    refs, values = decode(data, 4)
    assert refs.tolist() == [0, 1, 1, 0] and values == ["a", "b"]
    with pytest.raises(ValueError):
        decode(data, 5)  # another segment's document count
    with pytest.raises(ValueError):
        decode(encode(np.array([0, 2]), ["a", "b"]), 2)  # a code past the values
    with pytest.raises(ValueError):
        decode(data[:-1], 4)
    wide = encode(np.arange(300) % 300, [f"r{i:03d}" for i in range(300)])
    assert decode(wide, 300)[0].dtype.itemsize == 2


def test_write_missing_codes_writes_only_what_is_missing(two_segments):
    store = _store(two_segments)
    ix = whoosh_index.open_dir(str(store))
    with ix.reader() as reader:
        assert write_missing_codes(reader, store) == 0
        one = sorted(store.glob("*.codes"))[0]
        one.unlink()
        assert write_missing_codes(reader, store) == 1 and one.exists()
    ix.close()


def test_report_listing_order_is_unit_then_year_then_id():
    rng = random.Random(7)
    units = [None, "", "万兴街", "西青区司法局", "b", "未知"]
    metas = [
        ReportMeta(
            f"r{i:03d}",
            "f.txt",
            rng.choice(units),
            None,
            rng.choice([None, 2022, 2023]),
            None,
            None,
        )
        for i in range(300)
    ]
    table = ReportTable.of_metas(metas)
    ids = sorted(m.id for m in metas)
    by_id = {m.id: m for m in metas}
    expected = sorted(ids, key=lambda i: (by_id[i].unit or "", by_id[i].year or 0))
    assert table.ids[table.display].tolist() == expected
