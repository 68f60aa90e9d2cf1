"""District summaries of a task or a query agree with the per-report view and the search."""

from indexer.compare import districts, task_view
from indexer.query import open_index


def test_query_districts_agree_with_the_search(built_index):
    with open_index(built_index) as idx:
        view = districts.district_view(idx, query="公职律师")
        result = idx.search("公职律师", limit=1)
        metas = {m.id: m for m in idx.reports()}
    hit_reports = set(result.facets["report"])
    expected: dict[str, int] = {}
    for rid in hit_reports:
        name = districts.district_of(metas[rid])
        expected[name] = expected.get(name, 0) + 1
    assert {d.district: d.mentioned for d in view.districts if d.mentioned} == expected
    assert sum(d.reports for d in view.districts) == len(metas)
    for d in view.districts:
        if d.mentioned:
            assert d.best is not None and d.best.report.id in hit_reports
            assert districts.district_of(d.best.report) == d.district
            assert any(
                "公职律师" in i.text[h.start : h.end] for i in d.best.items for h in i.highlights
            )
        else:
            assert d.best is None


def test_task_districts_and_drill_down_agree_with_the_task_view(built_index):
    with open_index(built_index) as idx:
        full = task_view(idx, task="legal-advisers")
        view = districts.district_view(idx, task="legal-advisers")
        _, counts = districts.report_counts(idx, "legal-advisers", None, None)
        by_district = {
            d.district: districts.district_reports(idx, d.district, None, counts)
            for d in view.districts
        }
    assert {c.report.id for c in full.columns} == {
        m.id for mentioning, _ in by_district.values() for m in mentioning
    }
    assert set(full.missing) == {m.id for _, silent in by_district.values() for m in silent}
    for d in view.districts:
        assert d.mentioned == len(by_district[d.district][0])
