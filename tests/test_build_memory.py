"""A build's memory (issue 11 part 5): what its processes hold, and that the memory-lean
paths produce exactly what the plain ones do."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

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


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs /proc")
def test_writer_workers_do_not_start_as_copies_of_the_build(tmp_path):
    corpus = generate_corpus(tmp_path / "corpus", 6000)  # above PARALLEL_MIN_PARAGRAPHS
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
