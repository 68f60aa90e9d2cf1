"""Bare words find every paragraph that contains them, whatever jieba does; 未提及 is true."""

import random

import pytest

from indexer.fold import ascii_lower, fold
from indexer.store.analysis import jieba_words
from indexer.store.bare import split_bare

# The everyday terms, and more that reports use inside longer dictionary words.
EVERYDAY = [
    "法律顾问",
    "法治政府",
    "出庭应诉",
    "宪法日",
    "信访",
    "信息公开",
    "普法",
    "律师事务所",
    "微信公众号",
    "公职律师",
    "行政复议",
    "行政诉讼",
    "依法行政",
    "合法性审核",
    "规范性文件",
    "重大行政决策",
    "法治宣传",
    "民法典",
    "习近平法治思想",
    "第一责任人",
    "述法",
    "学法",
    "执法",
    "政务公开",
    "矛盾纠纷",
    "调解",
    "疫情防控",
    "营商环境",
    "政府建设",
    "顾问",
    "复议",
    "应诉",
    "宪法",
    "法治",
    "建设",
    "律师",
    "培训",
    "考核",
    "12345",
    "三重一大",
]


def paragraphs(idx):
    return [(r.meta.id, p.number, fold(p.text)) for r in idx.all_reports() for p in r.paragraphs]


@pytest.fixture(scope="module")
def corpus_paragraphs(built_index):
    from indexer.query import open_index

    with open_index(built_index) as idx:
        return paragraphs(idx)


def scan(corpus, word: str) -> set[tuple[str, int]]:
    needle = ascii_lower(fold(word))
    return {(r, n) for r, n, text in corpus if needle in ascii_lower(text)}


def check_word(idx, corpus, word: str) -> None:
    result = idx.search(word, limit=0)
    got = {(h.report, h.paragraph) for h in result.hits}
    truth = scan(corpus, word)
    assert got >= truth, (word, sorted(truth - got))
    assert got == truth, (word, sorted(got - truth))  # and nothing that does not hold it
    holders = {r for r, _ in truth}
    assert not holders & set(result.missing), (word, holders & set(result.missing))
    assert set(result.missing) == {m.id for m in idx.reports()} - holders


@pytest.mark.parametrize("word", EVERYDAY)
def test_everyday_terms_find_every_paragraph_that_holds_them(seed_index, corpus_paragraphs, word):
    assert scan(corpus_paragraphs, word), word  # the term does occur in the seeds
    check_word(seed_index, corpus_paragraphs, word)


def test_every_seed_word_of_two_to_six_characters(seed_index, corpus_paragraphs):
    """Every jieba word of 2–6 characters in the seeds, typed bare, finds its paragraphs."""
    words = {
        w
        for r in seed_index.all_reports()
        for p in r.paragraphs
        for w, _, _ in jieba_words(p.text)
        if 2 <= len(w) <= 6 and split_bare(w) == [fold(w)]
    }
    assert len(words) > 400
    for word in sorted(words):
        check_word(seed_index, corpus_paragraphs, word)


def test_random_substrings_typed_bare_have_full_recall(seed_index, corpus_paragraphs):
    """2–6 characters at random places: across jieba word boundaries, inside compounds
    (常年法律顾问, 法治政府建设), with punctuation — recall against a scan is 1."""
    rng = random.Random(8)
    texts = [t for _, _, t in corpus_paragraphs if len(t) > 6]
    checked = 0
    while checked < 400:
        text = rng.choice(texts)
        length = rng.randint(2, 6)
        start = rng.randrange(len(text) - length)
        word = text[start : start + length]
        if any(ch in word for ch in '"()\\') or ":" in word:
            continue  # query syntax, not a word
        got = {(h.report, h.paragraph) for h in seed_index.search(word, limit=0).hits}
        truth = scan(corpus_paragraphs, word)
        assert truth and got >= truth, (word, sorted(truth - got))
        checked += 1


def test_a_word_inside_a_dictionary_compound_is_found(seed_index):
    """万兴街 says 常年法律顾问, a single jieba word: it is a hit and not 未提及."""
    result = seed_index.search("法律顾问", limit=0)
    street = [h for h in result.hits if h.unit == "万兴街"]
    assert street and "常年法律顾问" in street[0].text
    assert {seed_index.report(r).meta.unit for r in result.missing} == {"区政府办公室"}
    assert all(seed_index.report(r).meta.year == 2023 for r in result.missing)


def test_jieba_word_holders_rank_above_substring_only_holders(seed_index):
    result = seed_index.search("法律顾问", limit=0)
    as_word = [any(w == "法律顾问" for w, _, _ in jieba_words(h.text)) for h in result.hits]
    assert True in as_word and False in as_word
    first_inside = as_word.index(False)
    assert all(as_word[:first_inside]) and not any(as_word[first_inside:])
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0


def test_a_heading_ranks_first_among_substring_only_holders(seed_index):
    """Without the jieba word, BM25 over the substring still ranks: the short heading
    （二）健全完善法律顾问… comes before the long paragraphs that say 常年法律顾问 etc."""
    result = seed_index.search("顾问", limit=0)
    inside = [h for h in result.hits if "顾问" not in [w for w, _, _ in jieba_words(h.text)]]
    assert len(inside) >= 3
    assert len(inside[0].text) == min(len(h.text) for h in inside)
    assert inside[0].paragraph in {
        p.number for p in seed_index.report(inside[0].report).paragraphs if p.kind == "heading"
    }


def test_highlights_mark_every_occurrence_inside_longer_words(seed_index):
    result = seed_index.search("法律顾问", limit=0)
    for hit in result.hits:
        marked = [hit.text[s.start : s.end] for s in hit.highlights]
        assert marked.count("法律顾问") == hit.text.count("法律顾问"), hit.text


def test_several_bare_words_are_and_and_or_not_work(seed_index, corpus_paragraphs):
    both = {(h.report, h.paragraph) for h in seed_index.search("法律顾问 公职律师", limit=0).hits}
    assert both == scan(corpus_paragraphs, "法律顾问") & scan(corpus_paragraphs, "公职律师")
    either = {
        (h.report, h.paragraph) for h in seed_index.search("法律顾问 OR 公职律师", limit=0).hits
    }
    assert either == scan(corpus_paragraphs, "法律顾问") | scan(corpus_paragraphs, "公职律师")
    without = {
        (h.report, h.paragraph) for h in seed_index.search("法律顾问 NOT 常年", limit=0).hits
    }
    assert without == scan(corpus_paragraphs, "法律顾问") - scan(corpus_paragraphs, "常年")
    street = seed_index.search("unit:万兴街 法律顾问", limit=0)
    assert street.hits and {h.unit for h in street.hits} == {"万兴街"}


def test_punctuation_separates_bare_words(seed_index, corpus_paragraphs):
    listed = {
        (h.report, h.paragraph) for h in seed_index.search("法律顾问、公职律师", limit=0).hits
    }
    assert listed == scan(corpus_paragraphs, "法律顾问") & scan(corpus_paragraphs, "公职律师")
    assert split_bare("COVID-19，12.5%") == ["COVID-19", "12.5%"]
    assert split_bare("，。") == [fold("，。")]


def test_quoted_phrases_are_unchanged(seed_index, corpus_paragraphs):
    quoted = {(h.report, h.paragraph) for h in seed_index.search('"法律顾问"', limit=0).hits}
    assert quoted == scan(corpus_paragraphs, "法律顾问")
    assert not {(h.report, h.paragraph) for h in seed_index.search('"顾问法"', limit=0).hits}


LATIN = """\
东丽区某局2022年法治政府建设年度报告

一、主要举措和成效
完成网站ICP备案，开通政务App，畅通１２３４５热线，办理工单12345件。
二、存在的不足和原因
学习不够深入。

东丽区某局
2023年1月10日
"""


def test_latin_and_digit_words_ignore_ascii_case_and_width(tmp_path):
    from indexer.build import build_index
    from indexer.query import open_index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(LATIN, encoding="utf-8")
    build_index(corpus, tmp_path / "index")
    with open_index(tmp_path / "index") as idx:
        for word in ("ICP", "icp", "Icp", "app", "APP", "12345", "１２３４５", "CP备", "p备案"):
            result = idx.search(word, limit=0)
            assert result.total == 1, word
            (hit,) = result.hits
            marked = [hit.text[s.start : s.end] for s in hit.highlights]
            assert marked and all(ascii_lower(fold(m)) == ascii_lower(fold(word)) for m in marked)
        assert len(idx.search("12345", limit=1).hits[0].highlights) == 2  # full and half width
        assert idx.search('"icp"', limit=0).total == 0  # a quoted phrase stays exact
        assert idx.search("icq", limit=0).total == 0
