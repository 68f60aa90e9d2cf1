"""Re-index after touching one file and after editing one report, CPU and wall, repeated.

The machine is shared, so wall time alone says little: each run is a fresh
``build_index`` process (as ``bench_scale.rebuild_after``) and is reported with its CPU
seconds (user + system, from ``getrusage``) and the load average when it started.
Given two corpus/index pairs (e.g. 300k and 1M paragraphs) it prints the larger one's
edit as a multiple of the smaller one's, measured in the same run.  It edits the
report in place and restores it at the end; run it on copies::

    python bench/bench_reindex.py /tmp/c300k /tmp/i300k /tmp/c1m /tmp/i1m --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

OURS = (
    "import sys; from pathlib import Path; from indexer.build import build_index;"
    "build_index(Path(sys.argv[1]), Path(sys.argv[2]))"
)
EDIT = "\n此外，聘请公职律师一名，办理合法性审核二十件。\n"


def measured(corpus: Path, index: Path) -> dict:
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", OURS, str(corpus), str(index)], check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "load": round(load, 1)}


def runs(corpus: Path, index: Path, repeat: int) -> dict:
    files = sorted(corpus.glob("*.txt"))
    victim = files[len(files) // 3]
    original = victim.read_text(encoding="utf-8")
    out: dict = {"reports": len(files), "touch": [], "edit": []}
    try:
        for k in range(repeat):
            os.utime(files[len(files) // 2])
            out["touch"].append(measured(corpus, index))
            victim.write_text(original + EDIT * (k + 1), "utf-8")  # a new text each time
            out["edit"].append(measured(corpus, index))
    finally:
        victim.write_text(original, "utf-8")
        measured(corpus, index)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pairs", nargs="+", type=Path, help="corpus index [corpus index]")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if len(args.pairs) % 2:
        parser.error("give corpus and index in pairs")
    results = []
    for corpus, index in zip(args.pairs[::2], args.pairs[1::2], strict=True):
        result = runs(corpus, index, args.repeat)
        results.append(result)
        for kind in ("touch", "edit"):
            rows = result[kind]
            print(
                f"{corpus.name} ({result['reports']} reports) {kind}: "
                + ", ".join(
                    f"{r['wall_s']} s wall / {r['cpu_s']} s CPU (load {r['load']})" for r in rows
                )
            )
    if len(results) == 2:
        small, big = (min(r["cpu_s"] for r in res["edit"]) for res in results)
        print(f"edit CPU, larger / smaller: {big / small:.2f}×")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
