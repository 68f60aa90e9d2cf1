"""Bulk column reads give exactly Whoosh's own values, on one and on several segments."""

import shutil
from collections import Counter
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index

from indexer.build import build_index
from indexer.store import catalog
from indexer.store.columns import column_codes, column_values, open_column

CORPUS = Path(__file__).parent.parent / "corpus"
NAMES = ("report", "section", "unit", "district", "year", "paragraph")


def _check(gen: Path) -> int:
    ix = whoosh_index.open_dir(str(gen / "store"))
    with ix.reader() as reader:
        for name in NAMES:
            assert column_values(reader.column_reader(name)) == list(reader.column_reader(name))
        segments = len(ix._segments())
    ix.close()
    return segments


def test_bulk_columns_equal_whoosh_columns(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    build_index(corpus, tmp_path / "idx")
    assert _check(catalog.current_generation(tmp_path / "idx")) == 1
    path = corpus / "万兴街-2022.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n新增一段。\n", "utf-8")
    build_index(corpus, tmp_path / "idx")  # a second segment, and deletions in the first
    assert _check(catalog.current_generation(tmp_path / "idx")) == 2


def test_coded_columns_equal_whoosh_columns(tmp_path):
    """Codes into sorted distinct values give every document's value, and counting
    over any docnums gives what a Counter over Whoosh's values gives."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    build_index(corpus, tmp_path / "idx")
    path = corpus / "万兴街-2022.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n新增一段。\n", "utf-8")
    build_index(corpus, tmp_path / "idx")  # two segments
    ix = whoosh_index.open_dir(str(catalog.current_generation(tmp_path / "idx") / "store"))
    with ix.reader() as reader:
        n = reader.doc_count_all()
        some = np.arange(0, n, 3)
        for name in NAMES:
            values = list(reader.column_reader(name))
            coded = column_codes(open_column(reader, name))
            assert coded.labels == sorted(set(values))
            assert [coded[d] for d in range(n)] == values
            expected = Counter(values[d] for d in some.tolist())
            assert coded.counts(some) == dict(sorted(expected.items()))
    ix.close()
