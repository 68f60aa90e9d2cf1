"""A build's memory (issue 11 part 5): what its processes hold, and that the memory-lean
paths produce exactly what the plain ones do."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from generated import generate_corpus

ROOT = Path(__file__).parent.parent
BALLAST_MB = 400
# The build runs after the process has filled BALLAST_MB of its own memory, as a build
# holding every parsed report has when Whoosh's writer starts its workers.
BUILD_WITH_BALLAST = f"""
import sys
from pathlib import Path
from indexer.build import build_index
ballast = bytearray({BALLAST_MB} * 2**20)
for at in range(0, len(ballast), 4096):
    ballast[at] = 1
build_index(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def _processes() -> dict[int, tuple[int, int]]:
    """pid → (parent pid, resident KB), from /proc."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            rss = int((entry / "statm").read_text().split()[1]) * 4
        except (OSError, IndexError):
            continue
        out[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), rss)
    return out


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory) -> Path:
    # above store.whoosh.PARALLEL_MIN_PARAGRAPHS: Whoosh's two worker processes
    return generate_corpus(tmp_path_factory.mktemp("big") / "corpus", 6000)


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc")
def test_writer_workers_do_not_start_as_copies_of_the_build(big_corpus, tmp_path):
    corpus = big_corpus
    proc = subprocess.Popen(
        [sys.executable, "-c", BUILD_WITH_BALLAST, str(corpus), str(tmp_path / "ix")],
        cwd=ROOT,
    )
    worst, seen = 0, 0
    recent: dict[int, list[int]] = {}  # pid → its last three resident sizes
    try:
        while proc.poll() is None:
            table = _processes()
            tree, todo = set(), [proc.pid]
            while todo:
                pid = todo.pop()
                kids = [p for p, (parent, _) in table.items() if parent == pid]
                tree.update(kids)
                todo.extend(kids)
            # Whoosh's two workers, and the fork server they come from
            seen = max(seen, len(tree))
            for pid in tree:
                recent[pid] = (recent.get(pid, []) + [table[pid][1]])[-3:]
                # over three samples: a child between its (v)fork and its exec shows
                # the parent's memory for an instant (how the fork server starts)
                if len(recent[pid]) == 3:
                    worst = max(worst, min(recent[pid]))
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.wait() == 0
    assert seen >= 2, "the build never started writer workers"
    assert worst < BALLAST_MB * 1024 * 0.75, f"a worker held {worst // 1024} MB"


def test_a_script_without_a_main_guard_builds_once(big_corpus, tmp_path):
    """The workers do not import the caller's main module again (which, unguarded,
    would start a second build in each of them and wait for the first one's lock)."""
    script = tmp_path / "build_here.py"
    script.write_text(
        "import sys\n"
        "from pathlib import Path\n"
        "from indexer.build import build_index\n"
        "summary = build_index(Path(sys.argv[1]), Path(sys.argv[2]))\n"
        "print('built', summary.paragraphs)\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, str(script), str(big_corpus), str(tmp_path / "ix")],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.split("\n")
    assert len([line for line in lines if line.startswith("built")]) == 1, out.stdout
    assert int(out.stdout.split()[1]) >= 6000


@pytest.fixture(scope="module")
def report_rows(tmp_path_factory):
    """(code, unique window hashes) per report of a generated corpus, and the reports."""
    from indexer.compare.reuse_index import report_windows, unique_hashes
    from indexer.ingest.read import read_report_text
    from indexer.ingest.reports import parse_report

    corpus = generate_corpus(tmp_path_factory.mktemp("rows") / "corpus", 4000)
    reports = [
        parse_report(read_report_text(f).text, f.name, {}) for f in sorted(corpus.glob("*.txt"))
    ]
    for k, report in enumerate(reports):
        report.meta.id = f"rep{k:05d}"
    rows = [(k, unique_hashes(report_windows(r))) for k, r in enumerate(reports)]
    return rows, reports


def _reference_merge(table) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The merge as it was first written: concatenate, argsort, ``np.unique``."""
    alive = np.fromiter((i is not None for i in table.ids), dtype=bool, count=len(table.ids))
    renumber = np.cumsum(alive) - 1
    codes = np.asarray(table.codes)
    base_h = np.repeat(np.asarray(table.keys), np.diff(np.asarray(table.starts)))
    keep = alive[codes]
    h = np.concatenate([base_h[keep], table.dh])
    r = np.concatenate([renumber[codes[keep]], renumber[table.dr]])
    order = np.argsort(h, kind="stable")
    h, r = h[order], r[order]
    keys, first = np.unique(h, return_index=True)
    live = int(alive.sum())
    return keys, np.append(first, len(h)), r.astype(np.uint16 if live < 2**16 else np.int32)


def _same(table, keys, starts, codes) -> None:
    assert table.keys.dtype == keys.dtype and np.array_equal(table.keys, keys)
    assert np.array_equal(table.starts, starts) and table.starts.dtype == np.int64
    assert table.codes.dtype == codes.dtype and np.array_equal(table.codes, codes)


def test_a_whole_builds_table_is_what_update_and_merge_make(report_rows):
    from indexer.compare.window_table import WindowTable

    rows, _ = report_rows
    assert sum(len(h) for _, h in rows) > 10_000
    ids = [f"r{k}" for k in range(len(rows))]
    merged = WindowTable(list(ids))
    merged.update(set(), list(rows))
    keys, starts, codes = _reference_merge(merged)
    filled = WindowTable(list(ids))
    todo = list(rows)
    filled.fill(todo)
    assert todo == []  # the per-report arrays were let go
    _same(filled, keys, starts, codes)
    assert filled.base_codes == len(ids)
    # the hashes spread over every slice of the range: each slice was exercised
    assert len(np.unique(filled.keys >> np.uint64(60))) == 16


def test_the_merge_of_base_delta_and_dead_rows_is_the_sorted_one(report_rows, tmp_path):
    from indexer.compare.window_table import WindowTable

    rows, _ = report_rows
    half = len(rows) // 2
    table = WindowTable([f"r{k}" for k in range(half)])
    table.fill(list(rows[:half]))
    drop = set(range(0, half, 3))
    for k in drop:
        table.ids[k] = None
    table.ids += [f"r{k}" for k in range(half, len(rows))]
    table.update(drop, list(rows[half:]))  # base rows of dropped codes become dead
    assert len(table.dead) and len(table.dh)
    keys, starts, codes = _reference_merge(table)
    table._merge()
    _same(table, keys, starts, codes)
    # written and read back: the same table
    table.save(tmp_path, 1, 16)
    again = WindowTable.load(tmp_path, 1, 16)
    _same(again, keys, starts, codes)
    assert again.ids == table.ids


def test_reuse_from_a_filled_table_is_what_the_updated_one_gives(report_rows):
    from indexer.compare.reuse_index import HeldReuse, update_reuse

    _, reports = report_rows
    whole, table, _ = update_reuse(reports, set(), None, None)
    assert not len(table.dh) and len(table.keys)  # a whole build fills the base
    first, start, _ = update_reuse(reports[:1], set(), None, None)
    fresh = {r.meta.id for r in reports[1:]}
    held = HeldReuse(first)
    grown, table, _ = update_reuse(reports, fresh, start, held)
    assert len(table.dh)  # rows added as a delta
    held.apply(grown)
    assert whole.passages and (held.spans, held.passages) == (whole.spans, whole.passages)
