"""rjieba must cut as jieba 0.42.1 does with the user dictionary (see store/segment.py)."""

import logging
import unicodedata
from importlib import resources
from pathlib import Path

import jieba
import pytest

from indexer.ingest.read import corpus_files, read_report_text
from indexer.ingest.reports import parse_report
from indexer.store.segment import jieba_compatible, tokenizer

SEEDS = Path(__file__).resolve().parents[1] / "corpus"
# Runs where jieba-rs alone differs from jieba (the accepted, undone difference) and
# other mixed runs that must stay the same.
MIXED = [
    "2021-2025年公职律师工作",
    "1.5%-2%的增幅",
    "电话022-12345678",
    "GDP增长6.5%，COVID-19防控",
    "12345热线",
    "7×24小时",
    "3.5亿元",
    "N95口罩和5G基站",
    "第1.2.3条",
    "www.gov.cn网站",
    "ISO9001认证",
    "2022.3.15",
]


@pytest.fixture(scope="module")
def reference():
    """jieba 0.42.1 exactly as the user dictionary is meant to be loaded."""
    jieba.setLogLevel(logging.WARNING)
    cutter = jieba.Tokenizer()
    words = resources.files("indexer").joinpath("data/userdict.txt")
    with resources.as_file(words) as path, open(path, "rb") as handle:
        cutter.load_userdict(handle)
    return lambda text: list(cutter.tokenize(text))


def seed_paragraphs() -> list[str]:
    texts = []
    for path in corpus_files(SEEDS):
        report = parse_report(read_report_text(path).text, path.name, {})
        texts.extend(unicodedata.normalize("NFKC", p.text) for p in report.paragraphs)
    return texts


def test_rjieba_cuts_the_seeds_as_jieba_does(reference):
    pytest.importorskip("rjieba")
    fast = tokenizer("rjieba")
    paragraphs = seed_paragraphs()
    assert len(paragraphs) > 50
    differing = [p for p in paragraphs if fast(p) != reference(p)]
    assert differing == []


@pytest.mark.parametrize("text", MIXED)
def test_rjieba_splits_non_chinese_runs_as_jieba_does(reference, text):
    pytest.importorskip("rjieba")
    assert tokenizer("rjieba")(text) == reference(text)


def test_the_documented_difference_is_real_and_undone():
    rjieba = pytest.importorskip("rjieba")
    raw = rjieba.Jieba().tokenize("2021-2025年")
    assert raw[0] == ("2021-2025", 0, 9)  # jieba-rs keeps the run whole …
    fixed = jieba_compatible(raw)
    assert fixed[:3] == [("2021", 0, 4), ("-", 4, 5), ("2025", 5, 9)]  # … jieba does not


def test_jieba_fallback_matches_reference(reference):
    slow = tokenizer("jieba")
    for text in seed_paragraphs()[:30] + MIXED:
        assert slow(text) == reference(text)


def test_search_mode_is_jiebas_lcut_for_search():
    """``search_words`` (what promise tracing reads a delivery with) equals jieba's search
    mode with the user dictionary, on every seed paragraph and the mixed runs."""
    pytest.importorskip("rjieba")
    from indexer.store.segment import search_words

    jieba.setLogLevel(logging.WARNING)
    cutter = jieba.Tokenizer()
    words = resources.files("indexer").joinpath("data/userdict.txt")
    with resources.as_file(words) as path, open(path, "rb") as handle:
        cutter.load_userdict(handle)
    texts = seed_paragraphs() + MIXED
    assert len(texts) > 100
    for text in texts:
        assert search_words(text, "rjieba") == cutter.lcut_for_search(text), text
        assert search_words(text, "jieba") == cutter.lcut_for_search(text), text
