"""Quoted phrases equal a substring scan; unquoted words rank jieba words; facets and coverage."""

import random

import pytest

from indexer.errors import QueryError
from indexer.fold import fold
from indexer.model import Filters

DOMAIN_TERMS = [
    "公职律师",
    "法律顾问",
    "三重一大",
    "谁执法谁普法",
    "八五普法",
    "出庭应诉",
    "12345",
    "１２３４５",
    "第一责任人",
    "律师",
    "治政府建设的",
    "法",
    "，",
    "“四个意识”",
    "公职律，师",
    "法治 政府",
]


def scan(idx, phrase: str) -> set[tuple[str, int]]:
    needle = fold(phrase)
    return {
        (r.meta.id, p.number)
        for r in idx.all_reports()
        for p in r.paragraphs
        if needle in fold(p.text)
    }


def found(idx, phrase: str) -> set[tuple[str, int]]:
    result = idx.search(f'"{phrase}"', limit=0)
    assert result.total == len(result.hits)
    return {(h.report, h.paragraph) for h in result.hits}


@pytest.mark.parametrize("phrase", DOMAIN_TERMS)
def test_quoted_domain_terms_equal_substring_scan(seed_index, phrase):
    assert found(seed_index, phrase) == scan(seed_index, phrase)


def test_quoted_random_substrings_equal_substring_scan(seed_index):
    """Substrings of every length at random places, so most cross jieba word boundaries."""
    rng = random.Random(20261123)
    texts = [p.text for r in seed_index.all_reports() for p in r.paragraphs]
    checked = 0
    while checked < 300:
        text = fold(rng.choice(texts))
        length = rng.randint(2, 12)
        if len(text) <= length:
            continue
        start = rng.randrange(len(text) - length)
        phrase = text[start : start + length]
        if '"' in phrase:
            continue
        truth = scan(seed_index, phrase)
        assert truth, phrase
        assert found(seed_index, phrase) == truth, phrase
        checked += 1


def test_punctuation_is_part_of_the_phrase(seed_index):
    assert found(seed_index, "公职律师") and not found(seed_index, "公职律，师")


def test_unquoted_words_are_ranked_and_highlighted(seed_index):
    result = seed_index.search("公职律师", limit=5)
    assert result.total == 3
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    for hit in result.hits:
        assert any(hit.text[s.start : s.end] == "公职律师" for s in hit.highlights)
    assert "公职律师" in result.terms


def test_facets_and_missing_reports(seed_index):
    result = seed_index.search('"公职律师"', limit=0)
    assert result.facets["unit"] == {"区协同办": 2, "南开区合作交流办": 1}
    assert sum(result.facets["section"].values()) == result.total
    assert set(result.missing) == {
        m.id for m in seed_index.reports() if m.unit in ("万兴街", "区政府办公室")
    }


def test_filters_narrow_hits_and_coverage(seed_index):
    result = seed_index.search('"法律顾问"', Filters(year=2023), limit=0)
    assert {h.year for h in result.hits} == {2023}
    assert all(seed_index.report(r).meta.year == 2023 for r in result.missing)
    plans = seed_index.search("普法", Filters(section="plans"), limit=0)
    assert plans.hits and {h.section for h in plans.hits} == {"plans"}


def test_boolean_syntax_and_fields(seed_index):
    both = seed_index.search('"法律顾问" AND "公职律师"', limit=0).total
    either = seed_index.search('"法律顾问" OR "公职律师"', limit=0).total
    only = seed_index.search('"法律顾问" NOT "公职律师"', limit=0).total
    assert both + only == seed_index.search('"法律顾问"', limit=0).total
    assert either >= both
    street = seed_index.search('unit:万兴街 "法律顾问"', limit=0)
    assert street.hits and {h.unit for h in street.hits} == {"万兴街"}


def test_paging_and_sorting(seed_index):
    all_hits = seed_index.search('"法治"', limit=0).hits
    page = seed_index.search('"法治"', limit=5, offset=5).hits
    assert [(h.report, h.paragraph) for h in page] == [
        (h.report, h.paragraph) for h in all_hits[5:10]
    ]
    by_year = [h.year for h in seed_index.search('"法治"', limit=0, sort="year").hits]
    assert by_year == sorted(by_year)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ('"公职律师', "引号"),
        ("(法律顾问", "括号"),
        ("法律顾问)", "括号"),
        ("foo:bar", "未知字段"),
        ("法" * 1001, "过长"),
    ],
)
def test_bad_queries_are_explained(seed_index, query, message):
    with pytest.raises(QueryError, match=message):
        seed_index.search(query)


def test_bad_sort_is_explained(seed_index):
    with pytest.raises(QueryError, match="排序"):
        seed_index.search("普法", sort="random")


SYNTAX = [
    '"',
    "(",
    ")",
    " AND ",
    " OR ",
    " NOT ",
    "unit:",
    "year:",
    "section:",
    "*",
    "?",
    "~",
    "^",
    "[",
    "]",
    "{",
    "}",
    ":",
    "\\",
    "/",
    "-",
    "+",
    "公职律师",
    "法",
    " ",
    "，",
    "TO",
]


def test_any_query_string_gives_a_result_or_an_explanation(seed_index):
    """Whatever a user types, the API answers or raises QueryError — never anything else."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.sampled_from(SYNTAX), max_size=8).map("".join))
    def check(query):
        try:
            result = seed_index.search(query, limit=3)
        except QueryError as exc:
            assert str(exc)
        else:
            assert result.total >= len(result.hits)

    check()


def test_handles_sharing_a_cache_share_a_generation_until_it_changes(tmp_path):
    import shutil
    from pathlib import Path

    from indexer.build import build_index
    from indexer.query import IndexCache, open_index

    corpus = tmp_path / "c"
    shutil.copytree(Path(__file__).parent.parent / "corpus", corpus)
    build_index(corpus, tmp_path / "i")
    cache = IndexCache()
    with open_index(tmp_path / "i", cache) as first, open_index(tmp_path / "i", cache) as second:
        assert first.data is second.data
        assert first.report(first.reports()[0].id) is second.report(second.reports()[0].id)
        assert first.search('"公职律师"').total == second.search('"公职律师"').total == 3
    (corpus / "万兴街-2022.txt").unlink()
    build_index(corpus, tmp_path / "i")
    with open_index(tmp_path / "i", cache) as third:
        assert third.data is not first.data
        assert len(third.reports()) == 4
