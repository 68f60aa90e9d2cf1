"""The year comparison's report pickers list one unit's reports, never every report."""

from __future__ import annotations

import re

from indexer.query import open_index


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select id="{name}" name="{name}">(.*?)</select>', html, re.S)
    return re.findall(r'<option value="([^"]+)"', select.group(1)) if select else []


def test_without_a_unit_the_pickers_are_id_fields(client):
    html = client.get("/compare/years").get_data(as_text=True)
    assert _options(html, "a") == [] and _options(html, "b") == []
    assert '<input id="a" name="a"' in html and '<input id="b" name="b"' in html


def test_a_unit_or_a_comparison_lists_that_units_reports_only(client, built_index):
    with open_index(built_index) as idx:
        ids = sorted(m.id for m in idx.reports() if m.unit == "区政府办公室")
    assert len(ids) == 2
    for url in ("/compare/years?unit=区政府办公室", f"/compare/years?a={ids[0]}&b={ids[1]}"):
        page = client.get(url)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert sorted(_options(html, "a")) == ids and sorted(_options(html, "b")) == ids
