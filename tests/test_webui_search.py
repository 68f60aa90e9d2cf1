"""Search page, its htmx fragment, facets, paging and the CSV / JSON exports."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from indexer.query import open_index

Q = "公职律师"


def text(response) -> str:
    return response.get_data(as_text=True)


def test_home_lists_reports_and_has_a_plain_form(client):
    r = client.get("/")
    assert r.status_code == 200
    html = text(r)
    assert '<html lang="zh-CN">' in html
    assert '<form class="search" role="search" action="/" method="get"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert html.count('href="/reports/') >= 5
    assert "已收录报告（5）" in html


def test_results_come_from_the_units_that_mention_the_term(client, built_index):
    with open_index(built_index) as idx:
        expected = idx.search(Q, limit=0)
    html = text(client.get("/", query_string={"q": Q}))
    assert f"<strong>{expected.total}</strong> 段命中" in html
    for unit in expected.facets["unit"]:
        assert f">{unit} · " in html
    assert f"<mark>{Q}</mark>" in html
    # the reports without the term are listed as such, by label
    missing = html[html.index('id="missing"') :]
    assert "万兴街 · 2022" in missing
    assert "区协同办 · 2022" not in missing


def test_hits_link_to_the_paragraph_with_the_query(client, built_index):
    with open_index(built_index) as idx:
        hit = idx.search(Q, limit=1).hits[0]
    link = f"/reports/{quote(hit.report)}?q={quote(Q)}#p-{hit.paragraph}"
    assert f'href="{link}"' in text(client.get("/", query_string={"q": Q}))


def test_hits_show_section_label_and_heading(client):
    html = text(client.get("/", query_string={"q": Q}))
    assert '<span class="section s-measures">主要举措和成效</span>' in html
    assert "（二）健全完善法律顾问和公职律师聘用机制</span>" in html


def test_htmx_request_gets_the_fragment_and_a_canonical_push_url(htmx_client):
    r = htmx_client.get("/?q=公职律师&unit=&page=1&sort=relevance")
    html = text(r)
    assert r.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert 'id="state-fields" hx-swap-oob="true"' in html
    assert r.headers["HX-Push-Url"] == "/?q=" + quote(Q)
    assert r.headers["HX-Push-Url"].isascii()
    assert "HX-Request" in r.headers["Vary"]


def test_history_restore_gets_the_full_page(client):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = text(client.get("/", query_string={"q": Q}, headers=headers))
    assert html.startswith("<!doctype html>")
    assert f'value="{Q}"' in html


def test_facet_filter_narrows_and_shows_a_removable_chip(client):
    html = text(client.get("/", query_string={"q": Q, "unit": "区协同办"}))
    assert "区协同办 · 2022" in html
    assert "南开区合作交流办 · 2023</a></h2>" not in html
    assert 'class="chip">单位：区协同办 ✕' in html
    assert '<input type="hidden" name="unit" value="区协同办">' in html


def test_section_facet_uses_chinese_labels(client):
    html = text(client.get("/", query_string={"q": Q, "section": "measures"}))
    assert "部分：主要举措和成效 ✕" in html


@pytest.mark.parametrize("sort", ["relevance", "unit", "year"])
def test_sorts(client, sort):
    r = client.get("/", query_string={"q": "法治", "sort": sort})
    assert r.status_code == 200
    assert 'aria-current="true">' + {"relevance": "相关度", "unit": "单位", "year": "年度"}[sort]


def test_pagination(built_index):
    from webui import create_app

    client = create_app({"INDEX_DIR": str(built_index), "PAGE_SIZE": 2}).test_client()
    first = text(client.get("/", query_string={"q": "法治"}))
    assert 'class="pages"' in first and "下一页" in first
    second = text(client.get("/", query_string={"q": "法治", "page": "2"}))
    assert "上一页" in second
    assert 'aria-current="true">2</a>' in second


def test_task_passes_through_to_the_task_comparison_link(client):
    html = text(client.get("/", query_string={"q": Q, "task": "t1"}))
    assert f'href="/compare/tasks?q={quote(Q)}&amp;task=t1"' in html
    assert '<input type="hidden" name="task" value="t1">' in html


def test_api_returns_the_core_result_as_json(client, built_index):
    with open_index(built_index) as idx:
        expected = idx.search(Q, limit=20).to_dict()
    r = client.get("/api/search", query_string={"q": Q})
    assert r.status_code == 200 and r.is_json
    assert r.get_json() == expected
    assert Q in text(r)  # readable, not \\u-escaped


def test_api_limit_zero_means_all(client, built_index):
    with open_index(built_index) as idx:
        total = idx.search("法治", limit=1).total
    data = client.get("/api/search", query_string={"q": "法治", "limit": "0"}).get_json()
    assert len(data["hits"]) == data["total"] == total > 20


def test_api_filters_and_limit(client):
    data = client.get("/api/search?q=法治&year=2023&limit=3").get_json()
    assert len(data["hits"]) == 3
    assert {h["year"] for h in data["hits"]} == {2023}


def test_csv_export_has_every_hit(client, built_index):
    with open_index(built_index) as idx:
        total = idx.search("法治", limit=1).total
    r = client.get("/export.csv", query_string={"q": "法治"})
    assert r.status_code == 200
    assert r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    body = r.get_data().decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == [
        "report",
        "unit",
        "district",
        "year",
        "section",
        "heading",
        "paragraph",
        "text",
    ]
    assert len(rows) - 1 == total


def test_export_links_carry_the_state(client):
    html = text(client.get("/", query_string={"q": Q, "year": "2022", "page": "1"}))
    links = re.findall(r'href="(/(?:export\.csv|api/search)[^"]*)"', html)
    assert len(links) == 2
    for link in links:
        query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
        assert query["q"] == [Q] and query["year"] == ["2022"]
