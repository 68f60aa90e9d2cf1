"""Report text is untrusted: it is escaped everywhere, and the CSP forbids inline script."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.query import open_index
from webui import create_app
from webui.security import CSP

EVIL = """恶意街道2023年法治政府建设年度报告
2023年，恶意街道坚持依法行政。现将有关情况报告如下：
一、主要举措和成效
（一）加强公职律师<script>alert("pwned")</script>队伍建设。
一是<img src=x onerror=alert(1)>完善制度。
二、存在的不足和原因
法治宣传<b>不够</b>深入&amp;广泛。
三、下一年度主要安排
继续推进公职律师工作"><svg onload=alert(2)>。
恶意街道
2024年1月5日
"""


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("evil-corpus")
    (corpus / "恶意街道-2023.txt").write_text(EVIL, encoding="utf-8")
    index_dir = tmp_path_factory.mktemp("evil-index")
    build_index(corpus, index_dir)
    with open_index(index_dir) as idx:
        report_id = idx.reports()[0].id
    app = create_app({"INDEX_DIR": str(index_dir), "CORPUS_DIR": str(corpus)})
    return app.test_client(), report_id


def assert_inert(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "<svg onload" not in html
    assert "<b>不够</b>" not in html
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html


def test_report_page_shows_markup_as_text(evil):
    client, report_id = evil
    assert_inert(client.get(f"/reports/{report_id}").get_data(as_text=True))
    html = client.get(f"/reports/{report_id}?q=公职律师").get_data(as_text=True)
    assert_inert(html)
    assert "<mark>公职律师</mark>" in html


def test_search_results_show_markup_as_text(evil):
    client, _ = evil
    html = client.get("/?q=公职律师").get_data(as_text=True)
    assert "<mark>公职律师</mark>" in html
    assert_inert(html)
    html = client.get("/?q=script").get_data(as_text=True)
    assert "<script>alert" not in html


@pytest.mark.parametrize("path", ["/", "/?q=法治", "/reports", "/reports/x", "/api/search?q=法治"])
def test_every_response_has_the_csp(client, path):
    r = client.get(path)
    assert r.headers["Content-Security-Policy"] == CSP
    assert "script-src 'self';" in CSP and "style-src 'self'" in CSP
    assert "unsafe" not in CSP
    assert r.headers["X-Content-Type-Options"] == "nosniff"


def page_sources(client) -> list[str]:
    return [
        client.get(path).get_data(as_text=True)
        for path in ("/", "/?q=公职律师", "/reports", "/reports/西青区-区协同办-2022?q=律师")
    ]


def test_templates_have_no_inline_script_style_or_handlers(client):
    for html in page_sources(client):
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert not re.search(r"<style", html)
        assert not re.search(r"\sstyle=", html)
        assert not re.search(r"\son[a-z]+=", html)
        assert '"allowEval":false' in html and '"includeIndicatorStyles":false' in html


def test_templates_never_mark_report_text_safe():
    for path in (Path(__file__).parent.parent / "webui" / "templates").glob("*.html"):
        assert "|safe" not in path.read_text(encoding="utf-8").replace(" ", ""), path.name


def test_vendored_htmx_is_served_with_its_license(client):
    r = client.get("/static/htmx.min.js")
    body = r.get_data(as_text=True)
    assert r.status_code == 200
    assert body.startswith("/*! htmx 2.") and "0BSD" in body.splitlines()[0]
    r.close()
    lic = client.get("/static/htmx.LICENSE")
    assert "Zero-Clause BSD" in lic.get_data(as_text=True)
    lic.close()
    css = client.get("/static/style.css")
    assert "Noto Sans CJK SC" in css.get_data(as_text=True)
    css.close()
