"""Units and districts on real report openings (tests/data/openings/) and on fragments."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from indexer.ingest.divisions import is_division, leading_division, names_in
from indexer.ingest.reports import parse_report
from indexer.ingest.unitnames import is_unit_name

sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
from units_eval import cases, same_unit  # noqa: E402

FRAGMENTS = [
    "召开区委",
    "研究部署",
    "本区各级党委(党组)和政府",
    "充分发挥街",
    "区委常委会、区委",
    "区党工委、区管委会",
    "成立铜梁区深学笃用习近平法治思想宣讲团",
    "全区",
    "我镇",
    "区政府",
]
PROSE_WORDS = ("召开", "部署", "发挥", "各级", "贯彻", "推进", "成立", "、", "，")


@pytest.fixture(scope="module")
def results():
    return [(name, truth, parse_report(text, name).meta) for name, truth, text in cases()]


def test_the_test_set_holds_at_least_40_real_openings(results):
    assert len(results) >= 40
    assert all(t.get("source", "").startswith("http") for _, t, _ in results)


@pytest.mark.parametrize("field", ["unit", "district", "year"])
def test_at_least_95_percent_right(results, field):
    def right(truth, meta):
        if field == "unit":
            return same_unit(meta.unit, truth.get("unit"), truth.get("district"))
        return getattr(meta, field) == truth.get(field)

    wrong = [name for name, truth, meta in results if not right(truth, meta)]
    assert len(wrong) <= 0.05 * len(results), wrong


def test_no_unit_is_a_sentence_fragment(results):
    units = [meta.unit for _, _, meta in results if meta.unit]
    assert units and not [u for u in units if any(w in u for w in PROSE_WORDS)]
    assert all(is_unit_name(u) for u in units)


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_fragments_are_not_unit_names(fragment):
    assert not is_unit_name(fragment)


@pytest.mark.parametrize(
    "name",
    ["区政府办公室", "区协同办", "万兴街", "金龙街道办事处", "高新区(新市区)人民政府", "区委组织部",
     "区委全面依法治区委员会办公室", "市场监督管理局", "桐木漯瑶族乡人民政府", "天津滨海高新区"],
)  # fmt: skip
def test_organisation_names_are_unit_names(name):
    assert is_unit_name(name)


def test_fragment_openings_leave_the_unit_null_and_say_why():
    text = (
        "关于2022年度法治政府建设情况的报告\n"
        "2022年，召开区委常委会研究部署法治建设，本区各级党委（党组）和政府认真履职。\n"
        "一、主要举措和成效\n充分发挥街道作用。\n"
    )
    meta = parse_report(text, "x.txt").meta
    assert meta.unit is None and meta.district is None
    assert meta.evidence["unit"]["from"] is None and meta.evidence["unit"]["rejected"]


def test_a_district_must_be_in_the_gazetteer():
    assert [n for _, n in names_in("召开区委会议，全区上下，城区改造，区域协调")] == []
    found = [n for _, n in names_in("《清城区2022年工作要点》杭州市上城区和高新区（新市区）")]
    assert found == ["清城区", "上城区", "新市区"]
    assert is_division("滨海新区") and not is_division("召开区")
    assert leading_division("重庆市长寿区司法局") == "长寿区"
    assert leading_division("市市场监管局") is None


def test_district_government_named_by_its_district():
    text = "静海区2023年度法治政府建设情况报告\n2023年，静海区坚持依法行政。\n一、主要举措和成效\n"
    meta = parse_report(text, "x.txt").meta
    assert (meta.unit, meta.district) == ("静海区人民政府", "静海区")
    assert meta.evidence["unit"]["government_of"] == "静海区"


def test_a_city_unit_gets_no_district_from_districts_its_text_names():
    text = "广州市教育局2021年法治政府建设年度报告\n2021年，我局指导越秀区、天河区开展工作。\n"
    assert parse_report(text, "x.txt").meta.district is None


def test_report_page_shows_where_the_unit_was_read(client):
    html = client.get("/reports/区政府办公室-2022").get_data(as_text=True)
    assert "依据：开头" in html and 'href="#p-1"' in html


def test_new_parsing_rules_reread_unchanged_files(tmp_path, monkeypatch):
    import shutil

    from indexer import build
    from indexer.build import build_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(Path(__file__).parent.parent / "corpus" / "区协同办-2022.txt", corpus)
    build_index(corpus, tmp_path / "idx")
    assert build_index(corpus, tmp_path / "idx").unchanged == 1
    monkeypatch.setattr(build, "PARSE_VERSION", "test")
    again = build_index(corpus, tmp_path / "idx")
    assert again.unchanged == 0 and len(again.updated) == 1
