"""Word .docx reports read through python-docx, against the .txt of the same report."""

from __future__ import annotations

import pytest
from format_samples import SEEDS, indexed, seed_lines, seed_text, write_docx

from indexer.ingest.read import UnreadableFile, read_report, sniff


@pytest.mark.parametrize("seed", SEEDS)
def test_docx_indexes_like_the_txt(seed, tmp_path):
    path = write_docx(tmp_path / "report.docx", seed_lines(seed))
    extracted = read_report(path)
    assert extracted.format == "docx"
    assert indexed(extracted.text) == indexed(seed_text(seed))


def test_header_footer_and_page_numbers_are_dropped(tmp_path):
    lines = seed_lines("区政府办公室-2023.txt")
    text = read_report(write_docx(tmp_path / "r.docx", lines)).text
    assert "区政府办公室文件" not in text
    assert "- 1 -" not in text and "-" not in text.splitlines()
    assert text.splitlines() == lines


def test_table_rows_become_tab_joined_paragraphs_in_place(tmp_path):
    lines = seed_lines("区协同办-2022.txt")
    table = [["项目", "2021年", "2022年"], ["行政复议案件", "12", "9"], ["行政应诉案件", "5", "3"]]
    out = read_report(write_docx(tmp_path / "t.docx", lines, table)).text.splitlines()
    middle = len(lines) // 2
    assert out[: middle + 1] == lines[: middle + 1]
    assert out[middle + 1 : middle + 4] == ["\t".join(row) for row in table]
    assert out[middle + 4 :] == lines[middle + 1 :]


def test_merged_cells_are_read_once(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("区司法局2022年法治政府建设年度报告")
    grid = document.add_table(rows=2, cols=3)
    grid.cell(0, 0).merge(grid.cell(0, 2)).text = "行政执法情况统计"
    for c, value in enumerate(["类别", "件数", "同比"]):
        grid.cell(1, c).text = value
    document.save(tmp_path / "m.docx")
    lines = read_report(tmp_path / "m.docx").text.splitlines()
    assert lines[1:] == ["行政执法情况统计", "类别\t件数\t同比"]


def test_content_decides_not_the_extension(tmp_path):
    """A .docx saved as .doc (or with no extension) is still read as .docx."""
    lines = seed_lines("万兴街-2022.txt")
    data = write_docx(tmp_path / "a.docx", lines).read_bytes()
    for name in ("saved-as.doc", "download"):
        (tmp_path / name).write_bytes(data)
        extracted = read_report(tmp_path / name)
        assert extracted.format == "docx" and extracted.text.splitlines() == lines


def test_zip_that_is_not_a_docx_is_refused_by_reason(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "x.docx", "w") as z:
        z.writestr("content.xml", "<a/>")
    with pytest.raises(UnreadableFile, match="ZIP archive that is not a Word"):
        sniff((tmp_path / "x.docx").read_bytes())
