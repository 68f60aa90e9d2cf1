"""The paged and grouped pages on a province-sized corpus: 2,000 generated reports.

One corpus (bench/gen_corpus.py, short reports so the build stays quick) is built once
per session and served by the real server; Debian's chromium drives the pages.  What is
checked is what breaks at this size: no page lists every report, facets are capped,
"not mentioned" is capped but its full list is one click away and true, the task view
is per district and opens a district's reports a page at a time.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from generated import generate_corpus
from webserver import running_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
REPORTS = 2000
Q = "公职律师"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture(scope="session")
def big_index(tmp_path_factory) -> Path:
    from indexer.build import build_index

    corpus = generate_corpus(tmp_path_factory.mktemp("big-corpus"), body=1, reports=REPORTS)
    index = tmp_path_factory.mktemp("big-index")
    summary = build_index(corpus, index)
    assert summary.reports == REPORTS
    return index


@pytest.fixture(scope="module")
def big_server(big_index, tmp_path_factory):
    with running_server(big_index, tmp_path_factory.mktemp("big-server")) as base:
        yield base


@pytest.fixture(scope="module")
def page(big_server):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        yield page
        browser.close()
        assert not errors, errors


def fetch(base: str, path: str) -> bytes:
    with urllib.request.urlopen(base + path, timeout=120) as r:
        return r.read()


def api(base: str, path: str) -> dict:
    return json.loads(fetch(base, path).decode("utf-8"))


@pytest.mark.parametrize(
    ("path", "kb"),
    [
        ("/", 300),
        ("/reports", 300),
        (f"/?q={quote(Q)}", 500),
        ("/compare/tasks", 500),
        (f"/compare/tasks?q={quote('法律顾问')}", 500),
        ("/compare/tasks?task=legal-advisers", 500),
    ],
)
def test_pages_stay_small(big_server, path, kb):
    assert len(fetch(big_server, path)) < kb * 1024


def test_home_pages_through_reports_with_facets_as_filters(page, big_server):
    page.goto(big_server + "/")
    rows = page.locator(".report-list tbody tr")
    assert rows.count() == 50
    expect(page.locator(".report-list h2").first).to_contain_text(f"（{REPORTS}）")
    expect(page.locator(".report-list .pages .where")).to_have_text("第 1 / 40 页")
    facets = page.locator(".report-list .facets section").first.locator("a.facet")
    district = facets.filter(has_not_text="未知").first  # a district the text states
    name = district.evaluate("a => a.firstChild.textContent").strip()
    count = district.locator(".count").inner_text()
    district.click()
    expect(page).to_have_url(f"{big_server}/?district={quote(name)}")
    expect(page.locator(".report-list h2").first).to_contain_text(f"（{count}）")
    assert set(page.locator(".report-list tbody td:nth-child(3)").all_inner_texts()) == {name}
    page.locator(".report-list .pages a.next").click()
    expect(page).to_have_url(f"{big_server}/?district={quote(name)}&page=2")


def test_not_mentioned_is_capped_and_its_full_list_is_true(page, big_server):
    result = api(big_server, f"/api/search?q={quote(Q)}&limit=1")
    missing = set(result["missing"])
    assert len(missing) > 50  # otherwise the cap is not exercised
    page.goto(f"{big_server}/?q={quote(Q)}")
    listed = page.locator("#missing li")
    assert listed.count() == 50
    expect(page.locator("#missing h2")).to_contain_text(f"（{len(missing)}）")
    page.locator("#missing .more-missing a").click()
    expect(page).to_have_url(f"{big_server}/reports?absent={quote(Q)}")
    expect(page.locator(".report-list h2").first).to_contain_text(f"（{len(missing)}）")
    hrefs = page.locator(".report-list tbody td a").evaluate_all("els => els.map(e => e.href)")
    ids = {urllib.request.unquote(h.rsplit("/reports/", 1)[1]) for h in hrefs}
    assert len(ids) == 50 and ids <= missing


def test_search_facets_show_top_values_then_more(page, big_server):
    page.goto(f"{big_server}/?q={quote(Q)}")
    units = page.locator(".search-layout > .facets section").filter(has_text="单位")
    assert units.locator("a.facet").count() == 12
    units.locator("a.more").click()
    expect(page).to_have_url(f"{big_server}/?q={quote(Q)}&more=unit")
    total = len(api(big_server, f"/api/search?q={quote(Q)}&limit=1")["facets"]["unit"])
    units = page.locator(".search-layout > .facets section").filter(has_text="单位")
    expect(units.locator("a.facet")).to_have_count(total)


def test_task_view_is_per_district_and_opens_a_district_a_page_at_a_time(page, big_server):
    page.goto(big_server + "/compare/tasks?task=legal-advisers")
    districts = page.locator(".compare-grid > section.column.district")
    expect(districts.first).to_be_visible()
    assert 10 <= districts.count() <= 20  # the generator's districts, not 2,000 columns
    heat = page.locator("table.heat tbody tr").first.locator("td")
    assert heat.count() == districts.count()
    busiest = max(
        range(districts.count()),
        key=lambda i: int(districts.nth(i).locator(".share strong").inner_text()),
    )
    mentioned = int(districts.nth(busiest).locator(".share strong").inner_text())
    assert mentioned > 20
    districts.nth(busiest).locator("a.open-district").click()
    columns = page.locator(".compare-grid > section.column")
    expect(columns.first).to_be_visible()
    assert columns.count() == 20
    expect(page.locator(".task-view .pages .where")).to_contain_text(f"/ {-(-mentioned // 20)} 页")
    page.locator(".task-view .pages a.next").click()
    expect(page).to_have_url(re.compile(r"[?&]page=2(&|$)"))
    assert columns.count() == min(20, mentioned - 20)
