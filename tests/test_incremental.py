"""Incremental updates: only the changed report is written; disk is not doubled."""

import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.query import open_index
from indexer.store import catalog, reuse_rows

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


PROBES = ['"公职律师"', '"法律顾问"', "普法", '"行政复议"', "合同", '"依法行政"']


def _segments(gen: Path) -> dict[str, int]:
    """Segment id → documents written into it, for the generation's store."""
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(gen / "store"))
    try:
        return {s.segment_id(): s.doc_count_all() for s in ix._segments()}
    finally:
        ix.close()


def _answers(index: Path) -> dict[str, set[tuple[str, int]]]:
    with open_index(index) as idx:
        return {q: {(h.report, h.paragraph) for h in idx.search(q, limit=0).hits} for q in PROBES}


def test_an_edit_writes_only_the_edited_reports_paragraphs(corpus, tmp_path):
    index = tmp_path / "idx"
    build_index(corpus, index)
    first = catalog.current_generation(index)
    before = _answers(index)
    _edit(corpus / "万兴街-2022.txt", "新增段落：聘请公职律师一名，开展普法活动。")
    summary = build_index(corpus, index)
    assert summary.updated == ["南开区-万兴街-2022"] and summary.unchanged == 4
    second = catalog.current_generation(index)
    old, new = _segments(first), _segments(second)
    written = {sid: n for sid, n in new.items() if sid not in old}
    with open_index(index) as idx:
        edited = idx.report("南开区-万兴街-2022")
        total = sum(m.paragraphs for m in idx.reports())
    # the new segment holds exactly the edited report's paragraphs, nothing else
    assert sum(written.values()) == len(edited.paragraphs) < total
    assert set(old) <= set(new)  # the other segments are carried over, not rewritten
    after = _answers(index)
    for q in PROBES:
        assert {h for h in before[q] if h[0] != edited.meta.id} == {
            h for h in after[q] if h[0] != edited.meta.id
        }, q
    new_paragraph = len(edited.paragraphs)
    assert (edited.meta.id, new_paragraph) in after['"公职律师"']
    assert (edited.meta.id, new_paragraph) not in before['"公职律师"']


def test_a_touched_file_writes_nothing(corpus, tmp_path):
    index = tmp_path / "idx"
    build_index(corpus, index)
    first = catalog.current_generation(index)
    path = corpus / "区协同办-2022.txt"
    path.write_bytes(path.read_bytes())  # new mtime, same bytes
    summary = build_index(corpus, index)
    assert summary.unchanged == 5 and not (summary.added or summary.updated or summary.removed)
    assert summary.paragraphs == sum(m.paragraphs for m in open_index(index).reports())
    assert catalog.current_generation(index) == first


def _reuse_by_text(index: Path) -> dict:
    """Spans as (start, end, passage text, kind) per report and paragraph: numbering-free."""
    gen = catalog.current_generation(index)
    reuse = reuse_rows.read_whole(gen)
    texts = [p["text"] for p in reuse["passages"]]
    with open_index(index) as idx:
        file_of = {m.id: m.file for m in idx.reports()}  # ids may differ between indexes
    return {
        file_of[rid]: {
            n: sorted((s, e, texts[p], k) for s, e, p, k in rows) for n, rows in paras.items()
        }
        for rid, paras in reuse["spans"].items()
    }


def test_reuse_after_an_edit_is_what_a_full_build_finds(corpus, tmp_path):
    index = tmp_path / "idx"
    build_index(corpus, index)
    # the edited report now copies a passage only one other report had: that report is a
    # neighbour whose spans change although its file did not
    source = (corpus / "区协同办-2022.txt").read_text(encoding="utf-8").splitlines()
    borrowed = max((line for line in source if len(line) > 60), key=len)
    _edit(corpus / "万兴街-2022.txt", borrowed)
    build_index(corpus, index)
    incremental = _reuse_by_text(index)
    fresh = tmp_path / "fresh"
    build_index(corpus, fresh)
    assert incremental == _reuse_by_text(fresh)
    with open_index(index) as idx:
        street = idx.report("南开区-万兴街-2022")
    last = str(street.paragraphs[-1].number)
    assert incremental["万兴街-2022.txt"][last]  # the borrowed paragraph is marked
    assert (catalog.current_generation(index) / "reuse-windows" / "keys.npy").is_file()
