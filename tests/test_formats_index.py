"""``fazhi index`` on a folder of every format: per-format counts and named skips."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from format_samples import (
    CHROMIUM,
    CHROMIUM_ARGS,
    gov_page,
    print_html,
    print_pdf,
    scan_pdf,
    seed_lines,
    split_title,
    write_docx,
)
from word97 import word97

from indexer.cli import main


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """One seed report per format, plus files that cannot be read, in one corpus."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (apt install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    folder = tmp_path_factory.mktemp("mixed")
    shutil.copy(os.path.join(os.path.dirname(__file__), "..", "corpus", "万兴街-2022.txt"), folder)
    text = "\n".join(seed_lines("区政府办公室-2022.txt"))
    (folder / "utf16.txt").write_bytes(text.encode("utf-16"))
    title, body = split_title("区协同办-2022.txt")
    (folder / "page.htm").write_bytes(gov_page(title, body, "zoom", "gb2312"))
    write_docx(folder / "report.docx", seed_lines("南开区合作交流办-2023.txt"))
    (folder / "old.doc").write_bytes(word97("\n".join(seed_lines("区政府办公室-2023.txt"))))
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = print_html("区司法局2022年法治政府建设年度报告", body)
        (folder / "printed.pdf").write_bytes(print_pdf(browser, page))
        (folder / "scan.pdf").write_bytes(scan_pdf(browser, page))
        browser.close()
    (folder / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (folder / "photo.txt").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    (folder / os.fsdecode(b"bad\xff\xfename.txt")).write_text(text + "\n", encoding="gbk")
    return folder


def test_index_prints_counts_per_format_and_every_skip(mixed, tmp_path, runner):
    result = runner.invoke(main, ["index", str(mixed), "--index", str(tmp_path / "idx")])
    assert result.exit_code == 0, result.output
    assert "indexed files by format: 1 doc, 1 docx, 1 html, 1 pdf, 3 txt" in result.stdout
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped ")]
    assert sorted(skipped)[:2] == [
        "skipped broken.docx: a damaged ZIP/.docx file",
        "skipped photo.txt: an image, not a text report — needs OCR",
    ]
    assert sorted(skipped)[2].startswith("skipped scan.pdf: no text layer — needs OCR")
    assert len(skipped) == 3


def test_index_json_has_the_same_counts(mixed, tmp_path, runner):
    result = runner.invoke(main, ["index", str(mixed), "--index", str(tmp_path / "i"), "--json"])
    summary = json.loads(result.stdout)
    assert summary["formats"] == {"doc": 1, "docx": 1, "html": 1, "pdf": 1, "txt": 3}
    assert {s["file"] for s in summary["skipped"]} == {"broken.docx", "photo.txt", "scan.pdf"}
    again = runner.invoke(main, ["index", str(mixed), "--index", str(tmp_path / "i"), "--json"])
    assert json.loads(again.stdout)["formats"] == summary["formats"]  # from the catalog
    reports = json.loads(
        runner.invoke(main, ["reports", "--index", str(tmp_path / "i"), "--json"]).stdout
    )
    assert "bad\\xff\\xfename.txt" in {r["file"] for r in reports}
