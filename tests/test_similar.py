"""Similar passages: other reports only, best first; a 法律顾问 paragraph brings back the
other units' 法律顾问 paragraphs first; CLI JSON shape; the web page groups by unit."""

import json
import re
from html import unescape

import pytest

from indexer.cli import main
from indexer.errors import QueryError

HIT_FIELDS = {
    "report",
    "file",
    "unit",
    "district",
    "year",
    "section",
    "heading",
    "paragraph",
    "text",
    "highlights",
}


def lawyer_paragraphs(idx):
    return [
        (r.meta, p)
        for r in idx.all_reports()
        for p in r.paragraphs
        if "法律顾问" in p.text and p.kind in ("body", "heading")
    ]


def on_lawyers(idx):
    """The seed paragraphs *about* legal advisers: their own heading names 法律顾问."""
    return [(m, p) for m, p in lawyer_paragraphs(idx) if "法律顾问" in (p.heading or [""])[-1]]


def test_a_legal_adviser_paragraph_brings_other_units_legal_adviser_paragraphs_first(
    seed_index,
):
    sources = on_lawyers(seed_index)
    assert len(sources) >= 3  # 区协同办's heading and body, 万兴街's 聘请常年法律顾问
    for meta, paragraph in sources:
        wanted = {
            (m.id, p.number)
            for m, p in lawyer_paragraphs(seed_index)
            if m.unit != meta.unit and p.kind == "body"
        }
        result = seed_index.similar(meta.id, paragraph.number, limit=10)
        top = [(h.report, h.paragraph) for h in result.hits[: len(wanted)]]
        assert set(top) == wanted, (meta.unit, paragraph.number, top)


def test_similar_hits_are_other_reports_best_first(seed_index):
    for meta, paragraph in lawyer_paragraphs(seed_index):
        result = seed_index.similar(meta.id, paragraph.number, limit=15)
        assert result.source.report == meta.id and result.source.paragraph == paragraph.number
        assert result.hits and all(h.report != meta.id for h in result.hits)
        scores = [h.score for h in result.hits]
        assert scores == sorted(scores, reverse=True) and scores[-1] > 0
        assert len(result.hits) <= 15


def test_other_years_of_the_same_unit_are_included(seed_index):
    office = [m for m in seed_index.reports() if m.unit == "区政府办公室"]
    older, newer = sorted(office, key=lambda m: m.year)
    report = seed_index.report(newer.id)
    body = max((p for p in report.paragraphs if p.kind == "body"), key=lambda p: len(p.text))
    result = seed_index.similar(newer.id, body.number, limit=20)
    assert older.id in {h.report for h in result.hits}


def test_unknown_report_or_paragraph_is_explained(seed_index):
    meta = seed_index.reports()[0]
    with pytest.raises(QueryError, match="没有报告"):
        seed_index.similar("nope", 1)
    with pytest.raises(QueryError, match="没有第 999 段"):
        seed_index.similar(meta.id, 999)


def test_cli_similar_json(runner, built_index, seed_index):
    meta, paragraph = on_lawyers(seed_index)[0]
    args = ["similar", meta.id, str(paragraph.number), "--limit", "3", "--json"]
    out = runner.invoke(main, [*args, "--index", str(built_index)])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert set(data) == {"source", "hits"}
    assert set(data["source"]) == HIT_FIELDS
    assert data["source"]["paragraph"] == paragraph.number
    assert len(data["hits"]) == 3
    for hit in data["hits"]:
        assert set(hit) == HIT_FIELDS | {"score"} and hit["report"] != meta.id
    assert [h["score"] for h in data["hits"]] == sorted(
        (h["score"] for h in data["hits"]), reverse=True
    )
    bad = runner.invoke(main, ["similar", "nope", "1", "--index", str(built_index)])
    assert bad.exit_code != 0 and "没有报告" in bad.output


def test_similar_page_groups_by_unit(client, seed_index):
    meta, paragraph = on_lawyers(seed_index)[0]
    html = client.get(f"/similar/{meta.id}/{paragraph.number}").get_data(as_text=True)
    units = [
        u.strip() for u in re.findall(r'<article class="group similar-unit">\s*<h2>([^<]+)<', html)
    ]
    assert units and len(units) == len(set(units)) and meta.unit not in units
    expected = []
    for hit in seed_index.similar(meta.id, paragraph.number, limit=30).hits:
        if hit.unit not in expected:
            expected.append(hit.unit)
    assert units == expected
    assert client.get("/similar/nope/1").status_code == 404
    assert client.get(f"/similar/{meta.id}/9999").status_code == 404


def test_every_hit_and_report_paragraph_links_to_its_similar_passages(client, seed_index):
    html = client.get("/?q=法律顾问").get_data(as_text=True)
    hits = len(re.findall(r'<li class="hit">', html))
    links = [unescape(h) for h in re.findall(r'href="(/similar/[^"]+)"', html)]
    assert hits and len(links) == hits
    meta = seed_index.reports()[0]
    page = client.get(f"/reports/{meta.id}").get_data(as_text=True)
    numbers = re.findall(r'href="/similar/[^"/]+/(\d+)"', page)
    assert sorted(map(int, numbers)) == [p.number for p in seed_index.report(meta.id).paragraphs]


def test_stores_without_more_like_get_the_same_contract_from_plain_searches(seed_index):
    """``indexer.likeness``: what a store without its own method (SphinxQL) answers."""
    from indexer import likeness

    meta, paragraph = on_lawyers(seed_index)[0]
    size = sum(m.paragraphs for m in seed_index.reports())
    topic = paragraph.heading[-1] if paragraph.heading else ""
    raw = likeness.more_like(seed_index.store, paragraph.text, meta.id, 5, topic, size)
    assert raw.terms and all(t in paragraph.text + topic for t in raw.terms)
    assert 0 < len(raw.rows) <= 5 and all(r["report"] != meta.id for r in raw.rows)
    assert "法律顾问" in seed_index.fill_row(raw.rows[0])["text"]
