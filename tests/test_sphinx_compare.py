"""Comparisons through the backend: the same task views, counts and ``missing`` on Whoosh
and on a real 2×2 cluster — and on the cluster no report file is read for them.

Counts with a taxonomy other than the build's (``--tasks``) and the unpaged task views
come from one search per task (``compare.taskhits``); they must equal the counting rules
run on every whole report (``tasks.task_counts``), which is what the build does.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import CORPUS

from indexer import compare
from indexer.build import build_index
from indexer.cli import main
from indexer.compare.districts import district_matrix, district_view
from indexer.compare.taskhits import task_queries
from indexer.compare.tasks import load_tasks, task_counts
from indexer.query import open_index
from indexer.store import catalog

# exclusions, sections, ASCII case, digits, punctuation inside a keyword, a keyword
# the query syntax cannot say (a double quote: that task is counted from the reports)
TAXONOMY = """
[[task]]
id = "advisers"
label = "法律顾问"
keywords = ["法律顾问", "公职律师"]
exclude = ["法律顾问管理服务平台"]

[[task]]
id = "plans"
label = "明年安排"
keywords = ["下一步"]
sections = ["plans"]

[[task]]
id = "latin"
label = "ICP 与热线"
keywords = ["ICP", "12345", "App"]

[[task]]
id = "pairs"
label = "顾问、律师"
keywords = ["法律顾问、公职律师", "复议与应诉", "“谁执法谁普法”"]

[[task]]
id = "leaders"
label = "第一责任人"
keywords = ["第一责任人", "述法"]
sections = ["leadership"]
exclude = ["党风廉政建设第一责任人"]
"""
QUOTED = '\n[[task]]\nid = "quoted"\nlabel = "引号"\nkeywords = [\'说"法"\', "普法"]\n'
QUERIES = ["法律顾问", '"公职律师"', "普法 OR 复议", "section:plans", "不存在的词语", "ICP"]


@pytest.fixture(scope="module")
def taxonomy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("taxonomy")
    (folder / "engine.toml").write_text(TAXONOMY, encoding="utf-8")
    (folder / "quoted.toml").write_text(TAXONOMY + QUOTED, encoding="utf-8")
    return folder / "engine.toml", folder / "quoted.toml"


@pytest.fixture(scope="module")
def indexes(cluster, built_index, tmp_path_factory):
    sphinx_dir = tmp_path_factory.mktemp("sphinx-compare")
    build_index(CORPUS, sphinx_dir, backend=cluster.url)
    return built_index, sphinx_dir


@pytest.fixture
def loads(monkeypatch):
    """Every report file read from the catalog (the real reader, counted)."""
    read = []
    real = catalog.load_report

    def counted(gen, report_id, *pack_index):
        read.append(report_id)
        return real(gen, report_id, *pack_index)

    monkeypatch.setattr(catalog, "load_report", counted)
    return read


def whole_report_counts(index_dir, tasks_path):
    tasks = load_tasks(tasks_path)
    with open_index(index_dir) as idx:
        return {m.id: task_counts(idx.report(m.id), tasks) for m in idx.reports()}


def test_engine_asks_every_task_but_the_quoted_one(taxonomy):
    engine, quoted = taxonomy
    assert all(task_queries(t) for t in load_tasks(engine))
    assert [t.id for t in load_tasks(quoted) if task_queries(t) is None] == ["quoted"]
    (latin,) = [t for t in load_tasks(engine) if t.id == "latin"]
    assert task_queries(latin) == ["icp OR 12345 OR app"]  # bare words: ASCII case ignored


@pytest.mark.parametrize("which", [None, "engine", "quoted"])
def test_task_matrix_same_on_both_and_as_whole_reports(indexes, taxonomy, which):
    path = {None: None, "engine": taxonomy[0], "quoted": taxonomy[1]}[which]
    whoosh_dir, sphinx_dir = indexes
    with open_index(whoosh_dir) as w, open_index(sphinx_dir) as s:
        expected = compare.task_matrix(w, tasks_path=path).to_dict()
        assert compare.task_matrix(s, tasks_path=path).to_dict() == expected
        assert district_matrix(s, tasks_path=path) == district_matrix(w, tasks_path=path)
    if path is not None:
        whole = whole_report_counts(whoosh_dir, path)
        assert {
            rid: {tid: expected["counts"][tid][rid] for tid in expected["counts"]} for rid in whole
        } == whole
        # the comparison means something: counts vary, and the exclusion bites
        assert len({n for row in whole.values() for n in row.values()}) >= 3


@pytest.mark.parametrize("which", [None, "engine", "quoted"])
def test_task_views_same_on_both_and_as_report_by_report(indexes, taxonomy, which):
    path = {None: None, "engine": taxonomy[0], "quoted": taxonomy[1]}[which]
    whoosh_dir, sphinx_dir = indexes
    with open_index(whoosh_dir) as w, open_index(sphinx_dir) as s:
        ids = {m.id for m in w.reports()}
        for task in load_tasks(path):
            for year in (None, 2022, 2023):
                expected = compare.task_view(w, task=task.id, year=year, tasks_path=path).to_dict()
                # the same view assembled report by report, from whole reports
                one_by_one = compare.task_view(
                    w, task=task.id, year=year, tasks_path=path, only=ids
                )
                assert one_by_one.to_dict() == expected, (task.id, year)
                got = compare.task_view(s, task=task.id, year=year, tasks_path=path)
                assert got.to_dict() == expected, (task.id, year)
                view = district_view(s, task=task.id, year=year, tasks_path=path)
                assert (
                    view.to_dict()
                    == district_view(w, task=task.id, year=year, tasks_path=path).to_dict()
                )


def test_missing_is_true_and_items_are_counted(indexes, taxonomy):
    _, sphinx_dir = indexes
    with open_index(sphinx_dir) as s:
        view = compare.task_view(s, task="advisers", tasks_path=taxonomy[0])
        assert view.columns and view.missing
        for rid in view.missing:  # 未提及 must be true: no paragraph names it
            assert not any("法律顾问" in p.text for p in s.report(rid).paragraphs)
        counts = compare.task_matrix(s, tasks_path=taxonomy[0]).counts["advisers"]
        assert {c.report.id: len(c.items) for c in view.columns} == {
            rid: n for rid, n in counts.items() if n
        }


@pytest.mark.parametrize("q", QUERIES)
def test_query_views_same_on_both(indexes, q):
    whoosh_dir, sphinx_dir = indexes
    with open_index(whoosh_dir) as w, open_index(sphinx_dir) as s:
        for year in (None, 2022):
            expected = compare.task_view(w, query=q, year=year).to_dict()
            assert compare.task_view(s, query=q, year=year).to_dict() == expected
            ids = {m.id for m in w.reports()}
            assert compare.task_view(w, query=q, year=year, only=ids).to_dict() == expected


def test_cluster_reads_no_report_file_for_counts_and_views(indexes, taxonomy, loads):
    """On the cluster the hits carry their parse: the task matrix with another taxonomy,
    the unpaged task views, the query views (also a page of them), ``missing`` and the
    district heat map read no report file; the year view reads exactly its two reports."""
    whoosh_dir, sphinx_dir = indexes
    path = taxonomy[0]
    with open_index(sphinx_dir) as s:
        ids = [m.id for m in s.reports()]
        matrix = compare.task_matrix(s, tasks_path=path)
        assert any(n for row in matrix.counts.values() for n in row.values())
        views = [compare.task_view(s, task=t.id, tasks_path=path) for t in load_tasks(path)]
        views += [compare.task_view(s, task="legal-advisers")]
        views += [compare.task_view(s, query=q) for q in QUERIES]
        views += [compare.task_view(s, query=q, only=set(ids[:3])) for q in QUERIES]  # a page
        assert all(v.columns for v in views[:2]) and any(v.missing for v in views)
        district_matrix(s, tasks_path=path)
        assert loads == []
        a_id, b_id = compare.reports_for_unit(s, "区政府办公室")
        compare.year_view(s, a_id, b_id)
        assert sorted(loads) == sorted([a_id, b_id])
    loads.clear()
    with open_index(whoosh_dir) as w:  # the embedded store keeps no parse: it reads reports
        compare.task_matrix(w, tasks_path=path)
        assert loads and set(loads) <= set(ids)


def test_cli_unpaged_views_read_no_report_file(indexes, taxonomy, loads):
    whoosh_dir, sphinx_dir = indexes
    runner = CliRunner()
    outputs = {}
    for name, folder in (("whoosh", whoosh_dir), ("sphinx", sphinx_dir)):
        cmds = [
            ["compare", "task", "--query", "法律顾问", "--json"],
            ["compare", "task", "advisers", "--tasks", str(taxonomy[0]), "--json"],
            ["tasks", "--tasks", str(taxonomy[0]), "--json"],
        ]
        outputs[name] = []
        for cmd in cmds:
            loads.clear()
            out = runner.invoke(main, [*cmd, "--index", str(folder)])
            assert out.exit_code == 0, out.output
            outputs[name].append(json.loads(out.output))
            if name == "sphinx":
                assert loads == [], cmd
    assert outputs["sphinx"] == outputs["whoosh"]
