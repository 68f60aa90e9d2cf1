from pathlib import Path

import pytest

from indexer.ingest.read import UnreadableFile, corpus_files, decode_bytes, read_report_text

TEXT = "区司法局2022年法治政府建设年度报告\n2022年，区司法局认真落实公职律师制度。\n"


def test_utf8_with_and_without_bom():
    assert decode_bytes(TEXT.encode("utf-8")).text == TEXT
    decoded = decode_bytes(b"\xef\xbb\xbf" + TEXT.encode("utf-8"))
    assert decoded.text == TEXT and decoded.encoding == "utf-8"


def test_gbk_and_gb18030():
    decoded = decode_bytes(TEXT.encode("gbk"))
    assert decoded.text == TEXT
    assert decoded.encoding == "gb18030"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"hello world, no report here", "no Chinese"),
    ],
)
def test_unreadable_inputs_say_why(data, reason):
    with pytest.raises(UnreadableFile, match=reason):
        decode_bytes(data)


def test_missing_file_is_unreadable(tmp_path: Path):
    with pytest.raises(UnreadableFile, match="cannot read"):
        read_report_text(tmp_path / "nope.txt")


def test_corpus_files_only_reports(tmp_path: Path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.TXT").write_text(TEXT, encoding="utf-8")
    (tmp_path / "reports.toml").write_text("", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    assert [p.name for p in corpus_files(tmp_path)] == ["a.txt", "b.TXT"]


# --- issue 10: encodings and file names -------------------------------------------

SEED = Path(__file__).parent.parent / "corpus" / "区政府办公室-2023.txt"
TRADITIONAL = """臺北市政府法務局2022年法治政府建設年度報告
2022年，本局認真貫徹依法行政要求，全面推進法治政府建設，現將有關情況報告如下：
一、主要舉措和成效
（一）健全法律顧問和公職律師制度。本局聘請法律顧問三名，辦理行政復議案件十二件。
二、存在的不足和原因
部分工作人員法治意識有待提高。
"""


@pytest.mark.parametrize(
    ("codec", "name"),
    [
        ("utf-16", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("utf-32", "utf-32-le"),
        ("utf-32-be", "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom_are_text(codec, name):
    text = SEED.read_text(encoding="utf-8")
    data = text.encode(codec)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        data = ("\ufeff" + text).encode(codec)  # the -be codecs write no BOM by themselves
    decoded = decode_bytes(data)
    assert decoded.text == text
    assert decoded.encoding == name


def test_utf16_without_bom_is_recognised():
    decoded = decode_bytes(TEXT.encode("utf-16-le"))
    assert decoded.text == TEXT and decoded.encoding == "utf-16-le"


def test_big5_is_decoded_not_read_as_gb18030_mojibake():
    data = TRADITIONAL.encode("big5")
    data.decode("gb18030")  # the trap: Big5 bytes are valid GB18030, as mojibake
    decoded = decode_bytes(data)
    assert decoded.encoding == "big5"
    assert decoded.text == TRADITIONAL


def test_gbk_seed_stays_gb18030():
    decoded = decode_bytes(SEED.read_text(encoding="utf-8").encode("gbk"))
    assert decoded.encoding == "gb18030"


def test_garbage_that_decodes_is_refused():
    import random

    rng = random.Random(7)
    data = bytes(rng.choice(range(0x81, 0xFE)) for _ in range(4000))
    with pytest.raises(UnreadableFile, match="garbled|no other encoding"):
        decode_bytes(data)


def test_file_name_that_is_not_utf8_is_indexed(tmp_path: Path):
    import os

    from indexer.build import build_index
    from indexer.query import open_index

    corpus = tmp_path / "c"
    corpus.mkdir()
    bad = corpus / os.fsdecode(b"bad\xff\xfename.txt")
    bad.write_bytes(SEED.read_bytes())
    (corpus / "ok.txt").write_text(TEXT, encoding="utf-8")
    summary = build_index(corpus, tmp_path / "idx")
    assert summary.reports == 2 and not summary.skipped
    with open_index(tmp_path / "idx") as idx:
        files = sorted(m.file for m in idx.reports())
    assert files == ["bad\\xff\\xfename.txt", "ok.txt"]
    again = build_index(corpus, tmp_path / "idx")
    assert again.unchanged == 2 and not again.added
