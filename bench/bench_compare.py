"""Comparison timings over a generated corpus: reuse at build time, the task matrix, a
task view, a query view and a year comparison.

Generates a corpus with bench/gen_corpus.py, builds the index once (which runs
``build_reuse``), then times ``build_reuse`` again on its own (wall time and peak
memory, in a child process) and the comparison calls against the open index.  The
baseline for the task view is the plainest possible implementation — a substring test
of every keyword on every paragraph — so the figure says what the item split, the
evidence spans and the reuse marks cost on top of it.  The task view is timed cold
(a fresh index handle, as each web request opens, reading the reports from disk) and
warm (reports already loaded).  Both use the task rows counted at build time to skip the
reports that do not address the task.

    python bench/bench_compare.py [--paragraphs 10000] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import generate  # noqa: E402

from indexer import compare  # noqa: E402
from indexer.build import build_index  # noqa: E402
from indexer.compare.tasks import find_task, load_tasks  # noqa: E402
from indexer.compare.units import group_reports  # noqa: E402
from indexer.fold import fold  # noqa: E402
from indexer.query import open_index  # noqa: E402

REUSE_CHILD = """
import json, resource, sys, time
from indexer.query import open_index
from indexer.compare.reuse import build_reuse
with open_index(sys.argv[1]) as idx:
    reports = idx.all_reports()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
reuse = build_reuse(reports)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "rss_before_mb": before, "peak_mb": peak,
                  "passages": len(reuse["passages"]), "json_mb": len(json.dumps(reuse)) / 2**20}))
"""


def timed(fn, repeat: int = 3) -> float:
    """Best of ``repeat`` runs, in milliseconds (the first run also warms caches)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - start) * 1000)
    return best


def baseline_task_scan(reports, keywords: list[str]) -> int:
    folded = [fold(p.text) for r in reports for p in r.paragraphs]
    return sum(1 for text in folded if any(k in text for k in keywords))


def run(paragraphs: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        corpus, index = Path(tmp) / "corpus", Path(tmp) / "index"
        written = generate(corpus, paragraphs)
        start = time.perf_counter()
        build_index(corpus, index)
        build_s = time.perf_counter() - start
        child = subprocess.run(
            [sys.executable, "-c", REUSE_CHILD, str(index)],
            check=True,
            capture_output=True,
            text=True,
        )
        reuse = json.loads(child.stdout.strip().splitlines()[-1])
        with open_index(index) as idx:
            reports = idx.all_reports()  # loads the catalog once, as the web UI does
            groups = [g for g in group_reports(idx.reports()).values() if len(g) >= 2]
            a, b = groups[0][0].id, groups[0][-1].id
            lawyers = find_task(load_tasks(), "legal-advisers")

            def cold_task_view():
                with open_index(index) as fresh:  # a new handle, as each web request opens
                    compare.task_view(fresh, task="legal-advisers")

            out = {
                "paragraphs": written,
                "reports": len(reports),
                "units_with_two_years": len(groups),
                "build_index_s": round(build_s, 2),
                "build_reuse_s": round(reuse["seconds"], 2),
                "build_reuse_rss_mb": f"{reuse['rss_before_mb']:.0f} -> {reuse['peak_mb']:.0f}",
                "reuse_passages": reuse["passages"],
                "reuse_json_mb": round(reuse["json_mb"], 1),
                "task_view_cold_ms": round(timed(cold_task_view, 1)),
                "task_matrix_cold_ms": round(timed(lambda: compare.task_matrix(idx), 1)),
                "task_matrix_warm_ms": round(timed(lambda: compare.task_matrix(idx))),
                "task_view_ms": round(timed(lambda: compare.task_view(idx, task="legal-advisers"))),
                "task_scan_baseline_ms": round(
                    timed(lambda: baseline_task_scan(reports, lawyers.folded_keywords))
                ),
                "query_view_ms": round(timed(lambda: compare.task_view(idx, query='"公职律师"'))),
                "year_view_ms": round(timed(lambda: compare.year_view(idx, a, b))),
            }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", default="10000", help="comma-separated sizes")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [run(int(n)) for n in args.paragraphs.split(",")]
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for r in results:
        print(f"\n{r['paragraphs']} paragraphs, {r['reports']} reports")
        for key, value in r.items():
            if key not in ("paragraphs", "reports"):
                print(f"  {key:<24}{value}")
        ratio = r["task_view_cold_ms"] / max(r["task_scan_baseline_ms"], 1)
        print(f"  cold task view / bare keyword scan: {ratio:.1f}×")


if __name__ == "__main__":
    main()
