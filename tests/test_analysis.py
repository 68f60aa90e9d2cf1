from indexer.store.analysis import WordsField, jieba_words, word_analyzer


def test_jieba_tokens_have_ordinal_positions_and_char_offsets():
    text = "区协同办聘用公职律师，落实三重一大制度"
    tokens = [
        (t.text, t.pos, t.startchar, t.endchar)
        for t in word_analyzer()(text, positions=True, chars=True)
    ]
    words = [t[0] for t in tokens]
    assert "公职律师" in words and "三重一大" in words  # the user dictionary keeps them whole
    positions = [t[1] for t in tokens]
    assert positions == list(range(len(tokens)))
    for word, _pos, start, end in tokens:
        assert text[start:end].lower() == word


def test_jieba_drops_punctuation_and_spaces():
    assert [w for w, _, _ in jieba_words("普法，  宣传")] == ["普法", "宣传"]


def test_words_field_indexes_what_the_analyzer_gives():
    """``WordsField.index`` (no token objects) equals Whoosh's analyzer path on every
    seed paragraph: same terms, frequencies, weights and encoded values."""
    from pathlib import Path

    from whoosh.fields import TEXT

    from indexer.ingest.read import corpus_files, read_report_text
    from indexer.ingest.reports import parse_report

    fast, stock = WordsField(), TEXT(analyzer=word_analyzer(), phrase=False)
    corpus = Path(__file__).parent.parent / "corpus"
    texts = ["的的 ICP 和 Ｗｏｒｄ 2021-2025 年", "", "，。"]
    for path in corpus_files(corpus):
        texts += [p.text for p in parse_report(read_report_text(path).text, path.name).paragraphs]
    assert len(texts) > 90
    for text in texts:
        assert sorted(fast.index(text)) == sorted(stock.index(text)), text
