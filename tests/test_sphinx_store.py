"""The SphinxQL store against the Whoosh store on the seeds: identical answers.

A real 2×2 cluster (``scripts/cluster.sh``) holds the seeds; every query of the test set
must give the same hits, totals, facets and ``missing`` on both stores.  Relevance order
depends on each engine's BM25, so hits are compared as sets there and in full order for
the unit and year sorts.
"""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import CORPUS

from indexer.build import build_index
from indexer.cli import main
from indexer.model import Filters
from indexer.query import open_index

QUERIES = [
    '"公职律师"',
    '"法律顾问"',
    '"法治政府建设"',
    '"，"',
    '"2022年"',
    '"公职律，师"',
    '"依法 行政"',
    '"ICP"',
    "法律顾问",
    "法治政府",
    "公职律师 法律顾问",
    "公职律师 OR 行政复议",
    "法治 NOT 疫情",
    "NOT 法治",
    '"法律顾问" AND 合同',
    '("公职律师" OR "法律顾问") AND NOT "合同"',
    "普法 ANDNOT 宣传",
    "unit:区协同办",
    "year:2022 法治",
    "section:plans",
    "section:measures OR section:shortcomings",
    "district:西青区 依法",
    "不存在的词语",
    "",
    "2022",
    "12345",
    "icp",
    "ICP",
    "法律顾问、公职律师",
    "常年法律顾问",
    "法 律",
    '"，" OR 顾问',
    "year:[2020 TO 2022]",
    "year:{2022 TO] 法治",
]
FILTERS = [
    Filters(),
    Filters(year=2022),
    Filters(section="measures"),
    Filters(unit="区政府办公室"),
    Filters(district="南开区", section="plans"),
]


@pytest.fixture(scope="module")
def indexes(cluster, built_index, tmp_path_factory):
    sphinx_dir = tmp_path_factory.mktemp("sphinx-index")
    build_index(CORPUS, sphinx_dir, backend=cluster.url)
    return built_index, sphinx_dir


def key(hit):
    return (hit.report, hit.paragraph)


def answer(idx, q, filters, sort="relevance", limit=0, offset=0):
    r = idx.search(q, filters, limit=limit, offset=offset, sort=sort)
    hits = [key(h) for h in r.hits]
    if sort == "relevance":
        hits = sorted(hits)
    texts = {key(h): (h.text, h.section, h.unit, h.year, h.heading, h.file) for h in r.hits}
    highlights = {key(h): [(s.start, s.end) for s in h.highlights] for h in r.hits}
    return r.total, hits, r.facets, r.missing, r.terms, texts, highlights, r.partial


@pytest.mark.parametrize("q", QUERIES)
def test_same_answers_as_whoosh(indexes, q):
    whoosh_dir, sphinx_dir = indexes
    with open_index(whoosh_dir) as w, open_index(sphinx_dir) as s:
        for filters in FILTERS:
            for sort in ("relevance", "unit", "year"):
                expected = answer(w, q, filters, sort)
                assert answer(s, q, filters, sort) == expected, (q, filters, sort)
            # a page in the middle of a column sort
            assert answer(s, q, filters, "unit", 3, 2) == answer(w, q, filters, "unit", 3, 2)


def test_some_queries_have_hits_and_missing(indexes):
    """The comparison above means something: the test set finds, and leaves out, reports."""
    _, sphinx_dir = indexes
    with open_index(sphinx_dir) as s:
        r = s.search("法律顾问", limit=0)
        assert r.total >= 4 and r.missing and not r.partial
        assert s.search('"公职律，师"', limit=0).total == 0


def test_backend_recorded_and_used_without_flag(cluster, indexes, tmp_path):
    _, sphinx_dir = indexes
    runner = CliRunner()
    out = runner.invoke(main, ["search", '"公职律师"', "--json", "--index", str(sphinx_dir)])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["total"] > 0 and data["partial"] is False


def test_incremental_build_replaces_and_deletes_on_shards(cluster, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = tmp_path / "index"
    whoosh_dir = tmp_path / "whoosh"
    runner = CliRunner()
    out = runner.invoke(
        main, ["index", str(corpus), "--index", str(index_dir), "--backend", cluster.url]
    )
    assert out.exit_code == 0, out.output
    files = sorted(p for p in corpus.iterdir() if p.suffix == ".txt")
    # edit one report, remove another
    edited = files[0]
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\n新增段落：独一无二的测试短语甲乙丙。\n",
        encoding="utf-8",
    )
    files[1].unlink()
    out = runner.invoke(main, ["index", str(corpus), "--index", str(index_dir), "--json"])
    assert out.exit_code == 0, out.output
    summary = json.loads(out.output)
    assert summary["updated"] and len(summary["removed"]) == 1 and summary["unchanged"] >= 1
    build_index(corpus, whoosh_dir)
    with open_index(index_dir) as s, open_index(whoosh_dir) as w:
        for q in ('"独一无二的测试短语甲乙丙"', "法律顾问", '"公职律师"', ""):
            assert answer(s, q, Filters(), "unit") == answer(w, q, Filters(), "unit"), q
        assert s.search('"独一无二的测试短语甲乙丙"').total == 1
        assert len(s.reports()) == len(files) - 1
