"""Sweep (issue 10 items 9, 11, 12): empty corpus, a damaged index, refusals of the OS."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.cli import main
from indexer.errors import CorruptIndex
from indexer.query import open_index
from indexer.store import catalog

CORPUS = Path(__file__).parent.parent / "corpus"


@pytest.fixture
def index_dir(tmp_path) -> Path:
    target = tmp_path / "ix"
    build_index(CORPUS, target)
    return target


def export(runner, index_dir: Path):
    return runner.invoke(main, ["export", "--index", str(index_dir)])


def one_line_error(result) -> str:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def test_empty_corpus_searches_answer(tmp_path, runner):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(main, ["index", str(empty), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    assert "0 reports" in result.output
    for query in ("x", '"公职律师"', "法律 OR 顾问", "unit:区司法局"):
        out = runner.invoke(main, ["search", query, "--json", "--index", str(tmp_path / "ix")])
        assert out.exit_code == 0, out.output
        assert json.loads(out.output) == {
            "query": query,
            "total": 0,
            "hits": [],
            "facets": json.loads(out.output)["facets"],
            "missing": [],
            "by_year": [],
            "partial": False,
            "warnings": [],
        }
    out = runner.invoke(main, ["search", "x", "--index", str(tmp_path / "ix")])
    assert "0 paragraphs match" in out.output


def test_damaged_report_file_is_named_then_repaired(index_dir, runner):
    good = export(runner, index_dir).output
    gen = catalog.current_generation(index_dir)
    with open_index(index_dir) as idx:
        victim = idx.reports()[0]
    path = catalog.report_path(gen, victim.id)
    path.write_bytes(path.read_bytes()[:50] + b"\xe6\xb3")  # truncated mid-character
    error = one_line_error(export(runner, index_dir))
    assert "index file damaged" in error and path.name in error
    error = one_line_error(
        runner.invoke(main, ["compare", "own", victim.id, "--index", str(index_dir)])
    )
    assert path.name in error
    from webui import create_app

    page = create_app({"TESTING": True, "INDEX_DIR": str(index_dir)}).test_client()
    r = page.get(f"/reports/{victim.id}")
    assert r.status_code == 503 and path.name in r.get_data(as_text=True)
    result = runner.invoke(main, ["index", str(CORPUS), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert f"read {victim.file} again" in result.output
    assert export(runner, index_dir).output == good


@pytest.mark.parametrize(
    "name",
    [
        "metas/head.json",
        "metas/07.z",
        "catalog.json",
        "reuse-passages/head.json",
        "tasks/head.json",
        "audit/03.z",
    ],
)
def test_damaged_generation_file_rebuilds_the_whole_generation(index_dir, runner, name):
    good = export(runner, index_dir).output
    gen = catalog.current_generation(index_dir)
    (gen / name).write_text('{"format": 1, "fil', encoding="utf-8")
    result = runner.invoke(main, ["index", str(CORPUS), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert f"index file damaged: {gen / name}" in result.output
    assert "rebuilt the whole index" in result.output
    assert export(runner, index_dir).output == good  # same ids, same paragraphs


def test_damaged_store_rebuilds(index_dir, runner):
    good = export(runner, index_dir).output
    gen = catalog.current_generation(index_dir)
    for toc in (gen / "store").glob("_MAIN_*.toc"):
        toc.write_bytes(toc.read_bytes()[:20])
    result = runner.invoke(main, ["index", str(CORPUS), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "index store damaged" in result.output
    assert export(runner, index_dir).output == good
    search = runner.invoke(main, ["search", '"法律顾问"', "--index", str(index_dir)])
    assert search.exit_code == 0


def test_damaged_metas_in_a_reader_is_one_line(index_dir, runner):
    gen = catalog.current_generation(index_dir)
    shard = next((gen / "metas").glob("*.z"))
    shard.write_bytes(b"[{")
    error = one_line_error(runner.invoke(main, ["reports", "--index", str(index_dir)]))
    assert "index file damaged" in error and shard.name in error
    with pytest.raises(CorruptIndex):
        catalog.load_metas(gen)


def test_disk_full_while_publishing_keeps_the_previous_index(index_dir, tmp_path, runner):
    if not Path("/dev/full").exists():
        pytest.skip("needs /dev/full")
    good = export(runner, index_dir).output
    corpus = tmp_path / "c"
    shutil.copytree(CORPUS, corpus)
    (corpus / "万兴街-2022.txt").unlink()
    (index_dir / ".CURRENT.tmp").symlink_to("/dev/full")  # every write there: ENOSPC
    result = runner.invoke(main, ["index", str(corpus), "--index", str(index_dir)])
    error = one_line_error(result)
    assert "No space left on device" in error and "the disk is full" in error
    assert "previous index is unchanged" in result.output
    assert export(runner, index_dir).output == good


def test_index_inside_a_file(tmp_path, runner):
    afile = tmp_path / "notes.txt"
    afile.write_text("x", encoding="utf-8")
    result = runner.invoke(main, ["index", str(CORPUS), "--index", str(afile / "ix")])
    error = one_line_error(result)
    assert "Not a directory" in error and "pass --index a folder" in error
    result = runner.invoke(main, ["search", "x", "--index", str(afile / "ix")])
    assert "no index at" in one_line_error(result)


def test_index_where_writing_is_not_allowed(index_dir, runner, tmp_path):
    if os.geteuid() == 0:  # root ignores modes: use a folder no one may create in
        target = Path("/sys/fazhi-index-test")
        if not Path("/sys").is_dir():
            pytest.skip("needs /sys")
    else:
        good = export(runner, index_dir).output
        os.chmod(index_dir, 0o555)
        target = index_dir
    try:
        result = runner.invoke(main, ["index", str(CORPUS), "--index", str(target)])
    finally:
        os.chmod(index_dir, 0o755)
    error = one_line_error(result)
    assert str(target) in error
    assert "permitted" in error or "denied" in error or "read-only" in error
    if os.geteuid() != 0:
        assert export(runner, index_dir).output == good
