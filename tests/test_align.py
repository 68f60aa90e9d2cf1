"""Similarity, alignment and character diffs, on strings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from indexer.compare.align import (
    PAIR_MIN,
    UNCHANGED,
    DiffOp,
    ItemRef,
    align,
    char_diff,
    pair_items,
    sentences,
    similarity,
)


def ref(text: str, section: str = "measures", n: int = 1) -> ItemRef:
    return ItemRef(n, section, [], text)


def test_similarity_is_one_for_the_same_text_modulo_folding_and_punctuation():
    assert similarity("审核合同23件。", "审核合同23件") == 1.0
    assert similarity("公 职 律 师，１名", "公职律师1名") == 1.0


def test_stock_words_do_not_make_unrelated_items_similar():
    a = "一是进一步加强法治政府建设，持续推进行政复议工作，办理复议案件12件。"
    b = "二是进一步加强法治政府建设，持续推进政务公开工作，公开信息12049条。"
    assert similarity(a, b) < PAIR_MIN
    assert similarity(a, a.replace("，", ",").replace("12件", " 12 件")) >= UNCHANGED
    assert similarity(a, a.replace("12件", "15件")) < UNCHANGED  # another figure: changed


def test_char_diff_reconstructs_both_sides():
    ops = char_diff("共计审核合同23件", "共计审核合同31件")
    assert ops == [
        DiffOp("equal", "共计审核合同"),
        DiffOp("delete", "23"),
        DiffOp("insert", "31"),
        DiffOp("equal", "件"),
    ]


def test_char_diff_of_a_rewrite_is_delete_then_insert():
    ops = char_diff("加强行政复议工作", "深化政务公开")
    assert [o.op for o in ops] == ["delete", "insert"]


@given(
    st.text(alphabet="法治政府建设复议公开的。，12", max_size=40),
    st.text(alphabet="法治政府建设复议公开的。，12", max_size=40),
)
def test_char_diff_always_reconstructs(a, b):
    ops = char_diff(a, b)
    assert "".join(o.text for o in ops if o.op != "insert") == a
    assert "".join(o.text for o in ops if o.op != "delete") == b
    assert all(o.text for o in ops)


def test_pairs_within_sections_first_then_new_and_dropped():
    a = [
        ref("一是聘请常年法律顾问，审核合同23件，出具法律意见书5份。"),
        ref("二是加强行政复议工作，办理复议案件3件。"),
        ref("一是继续聘请法律顾问。", "plans", 9),
    ]
    b = [
        ref("一是聘请常年法律顾问，审核合同31件，出具法律意见书5份。"),
        ref("二是深化政务公开，公开信息12049条。"),
        ref("一是继续聘请法律顾问。", "plans", 9),
    ]
    pairs = pair_items(a, b)
    status = [
        (p.status, p.a.text[:4] if p.a else None, p.b.text[:4] if p.b else None) for p in pairs
    ]
    assert status == [
        ("changed", "一是聘请", "一是聘请"),
        ("new", None, "二是深化"),
        ("dropped", "二是加强", None),
        ("unchanged", "一是继续", "一是继续"),
    ]
    changed = pairs[0]
    assert DiffOp("delete", "23") in changed.diff and DiffOp("insert", "31") in changed.diff
    assert pairs[3].diff == [] and pairs[3].score == 1.0


def test_an_item_moved_to_another_section_is_still_found():
    text = "主要负责人带头讲法治课，宣讲习近平法治思想，组织制定学法用法考法工作措施。"
    pairs = align([ref(text, "measures")], [ref(text, "leadership")])
    assert pairs == [(0, 0, 1.0)]
    # but a weak resemblance across sections is not enough
    weak = align(
        [ref("带头讲法治课，组织学法考试", "measures")],
        [ref("带头讲党课，组织政务公开培训", "leadership")],
    )
    assert (0, 0) not in [(i, j) for i, j, _ in weak]


def test_every_item_appears_once():
    a = [ref(f"第{i}项工作：复议案件{i}件，公开信息{i}条。") for i in range(6)]
    b = [ref(f"第{i}项工作：复议案件{i}件，公开信息{i}条。") for i in range(3, 9)]
    out = align(a, b)
    assert sorted(i for i, _, _ in out if i is not None) == list(range(6))
    assert sorted(j for _, j, _ in out if j is not None) == list(range(6))


def test_sentences_are_trimmed_offsets():
    text = "一是学法。 二是考法；三是用法"
    assert [text[s:e] for s, e in sentences(text)] == ["一是学法。", "二是考法；", "三是用法"]
