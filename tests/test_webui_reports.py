"""The report page: outline, anchored paragraphs, section labels, highlighted terms."""

from __future__ import annotations

import re
from urllib.parse import quote

from indexer.model import SECTION_LABELS
from indexer.query import open_index

RID = "西青区-区协同办-2022"


def text(response) -> str:
    return response.get_data(as_text=True)


def test_listing(client, built_index):
    html = text(client.get("/reports"))
    with open_index(built_index) as idx:
        for meta in idx.reports():
            assert f'href="/reports/{quote(meta.id)}"' in html


def test_every_paragraph_is_anchored(client, built_index):
    with open_index(built_index) as idx:
        report = idx.report(RID)
    html = text(client.get(f"/reports/{RID}"))
    ids = re.findall(r'id="p-(\d+)"', html)
    assert [int(n) for n in ids] == [p.number for p in report.paragraphs]


def test_outline_links_to_headings_and_sections(client, built_index):
    with open_index(built_index) as idx:
        report = idx.report(RID)
    html = text(client.get(f"/reports/{RID}"))
    outline = html[html.index('class="outline"') : html.index('id="report"')]
    for p in report.paragraphs:
        if p.kind == "heading":
            assert f'href="#p-{p.number}">{p.text}</a>' in outline
    for section in {p.section for p in report.paragraphs if p.kind == "body"}:
        assert SECTION_LABELS[section] in outline


def test_section_labels_are_visible(client):
    html = text(client.get(f"/reports/{RID}"))
    assert '<p class="section-label s-measures">主要举措和成效</p>' in html
    assert '<p class="section-label s-plans">下一年度主要安排</p>' in html


def test_terms_from_the_query_are_highlighted(client, built_index):
    with open_index(built_index) as idx:
        hit = idx.search("公职律师", filters=None, limit=0).hits
    para = next(h.paragraph for h in hit if h.report == RID)
    html = text(client.get(f"/reports/{RID}", query_string={"q": "公职律师"}))
    body = re.search(rf'id="p-{para}"[^>]*>(.*?)</(p|h2)>', html, re.S).group(1)
    assert "<mark>公职律师</mark>" in body
    assert "返回检索结果" in html


def test_no_query_no_marks(client):
    assert "<mark>" not in text(client.get(f"/reports/{RID}"))


def test_htmx_gets_the_body_fragment(htmx_client):
    r = htmx_client.get(f"/reports/{RID}")
    assert r.status_code == 200
    html = text(r)
    assert "<html" not in html and 'id="p-1"' in html


def test_bad_query_on_a_report_is_a_400(client):
    assert client.get(f"/reports/{RID}", query_string={"q": '"公职'}).status_code == 400
