"""Facets, 未提及 and the year spread counted with numpy equal a plain loop over the reports.

The loop below is the definition (it is what ``Index.search`` did before the counts
became arrays): every hit counted by report and section, unit/district/year taken from
each hit's report, every report in the filters' scope without a hit listed as missing
(in unit, year, id order), and per known year the reports in scope and those with a hit.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from generated import generate_corpus

from indexer.build import build_index
from indexer.coverage import ReportTable
from indexer.errors import CorruptIndex
from indexer.model import Filters, ReportMeta, YearCount
from indexer.query import open_index
from indexer.store import catalog, report_table
from indexer.store.base import UNKNOWN

ROOT = Path(__file__).parent.parent
QUERIES = [
    '"法律顾问"',
    "公职律师",
    '"依法行政"',
    "普法 OR 复议",
    "法治 NOT 律师",
    '"没有这个短语"',
]
FILTERS = [
    Filters(),
    Filters(year=2022),
    Filters(section="主要举措和成效"),
    Filters(district="西青区", year=2023),
    Filters(unit="没有这个单位"),
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    corpus = generate_corpus(tmp_path_factory.mktemp("coverage-corpus"), body=2, reports=240)
    index = tmp_path_factory.mktemp("coverage-index")
    build_index(corpus, index)
    return index


def _label(value) -> str:
    return UNKNOWN if value is None else str(value)


def _in_scope(meta: ReportMeta, f: Filters) -> bool:
    pairs = ((f.unit, meta.unit), (f.district, meta.district), (f.year, meta.year))
    return all(w in (None, "") or str(w) == _label(a) for w, a in pairs)


def reference(metas: list[ReportMeta], hits, f: Filters):
    by_id = {m.id: m for m in metas}
    counts = {"report": Counter(h.report for h in hits)}
    for name in ("unit", "district", "year"):
        counts[name] = Counter(_label(getattr(by_id[h.report], name)) for h in hits)
    counts["section"] = Counter(h.section for h in hits)
    facets = {
        name: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for name, c in counts.items()
    }
    scope = [m for m in metas if _in_scope(m, f)]
    missing = [m.id for m in scope if m.id not in counts["report"]]
    years = sorted({m.year for m in scope if m.year is not None})
    by_year = [
        YearCount(
            y,
            sum(m.year == y for m in scope),
            sum(m.year == y and m.id in counts["report"] for m in scope),
        )
        for y in years
    ]
    return facets, missing, by_year


def test_numpy_coverage_equals_a_loop_over_every_report(generated):
    with open_index(generated) as idx:
        metas = idx.reports()
        assert len(metas) == 240
        for q in QUERIES:
            for f in FILTERS:
                result = idx.search(q, f, limit=0)
                assert len(result.hits) == result.total
                facets, missing, by_year = reference(metas, result.hits, f)
                assert result.facets == facets, (q, f)
                assert list(result.facets["report"]) == list(facets["report"]), (q, f)
                assert list(result.facets["unit"]) == list(facets["unit"]), (q, f)
                assert result.missing == missing, (q, f)
                assert result.by_year == by_year, (q, f)
        assert idx.search('"法律顾问"').missing  # the check set has both kinds of report
        assert idx.search('"法律顾问"').facets["report"]


def test_sorted_by_unit_and_year_as_before(generated):
    with open_index(generated) as idx:
        metas = {m.id: m for m in idx.reports()}
        for sort in ("unit", "year"):
            hits = idx.search("公职律师", limit=0, sort=sort).hits
            keys = [
                (_label(h.unit), _label(h.year), h.report, h.paragraph)
                if sort == "unit"
                else (_label(h.year), _label(h.unit), h.report, h.paragraph)
                for h in hits
            ]
            assert keys == sorted(keys) and len(hits) > 10
            assert all(h.report in metas for h in hits)


def _meta(rid: str, unit, district, year) -> ReportMeta:
    return ReportMeta(rid, rid + ".txt", unit, district, year, None, None)


def test_unknown_values_and_reports_the_metadata_do_not_list():
    table = ReportTable.of_metas(
        [
            _meta("b", "万兴街", None, 2022),
            _meta("a", None, "西青区", None),
            _meta("c", "万兴街", "西青区", 2023),
            _meta("d", "", "西青区", 2023),
        ]
    )
    facets, missing, by_year = table.coverage({"c": 2, "x": 3}, {"其他": 5}, Filters())
    assert facets["report"] == {"x": 3, "c": 2}
    assert facets["unit"] == {UNKNOWN: 3, "万兴街": 2}  # x is not listed: its hits are 未知
    assert facets["district"] == {UNKNOWN: 3, "西青区": 2}
    assert facets["year"] == {UNKNOWN: 3, "2023": 2}
    assert facets["section"] == {"其他": 5}
    assert missing == ["a", "d", "b"]  # by (unit or "", year or 0, id), as reports() lists
    assert by_year == [YearCount(2022, 1, 0), YearCount(2023, 2, 1)]
    _, missing, by_year = table.coverage({}, {}, Filters(unit=UNKNOWN))
    assert missing == ["a"] and by_year == []
    _, missing, _ = table.coverage({"b": 1}, {}, Filters(year="2022"))
    assert missing == []


def test_counts_as_arrays_give_what_a_dict_gives():
    """A store's ``LabelCounts`` (arrays over its column's labels) and the same counts
    as a dict make the same facets, 未提及 and years — also with labels the metadata do
    not list — and the label → row map is made once per labels array."""
    import numpy as np

    from indexer.store.base import LabelCounts

    table = ReportTable.of_metas(
        [
            _meta("b", "万兴街", None, 2022),
            _meta("a", None, "西青区", None),
            _meta("c", "万兴街", "西青区", 2023),
            _meta("d", "", "西青区", 2023),
        ]
    )
    same = np.array(["a", "b", "c", "d"], dtype=object)  # exactly the table's ids
    assert table._rows_of(same).tolist() == [0, 1, 2, 3]
    assert table._row is None  # seen without a dict of every id
    counts = LabelCounts(same, np.array([1, 3], np.int64), np.array([2, 5], np.int64))
    assert table.coverage(counts, {}, Filters()) == table.coverage({"b": 2, "d": 5}, {}, Filters())
    labels = np.array(["a", "b", "c", "x"], dtype=object)  # x: not in the metadata
    for held, n in (([2, 3], [2, 3]), ([0, 1, 2], [1, 4, 1]), ([], [])):
        counts = LabelCounts(labels, np.array(held, np.int64), np.array(n, np.int64))
        plain = {labels[i]: c for i, c in zip(held, n, strict=True)}
        assert dict(counts) == plain and len(counts) == len(plain)
        assert counts.get("zz") is None and list(counts) == sorted(plain)
        for f in (Filters(), Filters(year="2023"), Filters(unit=UNKNOWN)):
            assert table.coverage(counts, {"其他": 1}, f) == table.coverage(plain, {"其他": 1}, f)
    first = table._rows_of(labels)
    assert table._rows_of(labels) is first  # kept for the same array
    assert first.tolist() == [0, 1, 2, -1]
    other = np.array(["c", "d"], dtype=object)
    assert table._rows_of(other).tolist() == [2, 3]


def test_searches_read_the_report_table_not_every_meta(generated, tmp_path):
    """The build writes ``report-table.json`` beside ``metas.json`` (same reports); a
    search uses it and does not parse ``metas.json``; without it (an older generation)
    the answers are the same; a damaged one is named."""
    index = tmp_path / "idx"
    shutil.copytree(generated, index)
    gen = catalog.current_generation(index)
    columns = json.loads((gen / report_table.TABLE_FILE).read_text(encoding="utf-8"))
    assert columns == report_table.table_columns(catalog.load_metas(gen))
    with open_index(index) as idx:
        before = [idx.search(q, f, limit=0) for q in QUERIES[:3] for f in FILTERS[:2]]
        assert idx.data._metas is None  # metas.json was not read
    (gen / report_table.TABLE_FILE).unlink()
    with open_index(index) as idx:
        assert [idx.search(q, f, limit=0) for q in QUERIES[:3] for f in FILTERS[:2]] == before
    (gen / report_table.TABLE_FILE).write_text('{"id": [1]}', encoding="utf-8")
    with open_index(index) as idx, pytest.raises(CorruptIndex, match="report-table.json"):
        idx.search("公职律师")


def test_an_incremental_build_rewrites_the_report_table(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    build_index(corpus, tmp_path / "idx")
    (corpus / "万兴街-2022.txt").unlink()
    build_index(corpus, tmp_path / "idx")
    gen = catalog.current_generation(tmp_path / "idx")
    columns = json.loads((gen / report_table.TABLE_FILE).read_text(encoding="utf-8"))
    assert columns == report_table.table_columns(catalog.load_metas(gen))
    assert "万兴街-2022" not in columns["id"] and len(columns["id"]) == 4
