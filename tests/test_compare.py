"""Year view, unit identity, promises and the comparison CLI, on the seed index."""

from __future__ import annotations

import json

import pytest

from indexer.compare import CompareError, reports_for_unit, task_view, year_view
from indexer.compare.align import ItemRef
from indexer.compare.promises import PROMISE_MIN, find_copied, plan_pieces, trace_promises
from indexer.compare.units import group_reports, unit_key
from indexer.model import ReportMeta

A22, B23 = "区政府办公室-2022", "东丽区-区政府办公室-2023"


def meta(rid, unit, district, year, key=""):
    return ReportMeta(rid, f"{rid}.txt", unit, district, year, None, None, unit_key=key)


# --- unit identity ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (("区政府办公室", "东丽区"), ("区政府办", "东丽区")),
        (("南开区合作交流办党组", None), ("合作交流办", "南开区")),
        (("万兴街道办事处", "南开区"), ("万兴街", "南开区")),
        (("东丽区人民政府办公室", None), ("区政府办公室", "东丽区")),
        (("区市场监管局", "东丽区"), ("市场监管局", "东丽区")),
        (("东丽区市场监管局", None), ("市场监管局", "东丽区")),
    ],
)
def test_unit_key_folds_spelling_variants(one, other):
    assert unit_key(*one) == unit_key(*other)


@pytest.mark.parametrize(
    ("unit", "key"),
    [
        ("市场监管局", "|市场监管局"),
        ("市市场监管局", "|市场监管局"),
        ("市政管理处", "|市政管理处"),
        ("区域发展办公室", "|区域发展办"),
        ("区政府办公室", "|政府办"),
    ],
)
def test_unit_key_keeps_words_that_start_with_a_level(unit, key):
    assert unit_key(unit, None) == key


def test_missing_district_joins_the_one_same_name_unit_only():
    groups = group_reports(
        [meta("x22", "区政府办公室", None, 2022), meta("x23", "区政府办公室", "东丽区", 2023)]
    )
    assert {k: [m.id for m in v] for k, v in groups.items()} == {"东丽区|政府办": ["x22", "x23"]}
    two = group_reports(
        [
            meta("n", "区政府办公室", None, 2022),
            meta("d", "区政府办公室", "东丽区", 2023),
            meta("k", "区政府办公室", "南开区", 2023),
        ]
    )
    assert sorted(two) == ["|政府办", "东丽区|政府办", "南开区|政府办"]  # ambiguous: kept apart


def test_manifest_unit_key_wins():
    groups = group_reports(
        [
            meta("a", "区协同办", "西青区", 2022, "xq-xtb"),
            meta("b", "协同发展办", None, 2023, "xq-xtb"),
        ]
    )
    assert [m.id for m in groups["xq-xtb"]] == ["a", "b"]


def test_reports_for_unit_finds_the_two_years(seed_index):
    for name in ("区政府办公室", "区政府办", "东丽区|政府办", "东丽区区政府办公室"):
        assert reports_for_unit(seed_index, name) == (A22, B23)
    assert reports_for_unit(seed_index, "区政府办公室", 2022, 2023) == (A22, B23)
    with pytest.raises(CompareError, match="只有 2022 年"):
        reports_for_unit(seed_index, "区协同办")
    with pytest.raises(CompareError, match="没有单位"):
        reports_for_unit(seed_index, "教育局")
    with pytest.raises(CompareError, match="没有单位"):
        reports_for_unit(seed_index, "南开区区政府办公室")  # same name, another district
    with pytest.raises(CompareError, match="起始年须早于终止年"):
        reports_for_unit(seed_index, "区政府办公室", 2023, 2023)
    with pytest.raises(CompareError, match="没有 2024 年"):
        reports_for_unit(seed_index, "区政府办公室", to_year=2024)


# --- the year view on 区政府办公室 2022 → 2023 ----------------------------------------


@pytest.fixture(scope="module")
def view(built_index):
    from indexer.query import open_index

    with open_index(built_index) as idx:
        return year_view(idx, A22, B23)


def test_every_item_of_both_reports_appears_once(view, seed_index):
    from indexer.compare.tasks import report_units

    a_units = [(u.paragraph.number, u.start) for u in report_units(seed_index.report(A22))]
    b_units = [(u.paragraph.number, u.start) for u in report_units(seed_index.report(B23))]
    assert sorted((p.a.paragraph, p.a.start) for p in view.pairs if p.a) == sorted(a_units)
    assert sorted((p.b.paragraph, p.b.start) for p in view.pairs if p.b) == sorted(b_units)
    statuses = {p.status for p in view.pairs}
    assert {"changed", "new", "dropped"} <= statuses


def by_start(pairs, side, prefix):
    return next(p for p in pairs if getattr(p, side) and getattr(p, side).text.startswith(prefix))


def test_aligned_new_and_dropped_items(view):
    # the same duty, rewritten: 人大代表建议、政协委员提案 → 认真办理建议提案
    pair = by_start(view.pairs, "a", "三是高度重视落实政府承诺为民办实事项目")
    assert pair.status == "changed" and pair.b.text.startswith("二是认真办理建议提案")
    assert pair.section == "measures" and 0.18 <= pair.score < 0.9
    assert {d.op for d in pair.diff} <= {"equal", "insert", "delete"}
    shortcoming = by_start(view.pairs, "a", "一是法治宣传教育工作做得还不够扎实")
    assert shortcoming.b.text.startswith("一是学习宣传习近平法治思想还不够深入系统")
    assert by_start(view.pairs, "b", "三是深化政务公开").status == "new"
    assert by_start(view.pairs, "b", "一是抓紧抓实政府信息主动公开").status == "new"
    assert by_start(view.pairs, "a", "二是加强行政复议工作").status == "dropped"
    assert by_start(view.pairs, "a", "二是大力抓好防范非法集资宣传").status == "dropped"


def test_figures_from_both_years(view):
    a_only = [f.a.text for f in view.figures if f.a and not f.b]
    b_only = [f.b.text for f in view.figures if f.b and not f.a]
    assert any("出庭率100%" in t for t in a_only)
    assert any(t.endswith("公开各类信息12049条") for t in b_only)
    assert any(t.endswith("集中学习4次") for t in b_only)
    # 满意率100% is not 出庭率100%: same counter, different thing
    assert not any(f.a and f.b for f in view.figures)


def test_promises_found_and_not_found_with_scores(view):
    promises = {p.text: p for p in view.promises}
    duty = promises["认真落实党政主要负责人履行推进法治建设第一责任人职责"]
    assert duty.status == "found" and duty.score >= PROMISE_MIN
    assert duty.matches[0].item.section == "leadership"
    assert "第一责任人职责" in duty.matches[0].sentence
    review = promises["做好行政复议工作"]
    assert review.status == "no trace found" and review.score < PROMISE_MIN
    assert promises["大力推进“放管服”改革"].status == "no trace found"
    assert all(0.0 <= p.score <= 1.0 for p in view.promises)


def test_year_view_json_shape(view):
    d = json.loads(json.dumps(view.to_dict(), ensure_ascii=False))
    assert set(d) == {"a", "b", "pairs", "figures", "promises", "copied"}
    assert d["a"]["id"] == A22 and d["b"]["year"] == 2023
    changed = next(p for p in d["pairs"] if p["status"] == "changed")
    assert set(changed) >= {"status", "section", "a", "b", "diff"}
    assert set(changed["diff"][0]) == {"op", "text"}


def test_unknown_report(seed_index):
    with pytest.raises(CompareError, match="没有报告 nope"):
        year_view(seed_index, "nope", B23)


# --- promises and copies on strings -------------------------------------------------


def ref(text, section="measures", n=1):
    return ItemRef(n, section, [], text)


def test_a_long_plan_is_split_into_its_promises():
    plan = (
        "2023年，我办将继续以习近平新时代中国特色社会主义思想为指导。认真落实第一责任人职责，"
        "继续深化行政审批制度改革，大力推进“放管服”改革，深入推进防范和处置非法集资工作，"
        "妥善做好信访维稳工作，提升政府公信力，强化规范性文件管理，做好行政复议工作。"
    )
    pieces = [plan[s:e] for s, e in plan_pieces(plan)]
    assert "做好行政复议工作" in pieces and "妥善做好信访维稳工作" in pieces
    assert plan_pieces("强化规范性文件管理") == [(0, 9)]


def test_trace_promise_scores_and_threshold():
    plans = [ref("二是做好行政复议工作。", "plans"), ref("三是强化规范性文件管理。", "plans")]
    done = [ref("一是办理行政复议案件12件，纠错2件。"), ref("二是严格流程管理，保障会议质量。")]
    found, missing = trace_promises(plans, done)
    assert found.status == "found" and found.score == 1.0
    assert found.matches[0].item is done[0]
    assert missing.status == "no trace found" and 0 < missing.score < PROMISE_MIN  # 管理 only


def test_copied_sentences_verbatim_contained_and_near():
    a = [ref("区协同办与天津新华律师事务所签订法律顾问合同。全年审核合同23件。", n=3)]
    b = [
        ref(
            "区协同办与天津新华律师事务所签订法律顾问合同。"
            "今年又与天津新华律师事务所签订法律顾问合同并续聘。全年审核合同31件,出具意见。",
            n=5,
        )
    ]
    copied = find_copied(a, b)
    assert [(c.text[:7], round(c.score, 2)) for c in copied][0] == ("区协同办与天津", 1.0)
    assert all(c.a_paragraph == 3 and c.b_paragraph == 5 for c in copied)
    assert b[0].text[copied[0].b_start : copied[0].b_end] == copied[0].text
    assert not any(c.text.startswith("全年审核合同") for c in copied)  # under 15 characters


# --- CLI ------------------------------------------------------------------------------


def run(runner, built_index, *args):
    from indexer.cli import main

    return runner.invoke(main, [*args, "--index", str(built_index)])


def test_cli_tasks_matrix(runner, built_index):
    result = run(runner, built_index, "tasks", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"]["legal-advisers"][B23] == 0
    text = run(runner, built_index, "tasks")
    assert "legal-advisers" in text.output and "法律顾问与公职律师" in text.output


def test_cli_compare_task_and_query(runner, built_index):
    result = run(runner, built_index, "compare", "task", "法律顾问", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["missing"] == [B23] and data["task"]["id"] == "legal-advisers"
    q = run(runner, built_index, "compare", "task", "--query", '"公职律师"', "--year", "2023")
    assert q.exit_code == 0 and "合作交流办" in q.output and "Not addressed" in q.output
    bad = run(runner, built_index, "compare", "task", "nope")
    assert bad.exit_code == 1 and "没有任务 nope" in bad.output and "fazhi tasks" in bad.output


def test_cli_compare_years_and_reports(runner, built_index):
    result = run(runner, built_index, "compare", "years", "区政府办公室", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["a"]["id"], data["b"]["id"]) == (A22, B23)
    same = run(runner, built_index, "compare", "reports", A22, B23, "--json")
    assert json.loads(same.output)["pairs"] == data["pairs"]
    text = run(runner, built_index, "compare", "years", "区政府办公室")
    assert "[dropped" in text.output and "Promises" in text.output
    one = run(runner, built_index, "compare", "years", "区协同办")
    assert one.exit_code == 1 and "compare reports A B" in one.output


def test_cli_own_text(runner, built_index):
    result = run(runner, built_index, "compare", "own", "西青区-区协同办-2022", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["paragraphs"]
    assert any(r["reused"] for r in rows)
    assert run(runner, built_index, "compare", "own", "nope").exit_code == 1


def test_task_view_items_carry_reused_spans(seed_index):
    view = task_view(seed_index, task="xi-thought")
    items = [i for c in view.columns for i in c.items]
    dimmed = [i.text[s.start : s.end] for i in items for s in i.reused]
    assert "以习近平新时代中国特色社会主义思想为指导" in dimmed
