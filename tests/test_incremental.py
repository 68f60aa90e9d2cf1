"""Incremental updates: only the changed report is written; disk is not doubled."""

import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.query import open_index
from indexer.store import catalog

CORPUS = Path(__file__).parent.parent / "corpus"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


def _edit(path: Path, extra: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{extra}\n", "utf-8")


def test_a_new_generation_shares_unchanged_files_with_the_previous_one(corpus, tmp_path):
    index = tmp_path / "idx"
    build_index(corpus, index)
    first = catalog.current_generation(index)
    before = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    _edit(corpus / "万兴街-2022.txt", "新增段落：聘请公职律师一名。")
    build_index(corpus, index)
    second = catalog.current_generation(index)
    assert second != first
    shared = [
        p
        for p in second.rglob("*")
        if p.is_file()
        and (first / p.relative_to(second)).exists()
        and p.stat().st_ino == (first / p.relative_to(second)).stat().st_ino
    ]
    assert any(p.parent.name == "reports" for p in shared)  # unchanged reports: linked
    assert any(p.parent.name == "store" for p in shared)  # unchanged segments: linked
    # the previous generation is untouched byte for byte, so a reader on it stays right
    after = {p.relative_to(first): p.read_bytes() for p in first.rglob("*") if p.is_file()}
    assert {k: v for k, v in after.items() if k in before} == before
    with open_index(index) as idx:
        assert idx.search('"新增段落"', limit=0).total == 1
