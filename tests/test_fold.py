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
