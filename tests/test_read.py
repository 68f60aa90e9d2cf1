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
