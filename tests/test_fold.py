from indexer.fold import Folded, fold, merge_spans


def test_fold_nfkc_and_whitespace():
    assert fold("１２３４５ 热线\u3000\r\n（一）") == "12345热线(一)"


def test_folded_spans_map_back_to_original():
    original = "拨打　１２３４５\n热线"
    folded = Folded.of(original)
    [(start, end)] = folded.find_all("12345热线")
    assert original[start:end] == "１２３４５\n热线"


def test_merge_spans():
    assert merge_spans([(5, 8), (0, 2), (1, 3), (8, 9)]) == [(0, 3), (5, 9)]


def test_spans_without_a_map_equal_spans_through_the_map():
    """The shortcut (no whitespace, NFKC char for char) gives the spans the full
    original-offset map gives, on text mixing full-width, ligatures and spaces."""
    import random

    from indexer.fold import Folded

    rng = random.Random(3)
    alphabet = list("法治公职律师，：（）１２ＩＣＰicp") + ["ﬁ", " ", "\u3000", "ｶﾞ", "Ⅻ"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        folded = Folded.of(text)
        if not folded.text:
            continue
        start = rng.randrange(len(folded.text))
        needle = folded.text[start : start + rng.randint(1, 3)]
        for case in (False, True):
            assert Folded.spans_in(text, needle, case) == folded.find_all(needle, case), text
