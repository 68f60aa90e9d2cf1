from indexer.store.analysis import END_MARK, BigramTokenizer, bigrams, jieba_words, word_analyzer


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


def test_bigrams_keep_punctuation_and_end_mark():
    assert bigrams("律师，好") == ["律师", "师，", "，好", "好" + END_MARK]
    tokens = [(t.text, t.pos) for t in BigramTokenizer()("１２ 3", positions=True)]
    assert tokens == [("12", 0), ("23", 1), ("3" + END_MARK, 2)]
