"""PDF reports printed by Debian's Chromium: paragraphs rebuilt, numbers and headers dropped."""

from __future__ import annotations

import pytest
from format_samples import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SEEDS,
    indexed,
    print_html,
    print_pdf,
    scan_pdf,
    split_title,
)

from indexer.ingest.formats import pdf
from indexer.ingest.formats.radicals import normalise_radicals
from indexer.ingest.read import UnreadableFile, read_report

TITLES = {  # the seeds without a title line get the one their printed copy would carry
    "万兴街-2022.txt": "万兴街2022年法治政府建设情况报告",
    "区政府办公室-2022.txt": "区政府办公室2022年法治政府建设工作报告",
}


def same_report(seed: str) -> tuple[str, list[str]]:
    title, body = split_title(seed)
    return title or TITLES[seed], body


def test_radicals_map_to_ideographs():
    assert normalise_radicals("⼈⺠⻓⼯⻔⻋⼀⽂") == "人民长工门车一文"
    assert normalise_radicals("（一）２０２３年，：") == "（一）２０２３年，："  # full-width kept
    # NFKC gives 戶 for ⼾; in a simplified text the SC glyph means 户 (traditional stays)
    assert normalise_radicals("区政府⻔⼾⽹站⸺") == "区政府门户网站——"
    assert normalise_radicals("臺北市政府⾨⼾網站") == "臺北市政府門戶網站"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.mark.parametrize("seed", SEEDS)
def test_pdf_indexes_like_the_txt(seed, browser, tmp_path):
    title, body = same_report(seed)
    path = tmp_path / "report.pdf"
    path.write_bytes(print_pdf(browser, print_html(title, body, radicals=True)))
    extracted = read_report(path)
    assert extracted.format == "pdf"
    assert indexed(extracted.text) == indexed("\n".join([title, *body]))
    pages = pdf.read_pages(path.read_bytes())
    assert len(pages) > 1
    raw = "".join(line.text for page in pages for line in page.lines)
    assert any(ch in raw for ch in "⺠⻓⼈⼯⻔")  # the text layer really has radicals
    assert not any("\u2e80" <= ch <= "\u2fdf" for ch in extracted.text)
    assert "区政府办公室文件" not in extracted.text  # the running header
    assert not any(line.startswith("- ") for line in extracted.text.splitlines())


@pytest.mark.parametrize("style", ["ragged", "spaced"])
def test_other_layouts(style, browser):
    """Left-aligned lines of uneven length; paragraphs marked by space instead of an indent."""
    title, body = same_report("万兴街-2022.txt" if style == "ragged" else "区政府办公室-2023.txt")
    text = pdf.extract(print_pdf(browser, print_html(title, body, style))).text
    assert text.splitlines() == [title, *body]


def test_mostly_one_line_paragraphs(browser):
    """When most lines open a paragraph, the indent is the common x0, not the margin."""
    title = "区司法局2022年法治政府建设年度报告"
    items = [f"第{n}项：完成重点工作任务" for n in range(1, 41)]  # two pages, no 。
    long = "2022年，区司法局认真贯彻落实法治政府建设各项部署，" * 4 + "取得明显成效。"
    lines = [long, *items, long]
    text = pdf.extract(print_pdf(browser, print_html(title, lines))).text
    assert text.splitlines() == [title, *lines]


def test_paragraphs_cross_pages_and_page_numbers_go(browser):
    title, body = same_report("区政府办公室-2023.txt")
    pages = pdf.read_pages(print_pdf(browser, print_html(title, body)))
    edges = [page.lines[-1].text for page in pages]
    assert all(pdf.PAGE_NUMBER.match(e) for e in edges)  # "- 1 -" … at every page foot
    kept = {id(ln) for ln in pdf.body_lines(pages)}
    last_body = [[ln for ln in page.lines if id(ln) in kept][-1] for page in pages]
    crossing = [ln.text for ln in last_body[:-1] if not ln.text.endswith(pdf.SENTENCE_END)]
    assert crossing  # some paragraph runs over a page break …
    paragraphs = pdf.paragraphs(pages)
    for tail in crossing:  # … and is one paragraph of the result, as in the .txt
        assert any(tail in p and not p.endswith(tail) for p in paragraphs)
    assert paragraphs == [title, *body]


def test_scan_without_text_layer_needs_ocr(browser, tmp_path):
    title, body = same_report("区协同办-2022.txt")
    (tmp_path / "scan.pdf").write_bytes(scan_pdf(browser, print_html(title, body[:6])))
    with pytest.raises(UnreadableFile, match="no text layer — needs OCR"):
        read_report(tmp_path / "scan.pdf")


def test_damaged_pdf_is_refused_by_reason(tmp_path):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF")
    with pytest.raises(UnreadableFile, match="PDF"):
        read_report(tmp_path / "bad.pdf")
