"""Figures: numbers with counters, and matching them across two years."""

from __future__ import annotations

import pytest

from indexer.compare.figures import extract, match
from indexer.fold import fold


@pytest.mark.parametrize(
    ("text", "value", "counter", "shown"),
    [
        ("2022年，共计审核合同23件。", 23, "件", "共计审核合同23件"),
        ("理论学习中心组开展集中学习4次。", 4, "次", "习中心组开展集中学习4次"),
        ("保障行政负责人出庭率100％，", 100, "%", "保障行政负责人出庭率100%"),
        ("今年以来协同各单位公开各类信息12049条，", 12049, "条", "同各单位公开各类信息12049条"),
        ("集聚72万元“消费力”", 720000, "元", "集聚72万元"),
        ("严管重点人员落实居家隔离3400余人，", 3400, "人", "重点人员落实居家隔离3400余人"),
        ("答复满意率９９.５%。", 99.5, "%", "答复满意率99.5%"),
    ],
)
def test_extract(text, value, counter, shown):
    (fig,) = extract(text, 7)
    assert (fig.value, fig.counter, fig.text, fig.paragraph) == (value, counter, shown, 7)
    assert fold(text[fig.start : fig.end]).endswith(fig.counter)
    assert fold(text[fig.start : fig.end])[0].isdigit()


def test_dates_years_and_masked_numbers_are_not_figures():
    text = "2022年4月9日邀请法律专家；召开会议*次；“12·4”国家宪法日；2021—2025年规划"
    assert extract(text) == []


def test_two_figures_in_one_clause_keep_their_own_lead():
    figs = extract("会同工商联组织工信局、金融局等15个部门与150家企业开展座谈")
    assert [(f.value, f.counter) for f in figs] == [(15, "个"), (150, "家")]
    assert not figs[1].text.startswith("15")


def test_match_same_counter_and_similar_context():
    a = extract("2022年，共计审核合同23件，集中学习4次，出庭率100％")
    b = extract("2023年共计审核合同31件。开展集中学习6次；答复满意率100%，出庭率100%")
    rows = [(p.a.text if p.a else None, p.b.text if p.b else None) for p in match(a, b)]
    assert rows == [
        ("共计审核合同23件", "共计审核合同31件"),
        ("集中学习4次", "开展集中学习6次"),
        (None, "答复满意率100%"),
        ("出庭率100%", "出庭率100%"),
    ]
    assert match(a, b)[0].to_dict()["change"] == 8


def test_different_counters_never_match():
    pairs = match(extract("审核合同23件"), extract("审核合同23份"))
    assert [(p.a is None, p.b is None) for p in pairs] == [(True, False), (False, True)]
