"""Peak memory of a from-scratch build, phase by phase, for the whole process tree.

The build runs in a child process whose main phases (parsing, Whoosh's writer, the
catalog, reuse windows, their merge and spans, the audit, the task counts) log their
start to a file; this process samples the tree every ``--every`` seconds — summed RSS
(what a worker forked from a big parent counts again, as ``bench_scale`` sums it) and
PSS (shared pages counted once) — and prints each phase's peak beside the parent's.

    python bench/bench_build_memory.py CORPUS [--index DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import process_table, pss_kb, tree_pids  # noqa: E402

CHILD = r"""
import sys, time
from pathlib import Path
log = open(sys.argv[3], "a", buffering=1)

def phase(name):
    log.write(f"{time.time()} {name}\n")

def wrap(owner, attr, name):
    original = getattr(owner, attr, None)
    if original is None:  # renamed since: that phase is not told apart
        return
    def wrapped(*args, **kwargs):
        phase(name)
        try:
            return original(*args, **kwargs)
        finally:
            phase("build")  # back in build.py between the phases named here
    setattr(owner, attr, wrapped)

from indexer import build, derived
from indexer.compare import reuse_index, tasks, window_table
from indexer.store import catalog, exact, whoosh
wrap(whoosh.WhooshStore, "replace_reports", "whoosh-write")
wrap(whoosh, "write_missing", "grams-missing")
wrap(catalog, "write_reports", "catalog")
wrap(derived, "update_audit", "audit")
wrap(derived, "update_audit_rows", "audit")
wrap(derived, "update_task_rows", "task-counts")
wrap(reuse_index, "_finish", "reuse-finish")
wrap(window_table.WindowTable, "_merge", "window-merge")
wrap(tasks, "index_task_rows", "task-counts")
original_update = window_table.WindowTable.update
def update(self, *args, **kwargs):
    phase("window-update")
    try:
        return original_update(self, *args, **kwargs)
    finally:
        phase("reuse-spans")  # what update_reuse does after the table is updated
window_table.WindowTable.update = update
original_reuse = reuse_index.update_reuse
def update_reuse(*args, **kwargs):
    phase("reuse-windows")
    return original_reuse(*args, **kwargs)
derived.update_reuse = update_reuse
phase("parse")
build.build_index(Path(sys.argv[1]), Path(sys.argv[2]))
phase("end")
"""


def tree_sample(root: int) -> dict[str, int]:
    """Summed RSS, summed PSS (KB) and the process count of ``root``'s whole tree
    (children and their children), and the root's own RSS."""
    parents, rss = process_table()
    tree = tree_pids(root, parents)
    return {
        "rss": sum(rss.get(p, 0) for p in tree),
        "pss": pss_kb(tree),
        "parent": rss.get(root, 0),
        "procs": len(tree),
    }


def measure(corpus: Path, index: Path, every: float) -> dict:
    shutil.rmtree(index, ignore_errors=True)
    with tempfile.NamedTemporaryFile("w", suffix=".phases", delete=False) as fh:
        log = Path(fh.name)
    start = time.time()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(corpus), str(index), str(log)])
    samples = []
    while proc.poll() is None:
        samples.append((time.time(), tree_sample(proc.pid)))
        time.sleep(every)
    if proc.returncode:
        raise SystemExit(f"build failed with {proc.returncode}")
    marks = [line.split() for line in log.read_text().splitlines()]
    log.unlink()
    marks = [(float(t), name) for t, name in marks]
    phases: dict[str, dict] = {}
    for at, sample in samples:
        name = "start"
        for t, mark in marks:
            if t <= at:
                name = mark
        p = phases.setdefault(name, {"rss_mb": 0, "pss_mb": 0, "parent_mb": 0, "procs": 0})
        p["rss_mb"] = max(p["rss_mb"], sample["rss"] // 1024)
        p["pss_mb"] = max(p["pss_mb"], sample["pss"] // 1024)
        p["parent_mb"] = max(p["parent_mb"], sample["parent"] // 1024)
        p["procs"] = max(p["procs"], sample["procs"])
    seconds: dict[str, float] = {}
    for (t, name), (t2, _) in zip(marks, [*marks[1:], (time.time(), "")], strict=True):
        seconds[name] = seconds.get(name, 0.0) + (t2 - t)
    for name, p in phases.items():
        p["seconds"] = round(seconds.get(name, 0.0), 1)
    return {
        "corpus": str(corpus),
        "seconds": round(time.time() - start, 1),
        "load": round(os.getloadavg()[0], 1),
        "peak_rss_mb": max(s["rss"] for _, s in samples) // 1024,
        "peak_pss_mb": max(s["pss"] for _, s in samples) // 1024,
        "peak_parent_mb": max(s["parent"] for _, s in samples) // 1024,
        "phases": phases,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--index", type=Path, default=Path("/tmp/mem-bench-ix"))
    parser.add_argument("--every", type=float, default=0.5)
    parser.add_argument("--keep", action="store_true", help="keep the index built")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.corpus, args.index, args.every)
    if not args.keep:
        shutil.rmtree(args.index, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"{result['corpus']}: {result['seconds']} s (load {result['load']}), peak tree RSS "
        f"{result['peak_rss_mb']} MB, PSS {result['peak_pss_mb']} MB, "
        f"parent {result['peak_parent_mb']} MB"
    )
    print(f"  {'phase':15} {'tree RSS':>9} {'tree PSS':>9} {'parent':>7} procs  seconds")
    for name, p in result["phases"].items():
        print(
            f"  {name:15} {p['rss_mb']:>6} MB {p['pss_mb']:>6} MB {p['parent_mb']:>4} MB"
            f" {p['procs']:>5} {p['seconds']:>8}"
        )


if __name__ == "__main__":
    main()
