"""How a term spreads over the years (by_year), and hits that link into their report with the
query kept so the report opens with the terms marked."""

import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from indexer.cli import main
from indexer.fold import fold
from indexer.model import Filters


def expected_spread(idx, word, unit=None):
    out = {}
    for meta in idx.reports():
        if meta.year is None or (unit and meta.unit != unit):
            continue
        report = idx.report(meta.id)
        said = any(fold(word) in fold(p.text) for p in report.paragraphs)
        reports, mentioning = out.get(meta.year, (0, 0))
        out[meta.year] = (reports + 1, mentioning + said)
    return [{"year": y, "reports": r, "mentioning": m} for y, (r, m) in sorted(out.items())]


def test_by_year_counts_reports_that_mention_the_query(seed_index):
    for word in ("法律顾问", "公职律师", "宪法日", "信访"):
        result = seed_index.search(word, limit=1)
        assert [y.to_dict() for y in result.by_year] == expected_spread(seed_index, word)
    narrowed = seed_index.search("法律顾问", Filters(unit="区政府办公室"), limit=1)
    assert [y.to_dict() for y in narrowed.by_year] == expected_spread(
        seed_index, "法律顾问", unit="区政府办公室"
    )
    assert [y.to_dict() for y in narrowed.by_year] == [
        {"year": 2022, "reports": 1, "mentioning": 1},
        {"year": 2023, "reports": 1, "mentioning": 0},
    ]


def test_by_year_in_search_json(runner, built_index):
    out = runner.invoke(main, ["search", "法律顾问", "--json", "--index", str(built_index)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["by_year"] == [
        {"year": 2022, "reports": 3, "mentioning": 3},
        {"year": 2023, "reports": 2, "mentioning": 1},
    ]


def test_search_page_draws_the_year_chart_with_a_table(client):
    html = client.get("/?q=法律顾问").get_data(as_text=True)
    chart = html[html.index('<figure class="by-year"') : html.index("</figure>")]
    assert "<svg" in chart and "<script" not in chart
    titles = re.findall(r"<title>([^<]+)</title>", chart)
    assert titles == ["2022 年：3 / 3 份报告提及（100%）", "2023 年：1 / 2 份报告提及（50%）"]
    heights = [float(h) for h in re.findall(r'class="bar" [^>]*height="([\d.]+)"', chart)]
    assert heights[0] == 2 * heights[1] > 0
    rows = re.findall(r'<th scope="row">(\d+)</th><td>(\d+)</td><td>(\d+)</td>', chart)
    assert rows == [("2022", "3", "3"), ("2023", "2", "1")]


def test_every_link_from_a_hit_into_its_report_keeps_the_query(client):
    html = client.get("/?q=法律顾问").get_data(as_text=True)
    hits = html[html.index('<div class="hits">') : html.index('id="missing"')]
    links = [unescape(h) for h in re.findall(r'href="(/reports/[^"]+)"', hits)]
    assert len(links) >= 9  # a heading and at least one paragraph link per report
    for link in links:
        assert parse_qs(urlsplit(link).query)["q"] == ["法律顾问"], link
    page = client.get(links[0]).get_data(as_text=True)
    assert "<mark>法律顾问</mark>" in page
