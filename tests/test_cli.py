"""The fazhi command, end to end on the seed corpus (real on-disk index)."""

import json
from pathlib import Path

from indexer.cli import main
from indexer.fold import fold

CORPUS = Path(__file__).parent.parent / "corpus"


def test_index_search_reports_export(runner, tmp_path):
    index = str(tmp_path / "idx")
    result = runner.invoke(main, ["index", str(CORPUS), "--index", index])
    assert result.exit_code == 0, result.output
    assert "5 reports" in result.output
    assert "unknown district (1): 区政府办公室-2022" in result.output

    reports = json.loads(runner.invoke(main, ["reports", "--json", "--index", index]).output)
    assert {(r["unit"], r["year"], r["district"]) for r in reports} == {
        ("区协同办", 2022, "西青区"),
        ("南开区合作交流办", 2023, "南开区"),
        ("万兴街", 2022, "南开区"),
        ("区政府办公室", 2022, None),
        ("区政府办公室", 2023, "东丽区"),
    }
    assert set(reports[0]) == {
        "id",
        "file",
        "unit",
        "district",
        "year",
        "date",
        "title",
        "url",
        "paragraphs",
        "evidence",
    }
    by_id = {r["id"]: r for r in reports}
    office = by_id["区政府办公室-2022"]["evidence"]["unit"]
    assert office["from"] == "opening" and "区政府办公室" in office["line"]

    lines = runner.invoke(main, ["export", "--index", index]).output.splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == sum(r["paragraphs"] for r in reports)
    truth = {(r["report"], r["paragraph"]) for r in rows if "公职律师" in fold(r["text"])}

    out = runner.invoke(main, ["search", '"公职律师"', "--json", "--limit", "0", "--index", index])
    data = json.loads(out.output)
    assert {(h["report"], h["paragraph"]) for h in data["hits"]} == truth
    assert data["total"] == len(truth)
    assert set(data) == {
        "query",
        "total",
        "hits",
        "facets",
        "missing",
        "by_year",
        "partial",
        "warnings",
    }
    assert data["partial"] is False and data["warnings"] == []
    assert set(data["hits"][0]) == {
        "report",
        "file",
        "unit",
        "district",
        "year",
        "section",
        "heading",
        "paragraph",
        "text",
        "highlights",
    }
    start, end = data["hits"][0]["highlights"][0]
    assert data["hits"][0]["text"][start:end] == "公职律师"


def test_search_text_output_lists_missing(runner, built_index):
    out = runner.invoke(main, ["search", '"公职律师"', "--index", str(built_index)])
    assert out.exit_code == 0
    assert "3 paragraphs match" in out.output
    assert "Not mentioned in 3 report(s)" in out.output and "万兴街" in out.output


def test_search_filters(runner, built_index):
    args = ["search", "普法", "--section", "plans", "--year", "2022", "--json"]
    data = json.loads(runner.invoke(main, [*args, "--index", str(built_index)]).output)
    assert data["hits"] and {(h["section"], h["year"]) for h in data["hits"]} == {("plans", 2022)}


def test_errors_are_messages_not_tracebacks(runner, built_index, tmp_path):
    out = runner.invoke(main, ["search", '"公职律师', "--index", str(built_index)])
    assert out.exit_code == 1 and "引号" in out.output and "Traceback" not in out.output
    out = runner.invoke(main, ["reports", "--index", str(tmp_path / "none")])
    assert out.exit_code == 1 and "fazhi index" in out.output
    out = runner.invoke(main, ["index", str(tmp_path / "no-corpus"), "--index", str(tmp_path)])
    assert out.exit_code == 1 and "corpus folder not found" in out.output


def test_index_json_summary_names_skipped_files(runner, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "区司法局2022年法治政府建设年度报告\n2022年，区司法局普法。\n", "utf-8"
    )
    (corpus / "bad.txt").write_bytes(b"\xff\xfe\x00\x01")
    out = runner.invoke(main, ["index", str(corpus), "--index", str(tmp_path / "i"), "--json"])
    summary = json.loads(out.output)
    assert summary["reports"] == 1
    assert summary["skipped"][0]["file"] == "bad.txt"
