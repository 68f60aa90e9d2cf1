"""Task and year comparison pages.

The layout is tested against hand-made ``indexer.compare`` results (so the page is
checked independently of the algorithms), then once against the real core.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from indexer import compare as core
from indexer.compare import (
    CompareError,
    Copied,
    DiffOp,
    FigurePair,
    FigureRef,
    ItemRef,
    Pair,
    Promise,
    TaskColumn,
    TaskInfo,
    TaskItem,
    TaskView,
    YearView,
    districts,
)
from indexer.model import Span
from indexer.query import open_index


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def metas(built_index):
    with open_index(built_index) as idx:
        return idx.reports()


@pytest.fixture
def fake_tasks(monkeypatch, metas):
    """Two tasks over two districts; the first addressed by the first two reports."""
    tasks = [TaskInfo("lawyer", "法律顾问和公职律师"), TaskInfo("open", "政务公开")]
    item = TaskItem(
        paragraph=7,
        section="measures",
        heading=["（二）"],
        text="推动公职律师设立<script>alert(1)</script>，已设立1名。",
        highlights=[Span(2, 6)],
        item="二是",
        reused=[Span(0, 8)],
    )
    matrix = districts.DistrictMatrix(
        tasks,
        [("东区", 4), ("西区", 1)],
        {"lawyer": {"东区": (4, 4), "西区": (0, 1)}, "open": {"东区": (1, 4), "西区": (1, 1)}},
    )
    dview = districts.DistrictView(
        tasks[0],
        None,
        [
            districts.DistrictSummary("东区", 4, 2, TaskColumn(metas[0], [item])),
            districts.DistrictSummary("西区", 1, 0),
        ],
    )
    counts = {metas[0].id: 3, metas[1].id: 1}
    calls = {}

    def district_view(idx, task=None, query=None, year=None):
        calls.update(task=task, query=query, year=year)
        if task == "nope":
            raise CompareError("没有任务 nope；可用：lawyer、open")
        return dview

    def report_counts(idx, task, query, year):
        calls.update(task=task, query=query, year=year)
        return (None if query else tasks[0]), counts

    def district_reports(idx, district, year, counts):
        calls["district"] = district
        return [metas[0], metas[1]], list(metas[2:])

    def task_view(idx, task=None, query=None, year=None, tasks_path=None, only=None):
        calls["only"] = set(only)
        columns = [TaskColumn(m, [item]) for m in metas if m.id in only]
        return TaskView(tasks[0], query, columns, [])

    monkeypatch.setattr(districts, "district_matrix", lambda idx, year=None: matrix)
    monkeypatch.setattr(districts, "district_view", district_view)
    monkeypatch.setattr(districts, "report_counts", report_counts)
    monkeypatch.setattr(districts, "district_reports", district_reports)
    monkeypatch.setattr(core, "task_view", task_view)
    return calls


def test_task_overview_is_a_task_by_district_heat_map(client, fake_tasks):
    html = text(client.get("/compare/tasks"))
    assert '<table class="heat">' in html
    assert html.count('<td class="heat-') == 2 * 2  # tasks × districts, not × reports
    link = "/compare/tasks?task=lawyer&amp;district=" + quote("东区")
    assert 'class="heat-5"><a href="' + link in html and ">100%</a>" in html
    assert "heat-0" in html
    assert '<details class="heatmap" open>' in html


def test_task_view_has_one_column_per_district(client, fake_tasks, metas):
    html = text(client.get("/compare/tasks", query_string={"task": "lawyer", "year": "2022"}))
    assert fake_tasks == {"task": "lawyer", "query": None, "year": 2022}
    names = re.findall(
        r'<section class="column district[^"]*" id="d-\d+" aria-label="([^"]+)"', html
    )
    assert names == ["东区", "西区"]
    assert "<strong>2</strong> / 4 份报告提及" in html
    assert html.count('<p class="none">未提及</p>') == 1
    reused = '<span class="reused">推动</span><span class="reused"><mark>公职律师</mark></span>'
    assert reused + '<span class="reused">设立</span>&lt;script&gt;' in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert f'href="/reports/{quote(metas[0].id)}#p-7"' in html
    assert 'href="/compare/tasks?task=lawyer&amp;district=' + quote("西区") in html
    assert '<option value="lawyer" selected>' in html


def test_a_district_shows_its_reports_a_page_at_a_time(client, fake_tasks, metas):
    r = client.get("/compare/tasks", query_string={"task": "lawyer", "district": "东区"})
    html = text(r)
    assert fake_tasks["district"] == "东区"
    assert fake_tasks["only"] == {metas[0].id, metas[1].id}
    columns = re.findall(r'<section class="column" id="r-([^"]+)"', html)
    assert columns == [metas[0].id, metas[1].id]
    assert f"未提及的报告（{len(metas) - 2}）" in html
    assert '<input type="hidden" name="district" value="东区">' in html


def test_task_view_by_query_keeps_it_in_the_links(client, fake_tasks, metas):
    html = text(client.get("/compare/tasks", query_string={"q": "公职律师"}))
    assert fake_tasks["query"] == "公职律师"
    assert f'href="/reports/{quote(metas[0].id)}?q={quote("公职律师")}#p-7"' in html


def test_task_view_fragment_for_htmx(htmx_client, fake_tasks):
    r = htmx_client.get("/compare/tasks?task=lawyer")
    assert r.status_code == 200
    assert "<html" not in text(r) and "compare-grid" in text(r)
    assert r.headers["HX-Push-Url"] == "/compare/tasks?task=lawyer"


def test_unknown_task_is_a_404_with_the_core_message(client, fake_tasks):
    r = client.get("/compare/tasks?task=nope")
    assert r.status_code == 404 and "没有任务 nope" in text(r)


def test_task_view_bad_year_is_a_400(client, fake_tasks):
    assert client.get("/compare/tasks?task=lawyer&year=二〇二二").status_code == 400


@pytest.fixture
def fake_years(monkeypatch, metas):
    a, b = metas[2], metas[3]
    ref_a = ItemRef(
        paragraph=5, section="measures", heading=[], text="审核合同23件", start=0, end=7
    )
    ref_b = ItemRef(
        paragraph=6, section="measures", heading=[], text="审核合同31件", start=0, end=7
    )
    pairs = [
        Pair(
            "changed",
            "measures",
            ref_a,
            ref_b,
            [
                DiffOp("equal", "审核合同"),
                DiffOp("delete", "23"),
                DiffOp("insert", "31"),
                DiffOp("equal", "件"),
            ],
            0.8,
        ),
        Pair("new", "plans", None, ItemRef(9, "plans", [], "新增<b>一项</b>工作")),
        Pair("dropped", "plans", ItemRef(8, "plans", [], "删去的工作"), None),
        Pair(
            "unchanged",
            "leadership",
            ItemRef(3, "leadership", [], "同上"),
            ItemRef(3, "leadership", [], "同上", "", 0, 2),
        ),
    ]
    figures = [
        FigurePair(
            "件",
            FigureRef(23, "件", "23件", "审核合同23件", 5, 4, 7),
            FigureRef(31, "件", "31件", "审核合同31件", 6, 4, 7),
        )
    ]
    promises = [Promise(ItemRef(8, "plans", [], "继续推进"), "继续推进公职律师工作", "found", 0.72)]
    copied = [Copied("同上", "同上", 3, 3, 0, 2, 1.0)]
    view = YearView(a, b, pairs, figures, promises, copied)
    calls = {}

    def year_view(idx, a_id, b_id):
        calls["ids"] = (a_id, b_id)
        if a_id == "x":
            raise CompareError("没有报告 x")
        return view

    def reports_for_unit(idx, unit, from_year=None, to_year=None):
        calls["unit"] = (unit, from_year, to_year)
        if unit == "独一家":
            raise CompareError("独一家 只有一年的报告")
        return a.id, b.id

    monkeypatch.setattr(core, "year_view", year_view)
    monkeypatch.setattr(core, "reports_for_unit", reports_for_unit)
    return calls


def test_year_form_without_a_choice(client, fake_years, metas):
    html = text(client.get("/compare/years"))
    assert '<select id="unit" name="unit">' in html
    assert "选择一个有两年以上报告的单位" in html


def test_year_view_aligns_pairs_and_marks_changes(client, fake_years, metas):
    a, b = metas[2], metas[3]
    html = text(client.get("/compare/years", query_string={"a": a.id, "b": b.id}))
    assert fake_years["ids"] == (a.id, b.id)
    assert "审核合同<del>23</del>件" in html and "审核合同<ins>31</ins>件" in html
    for badge in ("changed", "new", "dropped", "unchanged", "copied"):
        assert f'<span class="badge {badge}">' in html
    assert '<ins class="whole">新增&lt;b&gt;一项&lt;/b&gt;工作</ins>' in html
    assert '<del class="whole">删去的工作</del>' in html
    assert '<table class="figures">' in html and "+8" in html
    assert '<table class="promises">' in html and "已见兑现" in html and "0.72" in html


def test_year_view_by_unit(client, fake_years):
    r = client.get(
        "/compare/years", query_string={"unit": "区政府办公室", "from": "2022", "to": "2023"}
    )
    assert r.status_code == 200
    assert fake_years["unit"] == ("区政府办公室", 2022, 2023)


def test_year_view_fragment_for_htmx(htmx_client, fake_years):
    r = htmx_client.get("/compare/years?unit=区政府办公室")
    assert "<html" not in text(r) and "pair-head" in text(r)
    assert r.headers["HX-Push-Url"] == "/compare/years?unit=" + quote("区政府办公室")


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"a": "x", "b": "y"}, 404),
        ({"unit": "独一家"}, 404),
        ({"a": "only-a"}, 400),
        ({"unit": "区政府办公室", "from": "abc"}, 400),
    ],
)
def test_year_view_errors(client, fake_years, query, status):
    assert client.get("/compare/years", query_string=query).status_code == status


# --- against the real core ---------------------------------------------------------


def real(call):
    """Run a core call; skip (with the reason) while indexer.compare is still a stub."""
    try:
        return call()
    except NotImplementedError:
        pytest.skip("indexer.compare is not implemented yet")


def test_real_task_comparison(client, built_index):
    with open_index(built_index) as idx:
        matrix = real(lambda: core.task_matrix(idx))
        task = next(t for t in matrix.tasks if any(matrix.counts.get(t.id, {}).values()))
        view = core.task_view(idx, task=task.id)
        dview = districts.district_view(idx, task=task.id)
        metas = {m.id: m for m in idx.reports()}
    # the district summary agrees with the per-report view
    mentioned = {}
    for column in view.columns:
        name = districts.district_of(metas[column.report.id])
        mentioned[name] = mentioned.get(name, 0) + 1
    assert {d.district: d.mentioned for d in dview.districts if d.mentioned} == mentioned
    assert sum(d.reports for d in dview.districts) == len(view.columns) + len(view.missing)
    r = client.get("/compare/tasks", query_string={"task": task.id})
    assert r.status_code == 200
    html = text(r)
    assert html.count('<section class="column district') == len(dview.districts)
    one = next(d for d in dview.districts if d.mentioned)
    r = client.get("/compare/tasks", query_string={"task": task.id, "district": one.district})
    html = text(r)
    assert html.count('<section class="column" id="r-') == one.mentioned


def test_real_year_comparison(client, built_index):
    with open_index(built_index) as idx:
        a_id, b_id = real(lambda: core.reports_for_unit(idx, "区政府办公室"))
        view = core.year_view(idx, a_id, b_id)
    r = client.get("/compare/years", query_string={"unit": "区政府办公室"})
    assert r.status_code == 200
    html = text(r)
    assert 'class="pair pair-head"' in html
    assert html.count('<div class="pair status-') == len(view.pairs)
    for status in {p.status for p in view.pairs}:
        assert f'<span class="badge {status}">' in html
    assert "<ins>" in html and "<del>" in html
    same = client.get("/compare/years", query_string={"a": a_id, "b": b_id})
    assert text(same).count('<div class="pair status-') == len(view.pairs)


def test_real_task_and_query_together_use_the_task(client, built_index):
    with open_index(built_index) as idx:
        real(lambda: core.task_matrix(idx))
    r = client.get("/compare/tasks", query_string={"task": "legal-advisers", "q": "公职律师"})
    assert r.status_code == 200
    assert "<mark>公职律师</mark>" in text(r) and "compare-grid" in text(r)


def test_real_unknown_task_and_unit_are_404(client, built_index):
    with open_index(built_index) as idx:
        real(lambda: core.task_matrix(idx))
    assert client.get("/compare/tasks?task=no-such-task").status_code == 404
    assert client.get("/compare/years?unit=不存在的单位").status_code == 404
    assert client.get("/compare/years?unit=万兴街").status_code == 404  # one year only
    assert client.get("/compare/years?a=nope&b=nope2").status_code == 404
