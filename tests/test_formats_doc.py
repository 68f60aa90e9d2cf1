"""Word 97 (.doc) and WPS reports: the piece table first, Debian's catdoc as fallback."""

from __future__ import annotations

import shutil

import pytest
from format_samples import SEEDS, indexed, seed_lines, seed_text
from word97 import word97

from indexer.ingest.formats import doc
from indexer.ingest.formats import word97 as reader
from indexer.ingest.read import UnreadableFile, read_report, sniff

needs_catdoc = pytest.mark.skipif(
    shutil.which("catdoc") is None, reason="catdoc is not installed (apt install catdoc)"
)
PAGE_FIELD = "\x13 PAGE \x143\x15"  # a PAGE field: code " PAGE ", shown result "3"


def test_written_file_is_word97():
    data = word97("区司法局2022年法治政府建设年度报告\n")
    assert data.startswith(bytes.fromhex("d0cf11e0a1b11ae1"))
    assert sniff(data, ".doc") == "doc"


@pytest.mark.parametrize("seed", SEEDS)
def test_doc_indexes_like_the_txt(seed, tmp_path):
    path = tmp_path / "report.doc"
    path.write_bytes(
        word97("\n".join(seed_lines(seed)), header=f"区政府办公室文件\n- {PAGE_FIELD} -")
    )
    extracted = read_report(path)
    assert extracted.format == "doc"
    assert extracted.text.splitlines() == seed_lines(seed)  # no header, no page number
    assert indexed(extracted.text) == indexed(seed_text(seed))


def test_fields_keep_their_result_and_tables_their_rows():
    text = (
        '区司法局2022年法治政府建设年度报告\n详见\x13 HYPERLINK "http://x.gov.cn" \x14门户网站\x15。\n'
        "项目\x072021年\x072022年\x07\x07行政复议\x0712\x079\x07\x07"
    )
    assert reader.main_text(word97(text)).splitlines() == [
        "区司法局2022年法治政府建设年度报告",
        "详见门户网站。",
        "项目\t2021年\t2022年",
        "行政复议\t12\t9",
    ]


@needs_catdoc
def test_catdoc_garbles_pure_chinese_blocks_so_its_output_is_checked(tmp_path):
    """Why the piece table comes first: catdoc guesses UTF-16 per 256-byte block."""
    import subprocess

    lines = seed_lines("区协同办-2022.txt")
    (tmp_path / "r.doc").write_bytes(word97("\n".join(lines)))
    out = subprocess.run(
        ["catdoc", "-d", "utf-8", "-w", str(tmp_path / "r.doc")], capture_output=True, check=True
    ).stdout.decode("utf-8", "replace")
    assert out.splitlines()[:2] == lines[:2]
    assert out.splitlines() != lines and not doc.plausible(doc._clean(out))


@needs_catdoc
def test_word6_goes_to_catdoc(tmp_path):
    """A file the piece-table reader refuses (here: marked Word 6) is read by catdoc."""
    lines = [
        "区司法局2022年法治政府建设年度报告",
        "2022年，区司法局认真落实公职律师制度，达到 100%。",
    ]
    (tmp_path / "old.doc").write_bytes(word97("\n".join(lines), nfib=0x0065))
    with pytest.raises(reader.NotWord97, match="before Word 97"):
        reader.main_text((tmp_path / "old.doc").read_bytes())
    extracted = read_report(tmp_path / "old.doc")
    assert extracted.text.splitlines() == lines and extracted.encoding == "via catdoc"


def test_wps_is_read_like_a_doc(tmp_path):
    lines = seed_lines("区协同办-2022.txt")
    (tmp_path / "report.wps").write_bytes(word97("\n".join(lines)))
    extracted = read_report(tmp_path / "report.wps")
    assert extracted.format == "doc" and extracted.text.splitlines() == lines


def test_no_reader_installed_names_the_install_command(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty PATH: no catdoc, antiword, soffice
    assert doc.available() == []
    with pytest.raises(
        UnreadableFile, match="no other reader is installed: apt-get install catdoc"
    ):
        doc.extract(word97("区司法局2022年法治政府建设年度报告\n", nfib=0x0065))


@needs_catdoc
def test_damaged_doc_says_what_each_reader_did():
    data = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600
    with pytest.raises(UnreadableFile, match="none of the readers could read: piece table"):
        doc.extract(data)
