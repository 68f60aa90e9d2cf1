"""Government report pages: article body only, meta-tag hints, GBK and <br> layouts."""

from __future__ import annotations

import json

import pytest
from format_samples import SEEDS, gov_page, indexed, split_title

from indexer.ingest.formats.html import decode_page
from indexer.ingest.read import read_report, sniff

LAYOUTS = ("trs", "zoom", "br", "plain")
TITLES = {  # the seeds without a title line get the one their web page would carry
    "万兴街-2022.txt": "万兴街2022年法治政府建设情况报告",
    "区政府办公室-2022.txt": "区政府办公室2022年法治政府建设工作报告",
}
CHROME = ("当前位置", "首页", "分享到", "打印本页", "相关链接", "网站标识码", "ICP备", "版权所有")
CHROME += ("主办单位", "统计代码", "发布时间", "信息来源", "字号", "_hmt", "margin")


def same_report(seed: str) -> tuple[str, list[str]]:
    title, body = split_title(seed)
    return title or TITLES[seed], body


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("seed", SEEDS)
def test_page_indexes_like_the_txt(seed, layout, tmp_path):
    title, body = same_report(seed)
    charset = "gb2312" if layout == "zoom" else "utf-8"
    path = tmp_path / "page.html"
    path.write_bytes(gov_page(title, body, layout, charset))
    extracted = read_report(path)
    assert extracted.format == "html"
    assert extracted.text.splitlines() == [title, *body]
    txt_meta, txt_paragraphs = indexed("\n".join([title, *body]))
    html_meta, html_paragraphs = indexed(extracted.text, extracted.hints)
    assert html_paragraphs == txt_paragraphs
    # the page may say more than the text (a publication date, the site's district): that
    # fills only what the text leaves unknown
    assert all(t is None or h == t for h, t in zip(html_meta, txt_meta, strict=True))
    assert html_meta == indexed("\n".join([title, *body]), extracted.hints)[0]
    assert html_meta[3] == (txt_meta[3] or extracted.hints["date"])
    for word in CHROME:
        assert word not in extracted.text


def test_gbk_page_with_characters_beyond_gb2312():
    """Pages declare gb2312 but use GBK characters (镕, 堃): read as GB18030."""
    lines = ["2022年，区司法局邀请朱镕基法治讲堂和王堃律师开展普法活动。", "特此报告。"]
    data = gov_page("区司法局2022年法治政府建设年度报告", lines, "zoom", "gb2312")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")
    assert "朱镕基" in decode_page(data) and "王堃" in decode_page(data)


def test_wrong_charset_declaration_falls_back_to_the_bytes():
    lines = ["2022年，区司法局认真落实公职律师制度。"]
    page = gov_page("区司法局2022年法治政府建设年度报告", lines, "trs", "utf-8")
    lying = page.decode("utf-8").encode("gb18030")  # still declares utf-8
    assert decode_page(lying) == page.decode("utf-8")


def test_br_separated_paragraphs_in_one_p():
    lines = ["一、主要举措和成效", "2022年，区司法局认真落实公职律师制度。", "二、存在的不足和原因"]
    page = gov_page("区司法局2022年法治政府建设年度报告", lines, "br")
    article = page.split(b'class="article-content"')[1].split(b"</p>")[0]
    assert article.count(b"<p>") == 1 and article.count(b"<br>") == len(lines)
    from indexer.ingest.formats.html import extract

    assert extract(page).text.splitlines()[1:] == lines


def test_meta_tags_fill_what_the_text_does_not_say(tmp_path):
    """No unit, district or date in the text: ContentSource, PubDate and the title fill them."""
    body = [
        "2022年，我局在区委、区政府的领导下，扎实推进法治政府建设。",
        "一、主要举措和成效",
        "全年办理行政复议案件12件。",
    ]
    page = gov_page("关于2022年度法治政府建设情况的报告", body, "trs")
    page = page.replace("区政府办公室".encode(), "天津市南开区司法局".encode())
    (tmp_path / "page").write_bytes(page)  # a crawled attachment with no extension
    extracted = read_report(tmp_path / "page")
    assert extracted.hints["source"] == "天津市南开区司法局"
    assert extracted.hints["date"] == "2024-01-05"
    assert extracted.hints["url"].startswith("https://www.tjnk.gov.cn/")
    meta, _ = indexed(extracted.text, extracted.hints)
    unit, district, year, date, title = meta
    assert (district, year, date) == ("南开区", 2022, "2024-01-05")
    assert unit and unit.endswith("司法局")
    assert title == "关于2022年度法治政府建设情况的报告"
    text_only, _ = indexed(extracted.text)
    assert text_only[0] is None and text_only[3] is None  # the text alone does not say


def test_text_beats_the_hints():
    from indexer.ingest.formats.html import extract

    title, body = same_report("区政府办公室-2023.txt")
    page = gov_page(title, body, "trs")
    page = page.replace(
        b'"ContentSource" content="' + "区政府办公室".encode(),
        b'"ContentSource" content="' + "南开区司法局".encode(),
    )
    extracted = extract(page)
    assert extracted.hints["source"] == "南开区司法局"
    meta, _ = indexed(extracted.text, extracted.hints)
    assert meta[0] == "区政府办公室" and meta[3] == "2024-01-03"  # signed date, not PubDate


def test_sniffed_by_content_whatever_the_name():
    page = gov_page("区司法局2022年法治政府建设年度报告", ["2022年，区司法局开展普法。"], "plain")
    assert sniff(page, ".txt") == "html"
    assert sniff(b"\xef\xbb\xbf<!DOCTYPE html><html>", "") == "html"
    assert sniff("2022年，区司法局<b>开展</b>普法。".encode(), ".txt") == "txt"


def test_url_in_reports_json_and_linked_on_the_report_page(tmp_path, runner):
    from indexer.cli import main
    from webui import create_app

    corpus = tmp_path / "c"
    corpus.mkdir()
    title, body = same_report("区政府办公室-2023.txt")
    (corpus / "report.html").write_bytes(gov_page(title, body, "trs"))
    index = str(tmp_path / "idx")
    result = runner.invoke(main, ["index", str(corpus), "--index", index])
    assert result.exit_code == 0, result.output
    assert "indexed files by format: 1 html" in result.output
    reports = json.loads(runner.invoke(main, ["reports", "--index", index, "--json"]).output)
    url = "https://www.tjnk.gov.cn/zwgk/fzzfjs/202401/t20240105_1.html"
    assert reports[0]["url"] == url
    app = create_app({"TESTING": True, "INDEX_DIR": index, "CORPUS_DIR": str(corpus)})
    page = app.test_client().get(f"/reports/{reports[0]['id']}").get_data(as_text=True)
    assert f'href="{url}"' in page


def test_javascript_urls_are_never_kept():
    from indexer.ingest.formats.html import extract

    body = ["2022年，区司法局开展普法宣传活动，组织法律顾问和公职律师参与行政复议和行政应诉工作。"]
    page = gov_page("区司法局2022年法治政府建设年度报告", body, "trs")
    page = page.replace(b"https://www.tjnk.gov.cn", b"javascript:alert(1)//")
    assert "url" not in extract(page).hints


def test_page_that_only_links_its_attachment_says_so():
    from indexer.ingest.formats.html import extract
    from indexer.ingest.read import UnreadableFile

    page = gov_page("区司法局2022年法治政府建设年度报告", ["详见附件。"], "trs")
    page = page.replace(
        "详见附件。".encode(),
        '详见附件：<a href="/files/2022fzbg.pdf">2022年度报告.pdf</a>'.encode(),
    )
    with pytest.raises(UnreadableFile, match=r"not a report; attachments: /files/2022fzbg.pdf"):
        extract(page)
