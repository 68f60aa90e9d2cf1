"""Structure and metadata of the five seeds, and of the forms real reports take beyond them."""

from pathlib import Path

import pytest

from indexer.ingest.parse import find_items, heading_of, parse_lines
from indexer.ingest.read import read_report_text
from indexer.ingest.reports import parse_report

CORPUS = Path(__file__).parent.parent / "corpus"


def seed(name: str):
    path = CORPUS / name
    return parse_report(read_report_text(path).text, name)


def para(report, startswith: str):
    return next(p for p in report.paragraphs if p.text.startswith(startswith))


@pytest.mark.parametrize(
    ("name", "unit", "district", "year", "date", "title"),
    [
        (
            "区协同办-2022.txt",
            "区协同办",
            "西青区",
            2022,
            None,
            "区协同办2022年法治政府建设工作报告",
        ),
        (
            "南开区合作交流办-2023.txt",
            "南开区合作交流办",
            "南开区",
            2023,
            "2024-01-10",
            "南开区合作交流办党组2023年度法治政府建设情况报告",
        ),
        ("万兴街-2022.txt", "万兴街", "南开区", 2022, None, None),
        ("区政府办公室-2022.txt", "区政府办公室", None, 2022, None, None),
        (
            "区政府办公室-2023.txt",
            "区政府办公室",
            "东丽区",
            2023,
            "2024-01-03",
            "区政府办公室2023年法治政府建设年度报告",
        ),
    ],
)
def test_seed_metadata(name, unit, district, year, date, title):
    meta = seed(name).meta
    assert (meta.unit, meta.district, meta.year, meta.date, meta.title) == (
        unit,
        district,
        year,
        date,
        title,
    )


def test_split_title_and_closing_of_cooperation_office():
    report = seed("南开区合作交流办-2023.txt")
    kinds = [p.kind for p in report.paragraphs]
    assert kinds[:2] == ["title", "opening"]
    assert kinds[-2:] == ["closing", "closing"]
    assert para(report, "二、2023年推进法治政府建设存在").section == "shortcomings"
    assert para(report, "三、2023年合作交流办党组主要负责人").section == "leadership"
    plans = para(report, "四、2024年")
    assert plans.section == "plans"
    body = report.paragraphs[plans.number]  # the paragraph after the plans heading
    assert body.section == "plans" and [i.label for i in body.items] == ["一是", "二是", "三是"]


def test_unnumbered_headings_and_subsection_meaning():
    report = seed("区协同办-2022.txt")
    assert para(report, "本年度工作完成情况").kind == "heading"
    leader = para(report, "（一）党政主要领导")
    assert leader.section == "leadership"
    assert leader.heading == [
        "本年度工作完成情况",
        "（一）党政主要领导落实法治建设第一责任人责任情况",
    ]
    assert para(report, "健全完善法律顾问和公职律师聘用机制，发挥").section == "measures"
    assert para(report, "存在问题和不足").section == "shortcomings"
    assert para(report, "开展法治学习的形式").section == "shortcomings"
    assert para(report, "三、2023年工作计划").section == "plans"
    assert para(report, "二是切实履行").items[0].label == "二是"


def test_run_in_headings_and_buried_shortcomings():
    report = seed("区政府办公室-2022.txt")
    assert report.paragraphs[0].kind == "opening"
    first = para(report, "（一）全面推进法治思想建设。")
    assert first.kind == "body" and first.section == "measures"
    assert first.heading[-1] == "（一）全面推进法治思想建设"
    assert [i.label for i in first.items] == ["一是", "二是"]
    assert first.text[first.items[0].start :].startswith("一是自觉将")
    assert para(report, "一年来，我办").section == "shortcomings"
    assert para(report, "二、2023年主要目标任务").section == "plans"


def test_leadership_and_slogan_heading_in_office_2023():
    report = seed("区政府办公室-2023.txt")
    slogan = para(report, "始终坚持以人民为中心")
    assert slogan.kind == "heading" and slogan.section == "measures" and slogan.level == 2
    assert para(report, "区政府办始终把坚持党的领导").section == "leadership"
    assert para(report, "今年以来，区政府办").section == "shortcomings"
    assert para(report, "下一步，我们将").section == "plans"


def test_numbered_run_in_items_in_street_report():
    report = seed("万兴街-2022.txt")
    item = para(report, "2.聘请常年法律顾问。")
    assert item.heading[-1] == "2.聘请常年法律顾问" and item.section == "measures"
    assert para(report, "1.成立法治政府建设工作领导小组").section == "leadership"


WEB_COPY = """新闻
首页 > 信息公开 > 法治政府建设年度报告
日期:2023年 01月 12日 信息来源:区教育局
天津市某区教育局
关于2022年度法治政府建设情况的报告
区委依法治区办:
2022年,我局坚持以习近平法治思想为指导,现将有关情况报告如下:
一、党政主要负责人履行推进法治建设第一责任人职责情况
局主要负责人带头述法。
二、主要做法及成效
(一)聚力"抓统筹",健全工作机制。一是建立法律顾问制度;二是开展合法性审核。
三、问题和不足
执法人员专业能力有待提升。
四、2023年工作打算
继续深化"八五"普法。
特此报告。
天津市某区教育局
2023年1月5日
"""


def test_web_copy_with_site_lines_split_title_and_leadership_first():
    report = parse_report(WEB_COPY, "edu.txt")
    kinds = [p.kind for p in report.paragraphs]
    assert kinds[:4] == ["site", "site", "site", "title"]
    assert report.meta.title == "天津市某区教育局关于2022年度法治政府建设情况的报告"
    assert report.meta.unit == "天津市某区教育局"
    assert report.meta.year == 2022 and report.meta.date == "2023-01-05"
    assert "addressee" in kinds
    assert para(report, "局主要负责人").section == "leadership"
    assert para(report, "(一)聚力").section == "measures"
    assert para(report, "执法人员专业").section == "shortcomings"
    assert para(report, "继续深化").section == "plans"
    assert all(p.section == "other" for p in report.paragraphs if p.kind in ("site", "closing"))
    run_in = next(p for p in report.paragraphs if p.text.startswith("(一)"))
    assert [i.label for i in run_in.items] == ["一是", "二是"]


TOPICAL_2020 = """2020年，我镇法治政府建设工作总结如下：
一、坚定不移推进依法决策
严格执行重大行政决策程序。
二、持续深化普法宣传
开展七五普法总结验收。
三、2021年工作计划
落实八五普法规划（2021—2025年）。
"""


def test_pre_2021_topical_report_invents_no_sections():
    paragraphs = parse_lines(TOPICAL_2020, 2020)
    sections = [p.section for p in paragraphs]
    assert "shortcomings" not in sections and "leadership" not in sections
    assert paragraphs[1].section == "measures" and paragraphs[3].section == "measures"
    assert paragraphs[-1].section == "plans"
    report = parse_report(TOPICAL_2020, "town.txt")
    assert report.meta.year == 2020  # the plan year and the range must not win


def test_heading_forms():
    assert heading_of("一、主要举措和成效") == (1, "一、主要举措和成效", "")
    assert heading_of("（二）规范执法。一是…") == (2, "（二）规范执法", "一是…")
    assert heading_of("1.坚持党委领导。全面落实") == (3, "1.坚持党委领导", "全面落实")
    assert heading_of("(3)加强培训") == (4, "(3)加强培训", "")
    assert heading_of("一是加强学习。") is None
    assert heading_of("1.5亿元资金用于法治建设") is None


def test_items_are_in_sequence_only():
    text = "统一是前提。一是学习;二是培训；三是考核"
    assert [i.label for i in find_items(text)] == ["一是", "二是", "三是"]
    assert find_items("坚持统一是关键") == []


@pytest.mark.parametrize(
    ("text", "unit", "district", "year"),
    [
        (
            "中共天津市南开区万兴街道工作委员会 天津市南开区人民政府万兴街道办事处"
            "2022年法治政府建设年度报告\n2022年，我街道坚持依法行政。\n",
            "万兴街道办事处",
            "南开区",
            2022,
        ),
        (
            "2020年西青区司法局法治政府建设情况报告\n一、主要工作\n完成七五普法验收。\n",
            "西青区司法局",
            "西青区",
            2020,
        ),
        (
            "2023年，我镇以习近平法治思想为指导。\n一、主要举措和成效\n开展普法。\n"
            "特此报告。\n天津市静海区某某镇人民政府\n2023年12月28日\n",
            "天津市静海区某某镇人民政府",
            "静海区",
            2023,
        ),
    ],
)
def test_unit_district_year_from_title_forms_and_signature(text, unit, district, year):
    meta = parse_report(text, "x.txt").meta
    assert (meta.unit, meta.district, meta.year) == (unit, district, year)
