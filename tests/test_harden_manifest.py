"""Sweep (issue 10 items 4–7, issue 9 item 4): manifests are validated, ids are stable."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.cli import main
from indexer.ingest.manifest import ManifestError, check_value, load_manifest
from indexer.query import open_index

CORPUS = Path(__file__).parent.parent / "corpus"
XIETONG = "区协同办-2022.txt"


@pytest.fixture
def corpus(tmp_path) -> Path:
    target = tmp_path / "c"
    shutil.copytree(CORPUS, target)
    return target


def metas_by_file(index_dir: Path) -> dict:
    with open_index(index_dir) as idx:
        return {m.file: m for m in idx.reports()}


def test_wrong_types_are_reported_and_the_rest_indexed(corpus, tmp_path, runner):
    (corpus / "reports.toml").write_text(
        f'["{XIETONG}"]\nyear = "abc"\nunit = 123\ndistrict = ["a", "b"]\n'
        'date = 2024-01-01\ntitle = "协同办报告"\n',
        encoding="utf-8",
    )
    result = runner.invoke(main, ["index", str(corpus), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert f'reports.toml: [{XIETONG}] year: expected a year, got "abc"' in result.output
    assert f"reports.toml: [{XIETONG}] unit: expected text, got 123" in result.output
    assert f"[{XIETONG}] district: expected text, got ['a', 'b']" in result.output
    meta = metas_by_file(tmp_path / "ix")[XIETONG]
    assert meta.date == "2024-01-01"  # a native TOML date is accepted
    assert meta.title == "协同办报告"
    assert meta.year == 2022  # the bad year is dropped; the text's own year stands
    assert len(metas_by_file(tmp_path / "ix")) == 5


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("year", "2023", 2023),
        ("year", 2023, 2023),
        ("date", "2024年3月28日", "2024-03-28"),
        ("date", "2024/3/8", "2024-03-08"),
        ("unit", "  区司法局 ", "区司法局"),
        ("id", "dongli-sifa-2023", "dongli-sifa-2023"),
    ],
)
def test_good_values_are_normalised(key, value, expected):
    assert check_value(key, value) == (expected, None)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("year", 99999, "expected a year between 1949 and"),
        ("year", 1800, "expected a year between"),
        ("year", True, "expected a year, got True"),
        ("date", "2024-02-30", "expected a date"),
        ("date", 20240101, "expected a date"),
        ("id", "../../etc/passwd", "an id cannot contain /"),
        ("id", "a\\b", "an id cannot contain"),
        ("id", "", "expected an id"),
        ("url", "javascript:alert(1)", "expected a web address"),
        ("distrct", "东丽区", "unknown key (did you mean district?)"),
    ],
)
def test_bad_values_are_explained(key, value, message):
    clean, problem = check_value(key, value)
    assert clean is None
    assert message in problem


def test_typos_stale_entries_duplicate_ids(corpus, tmp_path):
    (corpus / "reports.toml").write_text(
        f'stray = 1\n["{XIETONG}"]\ndistrct = "东丽区"\nid = "xt"\n'
        '["万兴街-2022.txt"]\nid = "xt"\n'
        '["区政府办公室-2022.txt"]\nid = "../../etc/passwd"\nyear = 99999\n'
        '["gone.txt"]\nunit = "区司法局"\n',
        encoding="utf-8",
    )
    summary = build_index(corpus, tmp_path / "ix")
    text = "\n".join(summary.problems)
    assert f"[{XIETONG}] distrct: unknown key (did you mean district?)" in text
    assert "[gone.txt]: names no file in the corpus" in text
    assert '"xt" is already the id of' in text
    assert "stray = 1 is not a" in text
    assert "an id cannot contain /" in text
    assert "expected a year between" in text
    metas = metas_by_file(tmp_path / "ix")
    assert metas[XIETONG].id == "xt"
    assert metas["万兴街-2022.txt"].id != "xt"
    assert "/" not in metas["区政府办公室-2022.txt"].id
    assert metas["区政府办公室-2022.txt"].year == 2022


def test_manifest_that_is_not_toml_stops_the_build_with_the_line(corpus, tmp_path):
    (corpus / "reports.toml").write_text('["a.txt"\nyear = 1\n', encoding="utf-8")
    with pytest.raises(ManifestError, match=r"reports.toml.*line 1"):
        build_index(corpus, tmp_path / "ix")


def test_csv_manifest_overrides_and_reports(corpus, tmp_path):
    (corpus / "reports.csv").write_bytes(
        (
            "file,url,unit,district,year,date,title\n"
            f"{XIETONG},https://example.gov.cn/a.html,区协同发展办,河西区,,2023-03-01,\n"
            "./万兴街-2022.txt,,,,abc,,\n"
            "missing.txt,,区司法局,,,,\n"
            f"{XIETONG},,,,,,\n"
        ).encode("utf-8-sig")
    )
    (corpus / "reports.toml").write_text(f'["{XIETONG}"]\ndistrict = "东丽区"\n', "utf-8")
    summary = build_index(corpus, tmp_path / "ix")
    text = "\n".join(summary.problems)
    assert 'reports.csv:3 [万兴街-2022.txt] year: expected a year, got "abc"' in text
    assert "reports.csv:4 [missing.txt]: names no file in the corpus" in text
    assert "file listed again" in text
    meta = metas_by_file(tmp_path / "ix")[XIETONG]
    assert meta.url == "https://example.gov.cn/a.html"
    assert meta.unit == "区协同发展办"  # the row overrides what was read
    assert meta.date == "2023-03-01"
    assert meta.district == "东丽区"  # reports.toml wins over the crawler's row
    assert meta.year == 2022  # an empty cell says nothing


def test_csv_manifest_in_gb18030_and_unknown_columns(corpus):
    (corpus / "reports.csv").write_bytes(
        f"file,unti,year\n{XIETONG},区司法局,2022\n".encode("gb18030")
    )
    manifest = load_manifest(corpus)
    assert manifest.get(XIETONG) == {"year": 2022}
    assert any("unknown column 'unti' (did you mean unit?)" in p for p in manifest.problems)


def test_ids_survive_a_copy_sorting_first_and_a_district_edit(corpus, tmp_path, runner):
    index_dir = tmp_path / "ix"
    build_index(corpus, index_dir)
    before = {f: m.id for f, m in metas_by_file(index_dir).items()}
    shutil.copy(corpus / XIETONG, corpus / f"copy of {XIETONG}")
    summary = build_index(corpus, index_dir)
    after = {f: m.id for f, m in metas_by_file(index_dir).items()}
    assert {f: after[f] for f in before} == before
    assert after[f"copy of {XIETONG}"] != before[XIETONG]
    assert any(p.startswith(f"copy of {XIETONG}: same text as {XIETONG}") for p in summary.problems)
    (corpus / "reports.toml").write_text(f'["{XIETONG}"]\ndistrict = "河东区"\n', "utf-8")
    build_index(corpus, index_dir)
    metas = metas_by_file(index_dir)
    assert metas[XIETONG].district == "河东区"
    assert metas[XIETONG].id == before[XIETONG]
    result = runner.invoke(main, ["reports", "--json", "--index", str(index_dir)])
    assert before[XIETONG] in {r["id"] for r in json.loads(result.output)}


def test_in_one_fresh_build_the_original_name_gets_the_plain_id(corpus, tmp_path):
    build_index(corpus, tmp_path / "plain")
    plain = metas_by_file(tmp_path / "plain")[XIETONG].id
    shutil.copy(corpus / XIETONG, corpus / f"copy of {XIETONG}")
    build_index(corpus, tmp_path / "both")
    metas = metas_by_file(tmp_path / "both")
    assert metas[XIETONG].id == plain
    assert metas[f"copy of {XIETONG}"].id.startswith(plain + "-")
