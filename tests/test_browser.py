"""End to end in Debian's chromium: the real server (waitress) in a subprocess.

These check what the Flask test client cannot: htmx live search and history, the
CSP not blocking anything we ship, anchors landing on the highlighted paragraph,
and how the Chinese pages look (screenshots go to tests/artifacts/, git-ignored).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
from webserver import running_server

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).parent.parent
ARTIFACTS = Path(__file__).parent / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
Q = "公职律师"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed (apt install chromium)"
)
sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


@pytest.fixture(scope="module")
def server(built_index, tmp_path_factory):
    """The real server over the seed index (see ``webserver.running_server``)."""
    with running_server(built_index, tmp_path_factory.mktemp("server"), timeout=30) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh laptop-sized page; fails the test on a CSP block or an uncaught JS error.

    (A 400 from a bad query is logged by the browser and by htmx as a console error on
    purpose, so only "Refused to …" CSP messages count.)
    """
    context = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Refused to" in m.text else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not errors, errors


def api(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path, timeout=10) as r:
        return json.loads(r.read().decode("utf-8"))


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def type_query(page, base: str, text: str) -> None:
    page.goto(base + "/")
    page.locator("#q").press_sequentially(text, delay=40)
    expect(page).to_have_url(f"{base}/?q={quote(text)}")
    expect(page.locator("#results .group").first).to_be_visible()


def test_live_search_shows_hits_from_the_right_units(page, server):
    units = set(api(server, f"/api/search?q={quote(Q)}&limit=0")["facets"]["unit"])
    assert units  # the seed corpus mentions 公职律师 somewhere
    type_query(page, server, Q)
    headers = page.locator("#results .group h2").all_inner_texts()
    assert {h.split(" · ")[0] for h in headers} == units
    expect(page.locator("#results mark").first).to_have_text(Q)
    expect(page.locator("#missing")).to_contain_text("万兴街")
    shot(page, "search")


def test_open_a_hit_lands_on_the_highlighted_paragraph(page, server):
    type_query(page, server, Q)
    first = page.locator("#results .hit a.text").first
    href = first.get_attribute("href")
    first.click()
    fragment = href.split("#", 1)[1]
    expect(page).to_have_url(server + href)
    target = page.locator(f"#{fragment}")
    expect(target.locator("mark").first).to_be_visible()
    expect(target.locator("mark").first).to_be_in_viewport()
    assert page.evaluate("location.hash") == f"#{fragment}"
    shot(page, "report")


def test_back_button_restores_the_previous_search(page, server):
    type_query(page, server, Q)
    unit = page.locator(".facets a.facet").first
    unit_name = unit.inner_text().split()[0]
    unit.click()
    expect(page.locator(".chip")).to_contain_text(unit_name)
    filtered = page.url
    assert "unit=" in filtered
    page.locator("#results .hit a.text").first.click()
    expect(page.locator(".report")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(filtered)
    expect(page.locator("#q")).to_have_value(Q)
    expect(page.locator(".chip")).to_contain_text(unit_name)
    page.go_back()  # the htmx-pushed entry before the facet click
    expect(page).to_have_url(f"{server}/?q={quote(Q)}")
    expect(page.locator(".chip")).to_have_count(0)
    expect(page.locator("#q")).to_have_value(Q)


def test_a_facet_chosen_by_htmx_stays_while_typing(page, server):
    type_query(page, server, Q)
    page.locator(".facets a.facet", has_text="2022").click()
    expect(page.locator(".chip")).to_contain_text("2022")
    page.locator("#q").fill("")
    page.locator("#q").press_sequentially("法治", delay=40)
    expect(page).to_have_url(f"{server}/?q={quote('法治')}&year=2022")
    expect(page.locator(".chip")).to_contain_text("2022")


def test_search_works_without_javascript(browser, server):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1366, "height": 800}
    )
    page = context.new_page()
    page.goto(server + "/")
    page.locator("#q").fill(Q)
    page.locator("#q").press("Enter")
    expect(page.locator("#results .group").first).to_be_visible()
    assert page.url == f"{server}/?q={quote(Q)}"
    context.close()


def test_keyboard_reaches_the_search_box_and_results(page, server):
    page.goto(server + "/")
    shot(page, "home")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("法治")
    page.keyboard.press("Enter")
    expect(page.locator("#results .group").first).to_be_visible()
    page.keyboard.press("Tab")  # the submit button
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('#results, form') !== null")
    assert focused


def test_error_message_is_swapped_in(page, server):
    page.goto(server + "/")
    page.locator("#q").press_sequentially('"公职', delay=40)
    expect(page.locator("#results [role=alert]")).to_contain_text("引号")
    shot(page, "search-error")


def compare_ready(built_index) -> bool:
    from indexer import compare
    from indexer.query import open_index

    with open_index(built_index) as idx:
        try:
            compare.task_matrix(idx)
        except NotImplementedError:
            return False
    return True


def test_task_comparison_one_column_per_district(page, server, built_index):
    if not compare_ready(built_index):
        pytest.skip("indexer.compare is not implemented yet")
    page.goto(f"{server}/compare/tasks?q={quote(Q)}")
    columns = page.locator(".compare-grid > section.column.district")
    expect(columns.first).to_be_visible()
    reports = api(server, "/api/search?q=" + quote(Q) + "&limit=0")
    hit_districts = set(reports["facets"]["district"])
    assert columns.count() >= len(hit_districts) >= 1
    shot(page, "compare-tasks")
    # a district opens its units: one column per report that mentions the query
    first = columns.filter(has=page.locator(".best-of")).first
    expected = int(first.locator(".share strong").inner_text())
    first.locator("a.open-district").click()
    expect(page.locator(".compare-grid > section.column").first).to_be_visible()
    assert page.locator(".compare-grid > section.column").count() == expected
    page.locator(".heatmap summary").click()
    expect(page.locator("table.heat")).to_be_visible()
    page.locator("table.heat td a").first.scroll_into_view_if_needed()
    shot(page, "compare-tasks-heatmap")


def test_year_comparison_shows_diff_marks(page, server, built_index):
    if not compare_ready(built_index):
        pytest.skip("indexer.compare is not implemented yet")
    page.goto(f"{server}/compare/years")
    value = page.locator("#unit option", has_text="区政府办公室").first.get_attribute("value")
    page.locator("#unit").select_option(value)
    page.locator("form:has(#unit) button").click()
    expect(page.locator(".pair-head")).to_be_visible()
    marks = page.locator(".pair ins, .pair del, .pair .badge.new, .pair .badge.dropped")
    expect(marks.first).to_be_visible()
    shot(page, "compare-years")


def test_audit_page_sorts_filters_and_links(page, server):
    page.goto(server + "/audit")
    office = page.locator("tr", has=page.locator("td", has_text="区政府办公室")).filter(
        has_text="2022"
    )
    expect(office.locator('td[data-part="leadership"]')).to_have_text("✗")
    page.locator("th a.sort", has_text="数字").first.click()
    expect(page).to_have_url(f"{server}/audit?sort=figures")
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("数字")
    page.locator("th a.sort", has_text="数字").first.click()
    expect(page).to_have_url(f"{server}/audit?sort=-figures")
    counts = [int(t) for t in page.locator("tbody tr td:nth-child(13)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True) and len(counts) == 5
    page.locator("#f-missing").select_option("leadership")
    page.locator(".audit-form button").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    assert "missing=leadership" in page.url and "sort=-figures" in page.url
    expect(page.locator("a[download]")).to_have_attribute(
        "href", "/audit.csv?sort=-figures&missing=leadership"
    )
    shot(page, "audit")
    page.goto(server + "/audit?year=2023")
    page.locator("a.year-compare").first.click()
    expect(page).to_have_url(
        f"{server}/compare/years?a={quote('区政府办公室-2022')}&b="
        + quote("东丽区-区政府办公室-2023")
    )


def test_similar_passages_link_from_a_hit_and_from_a_report(page, server):
    type_query(page, server, "法律顾问")
    link = page.locator("#results .hit a.similar-link").first
    expect(link).to_have_text("相似段落")
    link.click()
    expect(page).to_have_url(__import__("re").compile(r"/similar/[^/]+/\d+$"))
    groups = page.locator(".similar-unit h2")
    expect(groups.first).to_be_visible()
    units = [t.split()[0] for t in groups.all_inner_texts()]
    assert units and len(units) == len(set(units))
    expect(page.locator(".similar-unit mark").first).to_be_visible()
    shot(page, "similar")
    # from a report paragraph: the link shows on hover and opens that paragraph's passages
    page.locator(".similar-unit a.text").first.click()
    paragraph = page.locator("p.para.kind-body").first
    paragraph.hover()
    own = paragraph.locator("a.similar-link")
    expect(own).to_be_visible()
    href = own.get_attribute("href")
    own.click()
    expect(page).to_have_url(server + href)
    expect(page.locator(".similar-view .source blockquote")).to_be_visible()


def test_search_shows_the_year_chart_with_counts(page, server):
    type_query(page, server, "法律顾问")
    chart = page.locator("#by-year svg")
    expect(chart).to_be_visible()
    bars = chart.locator("rect.bar")
    assert bars.count() == len(api(server, "/api/search?q=" + quote("法律顾问"))["by_year"])
    heights = [float(b.get_attribute("height")) for b in bars.all()]
    assert heights[0] > heights[1] > 0  # 3/3 reports in 2022, 1/2 in 2023
    titles = chart.locator("title").all_text_contents()
    assert titles[0].startswith("2022 年：3 / 3")
    table = page.locator("#by-year table")
    assert table.locator("tbody tr").count() == bars.count()
    box = page.locator("#by-year .sr-only").bounding_box()
    assert box is not None and box["width"] <= 1  # for screen readers, not drawn
    shot(page, "by-year")
