"""Sweep (issue 10 items 10, 13): a killed or doubled ``fazhi index`` never hurts the index.

Each test runs the real command in a subprocess on a corpus big enough for the
two-process writer, signals it while its workers write, and checks that no process
of it is left and that the previous index answers exactly as before.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.store.lock import IndexBusy, build_lock

ROOT = Path(__file__).parent.parent
FAZHI = [str(Path(sys.executable).parent / "fazhi")]  # the installed console script
BIG_PARAGRAPHS = 6000  # above store.whoosh.PARALLEL_MIN_PARAGRAPHS: two worker processes


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("big") / "corpus"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "gen_corpus.py"), str(out), str(BIG_PARAGRAPHS)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    return out


def children(pid: int) -> set[int]:
    """Every live descendant of ``pid`` (read from /proc; zombies count as gone)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pids: set[int]) -> set[int]:
    left = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            left.add(pid)
    return left


def answers(index_dir: Path) -> str:
    out = subprocess.run(
        [*FAZHI, "search", '"法律顾问"', "--json", "--limit", "0", "--index", str(index_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return out.stdout


def start_index(corpus: Path, index_dir: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [*FAZHI, "index", str(corpus), "--index", str(index_dir)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def wait_for_workers(proc: subprocess.Popen, timeout: float = 120) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = children(proc.pid)
        if len(found) >= 2:
            return found
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    raise AssertionError("the build never started its writer processes")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killed_build_leaves_no_process_and_the_previous_index(big_corpus, tmp_path, sig):
    index_dir = tmp_path / "ix"
    build_index(ROOT / "corpus", index_dir)
    before = answers(index_dir)
    proc = start_index(big_corpus, index_dir)
    workers = wait_for_workers(proc)
    proc.send_signal(sig)
    try:
        proc.communicate(timeout=10)  # would hang if a worker kept the pipes open
    finally:
        if proc.poll() is None:
            proc.kill()
    deadline = time.monotonic() + 5
    while alive(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(workers), f"orphaned writer processes: {alive(workers)}"
    assert proc.returncode != 0
    assert answers(index_dir) == before
    if sig == signal.SIGTERM:  # handled like Ctrl-C: its generation is already gone
        assert len(list(index_dir.glob("gen-*"))) == 1
    # the next start removes what a kill -9 left, then builds normally
    small = tmp_path / "small"
    shutil.copytree(ROOT / "corpus", small)
    (small / "区协同办-2022.txt").unlink()
    build_index(small, index_dir)
    gens = sorted(p.name for p in index_dir.glob("gen-*"))
    assert gens == ["gen-000001", gens[-1]] and len(gens) == 2


def test_partial_generation_folders_are_removed_at_the_next_start(tmp_path):
    index_dir = tmp_path / "ix"
    build_index(ROOT / "corpus", index_dir)
    partial = index_dir / "gen-000007"
    (partial / "store").mkdir(parents=True)
    (partial / "store" / "junk.seg").write_bytes(b"x" * 1000)
    build_index(ROOT / "corpus", index_dir)  # nothing changed, still cleans up
    assert not partial.exists()
    assert (index_dir / "gen-000001").is_dir()


def test_second_build_waits_with_a_message(tmp_path):
    index_dir = tmp_path / "ix"
    build_index(ROOT / "corpus", index_dir)
    with build_lock(index_dir):
        with pytest.raises(IndexBusy, match=r"another `fazhi index` \(pid \d+\) is updating"):
            with build_lock(index_dir, wait=False):
                pass
        proc = start_index(ROOT / "corpus", index_dir)
        message = b""
        deadline = time.monotonic() + 30
        while b"waiting" not in message and time.monotonic() < deadline:
            message += os.read(proc.stderr.fileno(), 4096)
        assert f"(pid {os.getpid()}) is updating".encode() in message
        assert b"waiting for it to finish" in message
        time.sleep(0.3)
        assert proc.poll() is None  # still waiting: it has not published anything
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert b"5 reports" in out


def test_build_lock_is_released_when_its_holder_is_killed(tmp_path):
    index_dir = tmp_path / "ix"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from indexer.store.lock import "
            "build_lock\nwith build_lock(Path(sys.argv[1])):\n print('held', flush=True); "
            "time.sleep(60)",
            str(index_dir),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    with holder:
        assert holder.stdout.readline().strip() == b"held"
        holder.kill()
    with build_lock(index_dir, wait=False):
        pass


def test_sigterm_handler_is_restored_after_the_build(tmp_path, runner):
    from indexer.cli import main

    before = signal.getsignal(signal.SIGTERM)
    result = runner.invoke(main, ["index", str(ROOT / "corpus"), "--index", str(tmp_path)])
    assert result.exit_code == 0
    assert signal.getsignal(signal.SIGTERM) is before
    assert json.loads(answers(tmp_path))["total"] > 0
