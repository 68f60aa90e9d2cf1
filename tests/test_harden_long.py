"""Sweep (issue 10 item 8): a report whose line breaks were lost, and very long reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.compare import MAX_COMPARE_CHARS, year_view
from indexer.ingest.parse import parse_lines
from indexer.ingest.split import MAX_LINE, TARGET, split_long_line
from indexer.query import open_index
from webui import create_app
from webui.urls import REPORT_PAGE_SIZE, report_href

CORPUS = Path(__file__).parent.parent / "corpus"
SEED = "区政府办公室-2023.txt"


def one_line(text: str, size: int) -> str:
    lines = text.split("\n")
    body = "".join(lines[1:])
    return lines[0] + "\n" + (body * (size // len(body) + 1))[:size] + "\n"


def test_a_long_line_is_cut_at_sentence_ends_into_bounded_pieces():
    seed = (CORPUS / SEED).read_text(encoding="utf-8")
    line = one_line(seed, 400_000).split("\n")[1]
    pieces = split_long_line(line)
    # nothing lost, nothing added (only the blanks around a cut)
    assert re.sub(r"\s", "", "".join(pieces)) == re.sub(r"\s", "", line)
    assert max(map(len, pieces)) <= TARGET
    assert all(p[-1] in "。；;！!？?”’」）)" for p in pieces[:-1])
    # a sentence that opens with heading numbering starts its own paragraph again
    assert any(p.startswith("二、") for p in pieces)
    assert any(re.match(r"^（[一二三四五]）", p) for p in pieces)


def test_real_paragraphs_are_never_cut():
    for path in CORPUS.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        assert all(split_long_line(line) == [line] for line in text.split("\n")), path
    sentence = "公职律师" * (MAX_LINE // 4)
    assert split_long_line(sentence) == [sentence]


def test_a_sentence_with_no_end_is_cut_at_a_comma_or_hard():
    line = ("法治政府建设持续推进，" * 600) + ("无标点" * 1000)
    pieces = split_long_line(line)
    assert "".join(pieces) == line
    assert max(map(len, pieces)) <= TARGET
    assert pieces[0].endswith("，")


@pytest.fixture(scope="module")
def long_index(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("long")
    corpus = base / "corpus"
    corpus.mkdir()
    seed = (CORPUS / SEED).read_text(encoding="utf-8")
    (corpus / "一行.txt").write_text(one_line(seed, 150_000), encoding="utf-8")
    # many short lines: a report longer than one page
    (corpus / "长报告.txt").write_text(
        seed + "".join(f"第{n}项工作持续推进，公职律师参与。\n" for n in range(1, 450)),
        encoding="utf-8",
    )
    for name in ("区政府办公室-2022.txt", SEED):
        (corpus / name).write_text((CORPUS / name).read_text(encoding="utf-8"), "utf-8")
    build_index(corpus, base / "ix")
    return base / "ix"


def metas(index_dir: Path) -> dict:
    with open_index(index_dir) as idx:
        return {m.file: m for m in idx.reports()}


def test_one_line_report_is_indexed_as_bounded_paragraphs(long_index):
    with open_index(long_index) as idx:
        report = idx.report(metas(long_index)["一行.txt"].id)
        assert len(report.paragraphs) > 50
        assert max(len(p.text) for p in report.paragraphs) <= TARGET
        assert {"measures", "shortcomings"} <= {p.section for p in report.paragraphs}
        hits = idx.search('"公职律师"', limit=0).hits
        assert all(len(h.text) <= TARGET for h in hits)


def test_long_report_page_is_paged_and_links_land_on_the_right_page(long_index):
    client = create_app({"TESTING": True, "INDEX_DIR": str(long_index)}).test_client()
    meta = metas(long_index)["长报告.txt"]
    assert meta.paragraphs > 2 * REPORT_PAGE_SIZE
    first = client.get(f"/reports/{meta.id}").get_data(as_text=True)
    numbers = [int(n) for n in re.findall(r'id="p-(\d+)"', first)]
    assert numbers == list(range(1, REPORT_PAGE_SIZE + 1))
    assert 'aria-label="报告分页"' in first
    target = REPORT_PAGE_SIZE + 7
    href = report_href(meta.id, target, "公职律师")
    assert "page=2" in href and href.endswith(f"#p-{target}")
    second = client.get(href.split("#")[0]).get_data(as_text=True)
    assert f'id="p-{target}"' in second and 'id="p-1"' not in second
    assert "<mark>公职律师</mark>" in second
    # a hit deep in the report links to its page
    results = client.get("/?q=第430项").get_data(as_text=True)
    assert "page=3" in results
    assert client.get(f"/reports/{meta.id}?page=99").status_code == 400
    short = metas(long_index)[SEED]
    assert "page=" not in report_href(short.id, 5)  # ordinary reports: links unchanged


def test_year_view_of_a_huge_report_is_bounded_and_says_so(long_index):
    by_file = metas(long_index)
    with open_index(long_index) as idx:
        view = year_view(idx, by_file["区政府办公室-2022.txt"].id, by_file["一行.txt"].id)
        report = idx.report(by_file["一行.txt"].id)
    compared = sum(len(p.text) for p in report.paragraphs[: view.cut["b"]])
    assert compared <= MAX_COMPARE_CHARS < sum(len(p.text) for p in report.paragraphs)
    assert "a" not in view.cut
    client = create_app({"TESTING": True, "INDEX_DIR": str(long_index)}).test_client()
    a, b = by_file["区政府办公室-2022.txt"].id, by_file["一行.txt"].id
    page = client.get("/compare/years", query_string={"a": a, "b": b}).get_data(as_text=True)
    assert f"报告 B 过长，只对比了它的前 {view.cut['b']} 段" in page


def test_parse_of_a_line_without_breaks_finds_headings():
    seed = (CORPUS / SEED).read_text(encoding="utf-8")
    paragraphs = parse_lines(one_line(seed, 20_000))
    assert any(p.kind == "heading" or p.heading for p in paragraphs)
