"""Shared passages: boilerplate across units, copies between two, carry-overs in one."""

from __future__ import annotations

import json

from indexer.compare.reuse import build_reuse, own_text, reused_spans, windows
from indexer.model import Paragraph, Report, ReportMeta

SLOGAN = "增强“四个意识”、坚定“四个自信”、做到“两个维护”"


def report(rid: str, unit: str, year: int, *texts: str, district: str = "南开区") -> Report:
    meta = ReportMeta(rid, f"{rid}.txt", unit, district, year, None, None)
    paragraphs = [Paragraph(n, "body", t, "measures") for n, t in enumerate(texts, start=1)]
    return Report(meta, paragraphs)


def test_windows_are_anchored_on_content_not_on_what_precedes():
    a = {h for _, _, h in windows("坚持以习近平新时代中国特色社会主义思想为指导，")}
    b = {h for _, _, h in windows("区政府办坚持以习近平新时代中国特色社会主义思想为指导，深入学习")}
    assert a & b
    assert list(windows("太短的句子")) == []


def test_boilerplate_copied_and_repeated_are_told_apart():
    copied = "与天津新华律师事务所签订法律顾问合同，聘用1名专业律师担任外聘法律顾问"
    carried = "开展政企面对面周二下午茶系列活动，帮助企业解决发展难题"
    reports = [
        report("a", "协同办", 2022, f"我办坚持学习，{SLOGAN}，将法治工作落实落细。", copied),
        report("b", "司法局", 2022, f"{SLOGAN}，进一步健全完善体制机制。"),
        report(
            "c",
            "万兴街",
            2022,
            f"全体党员{SLOGAN}。",
            copied.replace("1名", "2名").replace("，", ","),
        ),
        report("d", "区政府办公室", 2022, carried + "11次。"),
        report("e", "区政府办", 2023, carried + "12次。"),
        report("f", "教育局", 2023, "本单位独有的表述，与任何其他报告都不相同，绝无重复。"),
    ]
    reuse = build_reuse(reports)
    json.loads(json.dumps(reuse, ensure_ascii=False))  # JSON-serialisable as stored
    by_kind = {}
    for p in reuse["passages"]:
        by_kind.setdefault(p["kind"], []).append(p)
    assert set(by_kind) == {"boilerplate", "copied", "repeated"}
    slogan = by_kind["boilerplate"][0]
    assert slogan["reports"] == ["a", "b", "c"] and slogan["unit_count"] == 3
    assert "四个意识" in slogan["text"] and "两个维护" in slogan["text"]
    (copy,) = by_kind["copied"]  # another digit and comma: still a copy, one run
    assert copy["reports"] == ["a", "c"] and copy["text"] == copied
    (carry,) = by_kind["repeated"]
    assert carry["reports"] == ["d", "e"] and carry["unit_count"] == 1
    assert carry["text"].startswith("开展政企面对面")
    assert "f" not in reuse["spans"]


def test_own_text_dims_shared_spans():
    reports = [
        report("a", "协同办", 2022, f"我办坚持学习，{SLOGAN}，将法治工作落实落细。"),
        report("b", "司法局", 2022, f"{SLOGAN}。"),
        report("c", "万兴街", 2022, f"{SLOGAN}。"),
    ]
    reuse = build_reuse(reports)
    (row,) = own_text(reports[0], reuse)
    text = reports[0].paragraphs[0].text
    assert [text[s.start : s.end] for s in row.reused] == [SLOGAN]
    assert [text[s.start : s.end] for s in row.own] == ["我办坚持学习，", "，将法治工作落实落细。"]
    assert 0.3 < row.own_ratio < 0.6
    (only_slogan,) = own_text(reports[1], reuse)
    assert only_slogan.own_ratio == 0.0 and only_slogan.own == []
    assert reused_spans(reuse, "a", 1) == row.reused
    assert reused_spans(reuse, "a", 1, kinds=("repeated",)) == []
    assert reused_spans({}, "a", 1) == []


def test_seed_reuse_from_the_index(seed_index):
    reuse = seed_index.reuse()
    passages = {p["text"]: p for p in reuse["passages"]}
    guide = passages["以习近平新时代中国特色社会主义思想为指导"]
    assert guide["kind"] == "boilerplate"
    assert guide["reports"] == [
        "东丽区-区政府办公室-2023",
        "区政府办公室-2022",
        "南开区-万兴街-2022",
        "西青区-区协同办-2022",
    ]
    assert guide["unit_count"] == 3  # 区政府办公室 2022 and 2023 are one unit
    carried = passages["《法治政府建设实施纲要2021－2025年》"]
    assert carried["kind"] == "repeated"
    rows = own_text(seed_index.report("西青区-区协同办-2022"), reuse)
    assert any(r.reused for r in rows) and all(0.0 <= r.own_ratio <= 1.0 for r in rows)


def test_a_whole_build_recomputes_windows_and_finds_the_same(monkeypatch, tmp_path):
    """Past ``KEEP_WINDOWS`` changed reports the second pass recomputes each report's
    windows instead of holding them all: the same passages and spans."""
    from generated import generate_corpus

    from indexer.compare import reuse_index
    from indexer.ingest.read import corpus_files, read_report_text
    from indexer.ingest.reports import parse_report

    corpus = generate_corpus(tmp_path / "corpus", body=2, reports=40)
    reports = []
    for path in corpus_files(corpus):
        report = parse_report(read_report_text(path).text, path.name)
        report.meta.id = path.stem
        reports.append(report)
    kept = build_reuse(reports)
    monkeypatch.setattr(reuse_index, "KEEP_WINDOWS", 0)
    assert kept["passages"] and build_reuse(reports) == kept
