"""``reports/index.bin`` finds every report where ``index.json`` says it is; a missing,
damaged or stale one is not used, and searches show the same text either way."""

import os
import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.query import open_index
from indexer.store import catalog, packs
from indexer.store.packlookup import LOOKUP, PackLookup, write_lookup

CORPUS = Path(__file__).parent.parent / "corpus"


@pytest.fixture
def index(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    build_index(corpus, tmp_path / "idx")
    path = corpus / "万兴街-2022.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n新增一段：法律顾问。\n", "utf-8")
    build_index(corpus, tmp_path / "idx")  # two packs
    return tmp_path / "idx"


def _hits(index: Path) -> list:
    with open_index(index) as idx:
        result = idx.search('"法律顾问"', limit=0)
        return [(h.report, h.paragraph, h.unit, h.text) for h in result.hits]


def test_every_report_is_found_where_the_json_index_says(index):
    folder = catalog.current_generation(index) / "reports"
    whole = catalog.pack_index(folder.parent)
    assert len(whole.packs) == 2
    lookup = PackLookup.read(folder, packs.INDEX)
    assert lookup is not None
    for rid in whole.where:
        assert lookup.path_of(rid) == whole.path_of(rid)
        assert lookup.blob(rid) == whole.blob(rid)
    assert lookup.blob("没有这份报告") is None and lookup.path_of("") is None
    assert isinstance(catalog.pack_lookup(folder.parent), PackLookup)


def test_ids_in_any_script_are_found(tmp_path):
    ids = ["b", "a", "万兴街-2022", "万兴街-2021", "Z", "é", "𠀀x", "", "a\nb", "西青区 司法局"]
    where = {rid: ["p.z", i * 10, i + 1] for i, rid in enumerate(ids)}
    (tmp_path / "index.json").write_bytes(b"{}")
    write_lookup(tmp_path, "index.json", {"p.z": 100}, where)
    lookup = PackLookup.read(tmp_path, "index.json")
    for rid, (_, offset, length) in where.items():
        assert lookup._find(rid) == ("p.z", offset, length)
    for absent in ("c", "万", "a\n", " "):
        assert lookup._find(absent) is None


def test_missing_damaged_or_stale_lookups_fall_back_to_the_json_index(index):
    expected = _hits(index)
    assert expected
    folder = catalog.current_generation(index) / "reports"
    path = folder / LOOKUP
    data = path.read_bytes()
    path.write_bytes(data[:-5])  # truncated
    assert PackLookup.read(folder, packs.INDEX) is None
    assert _hits(index) == expected
    path.write_bytes(b"garbage" + data[7:])
    assert PackLookup.read(folder, packs.INDEX) is None
    path.write_bytes(data)
    assert PackLookup.read(folder, packs.INDEX) is not None
    st = (folder / packs.INDEX).stat()  # index.json rewritten after it: stale
    os.utime(folder / packs.INDEX, ns=(st.st_atime_ns, st.st_mtime_ns + 1000))
    assert PackLookup.read(folder, packs.INDEX) is None
    assert isinstance(catalog.pack_lookup(folder.parent), packs.PackIndex)
    assert _hits(index) == expected
    path.unlink()  # an index written before index.bin
    assert _hits(index) == expected
