"""What a server keeps of a generation is compact, and reads back exactly as before.

The task counts (``CountTable``), the report metadata (``sharing.share_repeats``) and
``catalog.json`` (its head only) are held in smaller forms; Whoosh's mapped segment
pages and the C heap's free pages are given back after a request.  Each test compares the compact form with what was read before.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from indexer.query import IndexCache, open_index
from indexer.store import catalog, shards
from indexer.store.counts import CountTable
from indexer.store.rows import TASKS
from indexer.store.sharing import share_repeats
from webui import memory


def _task_shards(gen: Path) -> dict:
    """The task rows as the shards hold them (the dict-of-dicts readers used to get)."""
    _, rows = shards.read_rows(gen / TASKS)
    return {rid: row["counts"] for rid, row in rows.items()}


def test_task_rows_read_back_as_the_shards_hold_them(built_index):
    with open_index(built_index) as idx:
        stored = idx.task_rows()
        rows = stored["rows"]
        expected = _task_shards(idx.gen)
        assert isinstance(rows, CountTable) and len(rows) == len(expected) > 0
        assert rows == expected and dict(rows.items()) == expected
        for rid, counts in expected.items():
            assert rid in rows and dict(rows[rid]) == counts
            for task, n in counts.items():
                got = rows[rid].get(task, 0)
                assert got == n and type(got) is int  # JSON-safe, as before
            assert rows[rid].get("no-such-task", 0) == 0
        assert "no-such-report" not in rows and rows.get("no-such-report") is None
        assert set(stored["sha1"]) == set(expected)
        assert json.dumps({rid: dict(row) for rid, row in rows.items()}) == json.dumps(expected)


def test_a_table_of_uneven_rows_keeps_each_row_as_given():
    given = {"a": {"x": 1, "y": 0}, "b": {"y": 3}, "c": {"z": 300, "x": 2}, "d": {}}
    table = CountTable(given)
    assert table == given
    for rid, row in given.items():
        assert dict(table[rid]) == row and len(table[rid]) == len(row)
        assert table[rid].get("x") == row.get("x")
    assert CountTable({}) == {}


def test_an_old_tasks_json_reads_as_a_count_table(built_index, tmp_path):
    index = tmp_path / "index"
    shutil.copytree(built_index, index)
    gen = catalog.require_generation(index)
    expected = _task_shards(gen)
    head = shards.read_head(gen / TASKS)["head"]
    old = {**head, "rows": expected, "sha1": {rid: "0" * 40 for rid in expected}}
    (gen / "tasks.json").write_text(json.dumps(old), encoding="utf-8")
    shutil.rmtree(gen / TASKS)
    with open_index(index) as idx:
        assert isinstance(idx.task_rows()["rows"], CountTable)
        assert idx.task_rows()["rows"] == expected


def test_shared_metadata_reads_back_the_same(built_index):
    metas = catalog.load_metas(catalog.require_generation(built_index))
    doubled = [copy.deepcopy(m) for m in metas] + [copy.deepcopy(m) for m in metas]
    before = [repr(m) for m in doubled]
    share_repeats(doubled)
    assert [repr(m) for m in doubled] == before
    half = len(metas)
    for a, b in zip(doubled[:half], doubled[half:], strict=True):
        if a.evidence:
            assert a.evidence is b.evidence  # equal evidence: one dict
        if a.unit is not None:
            assert a.unit is b.unit
        assert a.id is b.id and a.id is sys.intern(a.id)


def test_evidence_in_another_key_order_is_not_merged(built_index):
    metas = catalog.load_metas(catalog.require_generation(built_index))
    a, b = copy.deepcopy(metas[0]), copy.deepcopy(metas[0])
    a.evidence = {"unit": {"from": "title"}, "district": {"from": "text"}}
    b.evidence = {"district": {"from": "text"}, "unit": {"from": "title"}}
    share_repeats([a, b])
    assert a.evidence is not b.evidence and list(b.evidence) == ["district", "unit"]


def test_the_catalog_files_table_is_not_kept(built_index):
    gen = catalog.require_generation(built_index)
    whole = catalog.read_json(gen / "catalog.json", {})
    assert whole["files"]  # what the build wrote: one entry per corpus file
    with open_index(built_index, IndexCache()) as idx:
        assert str(idx.corpus_dir) == whole["corpus"]
        assert idx.skipped() == [tuple(x) for x in whole.get("skipped", [])]
        kept = [v for v in idx.data._derived.values() if isinstance(v, dict)]
        assert "catalog.json" not in idx.data._json
        assert not any("files" in v for v in kept)


def _segment_rss_kb() -> int:
    """This process's resident pages of Whoosh segment files (``.seg``)."""
    total, mapped = 0, False
    with open("/proc/self/smaps", encoding="utf-8") as smaps:
        for line in smaps:
            head = line.split()
            if "-" in head[0] and not head[0].endswith(":"):
                mapped = len(head) > 5 and head[5].endswith(".seg")
            elif mapped and head[0] == "Rss:":
                total += int(head[1])
    return total


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps"), reason="needs Linux /proc")
def test_a_request_gives_back_the_segment_pages_it_read(built_index):
    earlier = _segment_rss_kb()  # the session's build may have left mappings of its own
    with open_index(built_index) as idx:
        before = idx.search('"法律顾问"', limit=20)
        idx.search("行政复议", limit=20)
        assert _segment_rss_kb() > earlier  # the searches read postings from mapped files
        idx.release_pages()
        assert _segment_rss_kb() <= earlier
        again = idx.search('"法律顾问"', limit=20)  # mapped again from the page cache
        assert [h.paragraph for h in again.hits] == [h.paragraph for h in before.hits]
        assert again.total == before.total


def test_trim_and_arena_limit_leave_the_app_answering(client):
    assert memory.trim() in (True, False)
    memory.limit_arenas()
    for _ in range(2):
        page = client.get("/compare/tasks?task=legal-advisers")
        assert page.status_code == 200 and "法律顾问" in page.get_data(as_text=True)
    assert memory.trim() in (True, False)
