"""Task taxonomy and classification: on strings, then on the seed reports."""

from __future__ import annotations

import pytest

from indexer.compare import CompareError, task_matrix, task_view
from indexer.compare.tasks import (
    DEFAULT_TASKS,
    TaxonomyError,
    classify_text,
    evidence,
    find_task,
    load_tasks,
    paragraph_units,
    resolve_tasks_path,
)
from indexer.model import Item, Paragraph

TASKS = load_tasks()
LAWYERS = find_task(TASKS, "legal-advisers")


def test_default_taxonomy_covers_the_outline():
    assert 25 <= len(TASKS) <= 30
    ids = [t.id for t in TASKS]
    assert len(set(ids)) == len(ids)
    labels = {t.label for t in TASKS}
    for label in ("法律顾问与公职律师", "行政复议", "政务公开/信息公开", "重大行政决策", "信访"):
        assert label in labels


def test_find_task_by_id_label_or_part_of_label():
    assert find_task(TASKS, "legal-advisers") is LAWYERS
    assert find_task(TASKS, "法律顾问与公职律师") is LAWYERS
    assert find_task(TASKS, "公职律师") is LAWYERS
    assert find_task(TASKS, "行政复议").id == "reconsideration"
    assert find_task(TASKS, "执法") is None  # several tasks: ambiguous, not a guess
    assert find_task(TASKS, "nope") is None


def test_keywords_match_on_folded_text_with_original_spans():
    text = "聘请了常年法律\u3000顾问，设立１名公职律师"
    found = classify_text(text, TASKS)
    assert "legal-advisers" in found
    assert [text[s:e] for s, e in found["legal-advisers"]] == ["法律\u3000顾问", "公职律师"]


def test_exclusion_removes_only_the_occurrence_inside_it():
    upload = "将年度法治政府建设情况报告上传至天津市法律顾问管理服务平台。"
    assert "legal-advisers" not in classify_text(upload, TASKS)
    both = upload + "聘请法律顾问1名。"
    spans = evidence(LAWYERS, both)
    assert [both[s:e] for s, e in spans] == ["法律顾问"]
    assert spans[0][0] > both.index("聘请")


def test_taxonomy_override_in_corpus_and_explicit_path(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assert resolve_tasks_path(None, corpus) == DEFAULT_TASKS
    (corpus / "tasks.toml").write_text(
        '[[task]]\nid = "x"\nlabel = "仅一项"\nkeywords = ["复议"]\n', encoding="utf-8"
    )
    assert [t.id for t in load_tasks(None, corpus)] == ["x"]
    other = tmp_path / "other.toml"
    other.write_text('[[task]]\nid = "y"\nlabel = "另一项"\nkeywords = ["信访"]\n', "utf-8")
    assert [t.id for t in load_tasks(other, corpus)] == ["y"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[task]\n", "not valid TOML"),
        ("title = 1\n", r"no \[\[task"),
        ('[[task]]\nid = "中文"\nlabel = "x"\nkeywords = ["a"]\n', "ascii slug"),
        ('[[task]]\nid = "a"\nlabel = "x"\nkeywords = []\n', "keywords"),
        ('[[task]]\nid = "a"\nlabel = "x"\nkeywords = ["k"]\nsections = ["nowhere"]\n', "sections"),
        (
            '[[task]]\nid = "a"\nlabel = "x"\nkeywords = ["k"]\n'
            '[[task]]\nid = "a"\nlabel = "y"\nkeywords = ["k"]\n',
            "duplicate",
        ),
    ],
)
def test_bad_taxonomy_says_what_and_where(tmp_path, body, message):
    path = tmp_path / "tasks.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(TaxonomyError, match=message) as info:
        load_tasks(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value, CompareError)


def test_units_are_items_with_lead_in_but_not_a_run_in_heading():
    text = "（一）全面推进法治思想建设。一是学习。二是考试。"
    run_in = Paragraph(
        3,
        "body",
        text,
        "measures",
        ["（一）全面推进法治思想建设"],
        2,
        [Item("一是", 14, 19), Item("二是", 19, 24)],
    )
    assert [u.text for u in paragraph_units(run_in)] == ["一是学习。", "二是考试。"]
    lead = "健全完善法律顾问和公职律师聘用机制。一是聘请。"
    p = Paragraph(7, "body", lead, "measures", ["（二）健全"], 2, [Item("一是", 18, 23)])
    assert [u.text for u in paragraph_units(p)] == [
        "健全完善法律顾问和公职律师聘用机制。",
        "一是聘请。",
    ]
    plain = Paragraph(9, "body", "没有条目的段落。", "plans")
    assert [u.text for u in paragraph_units(plain)] == ["没有条目的段落。"]


# --- on the seed reports ------------------------------------------------------------


def test_legal_advisers_task_on_the_seeds(seed_index):
    view = task_view(seed_index, task="legal-advisers")
    units = {c.report.id: c for c in view.columns}
    assert set(units) == {
        "南开区-万兴街-2022",
        "西青区-区协同办-2022",
        "区政府办公室-2022",
        "南开区-南开区合作交流办-2023",
    }
    assert view.missing == ["东丽区-区政府办公室-2023"]
    # 区协同办: the lead-in and its three items, each with 法律顾问 / 公职律师 evidence
    xt = units["西青区-区协同办-2022"].items
    assert [i.item for i in xt] == ["", "一是", "二是", "三是"]
    assert all(i.paragraph == 7 for i in xt)
    marked = {i.text[s.start : s.end] for i in xt for s in i.highlights}
    assert marked >= {"法律顾问", "公职律师", "律师事务所"}
    # 合作交流办: item 二是 (its lawyer) counts; item 四是 only uploads to the 法律顾问管理服务平台
    nk = units["南开区-南开区合作交流办-2023"].items
    assert [i.item for i in nk] == ["二是"]
    assert "法律顾问管理服务平台" not in nk[0].text
    wx = units["南开区-万兴街-2022"].items
    assert wx[0].paragraph == 16 and "常年法律顾问" in wx[0].text
    assert "法律顾问" in units["区政府办公室-2022"].items[0].text


def test_matrix_counts_agree_with_task_views(seed_index):
    matrix = task_matrix(seed_index)
    assert [t.id for t in matrix.tasks] == [t.id for t in TASKS]
    assert len(matrix.reports) == 5
    assert matrix.counts["legal-advisers"]["东丽区-区政府办公室-2023"] == 0
    assert matrix.counts["legal-advisers"]["西青区-区协同办-2022"] == 4
    assert matrix.counts["openness"]["东丽区-区政府办公室-2023"] >= 5
    for t in matrix.tasks:
        view = task_view(seed_index, task=t.id)
        by_report = {c.report.id: len(c.items) for c in view.columns}
        for m in matrix.reports:
            assert matrix.counts[t.id][m.id] == by_report.get(m.id, 0), (t.id, m.id)


def test_leadership_section_addresses_first_responsible_without_the_words(seed_index):
    view = task_view(seed_index, task="first-responsible")
    col = next(c for c in view.columns if c.report.id == "东丽区-区政府办公室-2023")
    texts = [i.text for i in col.items]
    assert any(t.startswith("二是组织完善管理制度") for t in texts)


def test_year_filter_and_errors(seed_index):
    view = task_view(seed_index, task="法律顾问", year=2023)
    assert [c.report.id for c in view.columns] == ["南开区-南开区合作交流办-2023"]
    assert view.missing == ["东丽区-区政府办公室-2023"]
    with pytest.raises(CompareError, match="没有任务 nope"):
        task_view(seed_index, task="nope")
    with pytest.raises(CompareError):
        task_view(seed_index, task="x", query="y")
    with pytest.raises(CompareError):
        task_view(seed_index)


def test_query_view_groups_search_hits_per_report_down_to_items(seed_index):
    view = task_view(seed_index, query='"公职律师"')
    assert view.task is None and view.query == '"公职律师"'
    cols = {c.report.id: c.items for c in view.columns}
    assert set(cols) == {"西青区-区协同办-2022", "南开区-南开区合作交流办-2023"}
    assert "南开区-万兴街-2022" in view.missing
    nk = cols["南开区-南开区合作交流办-2023"]
    assert [i.item for i in nk] == ["二是"]  # only the item holding the term, not 一是…四是
    for items in cols.values():
        for item in items:
            assert item.highlights
            assert all(item.text[s.start : s.end] == "公职律师" for s in item.highlights)
    d = view.to_dict()
    assert set(d) == {"task", "query", "columns", "missing"}
    assert set(d["columns"][0]["items"][0]) >= {
        "paragraph",
        "section",
        "heading",
        "text",
        "highlights",
    }
