"""未提及 is a finding: task views, the task matrix and query views never list a report
that says the thing — they use the bare-word test (folded substring, ASCII case aside)."""

from __future__ import annotations

import json

from indexer.build import build_index
from indexer.cli import main
from indexer.compare import task_matrix, task_view
from indexer.compare.tasks import load_tasks
from indexer.fold import ascii_lower, fold
from indexer.query import open_index


def says(text: str, task) -> bool:
    """An independent scan: a keyword left after blanking out every exclusion phrase."""
    folded = ascii_lower(fold(text))
    for phrase in task.folded_exclude:
        folded = folded.replace(phrase, "\0" * len(phrase))
    return any(k in folded for k in task.folded_keywords)


def test_cli_compare_task_query_on_the_seeds(runner, built_index):
    out = runner.invoke(
        main, ["compare", "task", "--query", "法律顾问", "--json", "--index", str(built_index)]
    )
    assert out.exit_code == 0, out.output
    view = json.loads(out.output)
    assert len(view["columns"]) == 4
    assert all(item["text"] and "法律顾问" in item["text"] for item in view["columns"][0]["items"])
    assert all(c["items"] and all(i["text"] for i in c["items"]) for c in view["columns"])
    assert {c["unit"] for c in view["columns"]} >= {"万兴街"}  # 常年法律顾问 counts
    with open_index(built_index) as idx:
        (missing,) = view["missing"]
        meta = idx.report(missing).meta
        assert (meta.unit, meta.year) == ("区政府办公室", 2023)


def test_no_task_lists_a_report_that_says_it(seed_index):
    matrix = task_matrix(seed_index)
    for task in load_tasks(None, seed_index.corpus_dir):
        view = task_view(seed_index, task=task.id)
        for report_id in view.missing:
            report = seed_index.report(report_id)
            said = [p.number for p in report.paragraphs if says(p.text, task)]
            assert not said, (task.id, report_id, said)
            assert matrix.counts[task.id][report_id] == 0
        for column in view.columns:
            assert matrix.counts[task.id][column.report.id] > 0
        for report_id, count in matrix.counts[task.id].items():
            assert (count == 0) == (report_id in view.missing), (task.id, report_id)


REPORT = """\
东丽区某局2022年法治政府建设年度报告

一、主要举措和成效
（一）法律顾问
今年我局认真开展各项工作，推进依法行政。
二、存在的不足和原因
学习不够深入。
三、下一年度主要安排
继续推进依法行政。

东丽区某局
2023年1月10日
"""


def test_a_mention_only_in_a_heading_is_not_silence(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(REPORT, encoding="utf-8")
    build_index(corpus, tmp_path / "index")
    with open_index(tmp_path / "index") as idx:
        (meta,) = idx.reports()
        assert task_matrix(idx).counts["legal-advisers"][meta.id] >= 1
        view = task_view(idx, task="legal-advisers")
        assert not view.missing
        (column,) = view.columns
        assert any("法律顾问" in item.text and item.highlights for item in column.items)
        assert idx.search("法律顾问").missing == []
