"""Whoosh's mapped segment files are read in place, never copied whole."""

from __future__ import annotations

from whoosh.filedb import compound

from indexer.query import open_index
from indexer.store.unmapped import InPlaceBufferFile


def test_a_searching_store_reads_its_segments_in_place(built_index):
    with open_index(built_index) as idx:
        assert idx.search('"法律顾问"').total > 0
        assert compound.BufferFile is InPlaceBufferFile
        reader = idx.store.searcher().reader()
        assert reader.doc_count_all() == sum(m.paragraphs for m in idx.reports())


def test_in_place_reads_equal_the_bytes():
    data = bytes(range(256)) * 40
    f = InPlaceBufferFile(memoryview(data)[100:9000])
    assert f.read(10) == data[100:110]
    f.seek(5000)
    assert f.read(300) == data[5100:5400] and f.tell() == 5300
    assert f.get(8000, 900) == data[8100:9000]
    f.seek(-4, 2)
    assert f.read(100) == data[8996:9000] and f.read(1) == b""
