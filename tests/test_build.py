"""Incremental builds, unreadable files, manifest overrides and interrupted builds."""

import shutil
from pathlib import Path

import pytest

from indexer.build import ManifestError, build_index
from indexer.query import IndexMissing, open_index

CORPUS = Path(__file__).parent.parent / "corpus"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


def test_unreadable_files_are_reported_and_the_rest_indexed(corpus, tmp_path):
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "image.txt").write_bytes(b"\x89PNG\x00\x00binary")
    gbk = "区司法局2022年法治政府建设年度报告\n2022年，区司法局积极推进公职律师工作。\n"
    (corpus / "gbk.txt").write_bytes(gbk.encode("gbk"))
    summary = build_index(corpus, tmp_path / "idx")
    assert dict(summary.skipped) == {
        "empty.txt": "empty file",
        "image.txt": "an image, not a text report — needs OCR",
    }
    assert summary.reports == 6
    with open_index(tmp_path / "idx") as idx:
        units = {h.unit for h in idx.search('"公职律师"', limit=0).hits}
        assert "区司法局" in units


def test_incremental_update_after_edit_and_removal(corpus, tmp_path):
    index = tmp_path / "idx"
    first = build_index(corpus, index)
    assert len(first.added) == 5
    again = build_index(corpus, index)
    assert (again.added, again.updated, again.removed, again.unchanged) == ([], [], [], 5)

    street = corpus / "万兴街-2022.txt"
    street.write_text(
        street.read_text(encoding="utf-8") + "\n新增段落：聘请公职律师一名。\n", "utf-8"
    )
    (corpus / "区协同办-2022.txt").unlink()
    summary = build_index(corpus, index)
    assert summary.updated == ["南开区-万兴街-2022"]
    assert summary.removed == ["西青区-区协同办-2022"]
    assert summary.unchanged == 3
    with open_index(index) as idx:
        hits = idx.search('"公职律师"', limit=0).hits
        units = {h.unit for h in hits}
        assert "万兴街" in units and "区协同办" not in units
        assert len(idx.reports()) == 4
        assert idx.search('"新增段落"', limit=0).total == 1


def test_interrupted_build_leaves_previous_index_usable(corpus, tmp_path):
    index = tmp_path / "idx"
    build_index(corpus, index)
    (corpus / "万兴街-2022.txt").write_text("2022年，万兴街新增法治工作。\n", encoding="utf-8")

    def interrupt(done, total, name):
        if name.startswith("indexing"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index(corpus, index, progress=interrupt)
    with open_index(index) as idx:
        assert idx.search('"新增法治工作"', limit=0).total == 0
        assert idx.search('"法律顾问"', limit=0).total > 0
    assert len(list(index.glob("gen-*"))) == 1


def test_manifest_overrides_metadata(corpus, tmp_path):
    (corpus / "reports.toml").write_text(
        '["区政府办公室-2022.txt"]\ndistrict = "东丽区"\n', encoding="utf-8"
    )
    build_index(corpus, tmp_path / "idx")
    with open_index(tmp_path / "idx") as idx:
        office = [m for m in idx.reports() if m.unit == "区政府办公室"]
        assert {m.district for m in office} == {"东丽区"}


def test_bad_manifest_is_named(corpus, tmp_path):
    (corpus / "reports.toml").write_text("[unclosed", encoding="utf-8")
    with pytest.raises(ManifestError, match="reports.toml"):
        build_index(corpus, tmp_path / "idx")


def test_missing_index_has_a_hint(tmp_path):
    with pytest.raises(IndexMissing, match="fazhi index"):
        open_index(tmp_path / "nothing")


def test_task_counts_are_made_at_build_time_with_the_corpus_taxonomy(corpus, tmp_path):
    from indexer.compare import task_matrix

    (corpus / "tasks.toml").write_text(
        '[[task]]\nid = "lawyers"\nlabel = "公职律师"\nkeywords = ["公职律师"]\n',
        encoding="utf-8",
    )
    build_index(corpus, tmp_path / "idx")
    with open_index(tmp_path / "idx") as idx:
        assert idx.corpus_dir == corpus.resolve()
        stored = idx.task_rows()["rows"]
        matrix = task_matrix(idx)
        assert [t.id for t in matrix.tasks] == ["lawyers"]
        counted = {rid: n for rid, n in matrix.counts["lawyers"].items() if n}
        assert counted == {rid: row["lawyers"] for rid, row in stored.items() if row["lawyers"]}
        assert {idx.report(rid).meta.unit for rid in counted} == {"区协同办", "南开区合作交流办"}


def test_bad_corpus_taxonomy_is_named(corpus, tmp_path):
    from indexer.errors import FazhiError

    (corpus / "tasks.toml").write_text("[[task]\n", encoding="utf-8")
    with pytest.raises(FazhiError, match="tasks.toml"):
        build_index(corpus, tmp_path / "idx")
    assert not (tmp_path / "idx" / "CURRENT").exists()


def test_two_process_build_is_exact_and_interruptible(corpus, tmp_path, monkeypatch, capfd):
    """The parallel writer (used for large batches) on the seeds: same answers, clean stop."""
    import indexer.store.whoosh
    from indexer.fold import fold

    monkeypatch.setattr(indexer.store.whoosh, "PARALLEL_MIN_PARAGRAPHS", 10)
    build_index(corpus, tmp_path / "idx")
    with open_index(tmp_path / "idx") as idx:
        rows = [
            (r.meta.id, p.number, fold(p.text)) for r in idx.all_reports() for p in r.paragraphs
        ]
        for phrase in ("公职律师", "法律顾问", "治政府建设的", "律"):
            truth = {(rid, n) for rid, n, text in rows if phrase in text}
            assert {
                (h.report, h.paragraph) for h in idx.search(f'"{phrase}"', limit=0).hits
            } == truth

    (corpus / "万兴街-2022.txt").write_text("2022年，万兴街新增法治工作。\n", encoding="utf-8")
    shutil.copy(CORPUS / "区协同办-2022.txt", corpus / "copy.txt")

    def interrupt(done, total, name):
        if name.startswith("indexing") and done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index(corpus, tmp_path / "idx", progress=interrupt)
    assert "Traceback" not in capfd.readouterr().err
    with open_index(tmp_path / "idx") as idx:
        assert len(idx.reports()) == 5 and idx.search('"新增法治工作"').total == 0
