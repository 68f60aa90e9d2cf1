"""The 2×2 Sphinx cluster beside the embedded Whoosh index and a substring scan, one run.

    python bench/bench_cluster.py --paragraphs 100000 [--work /tmp/fazhi-cluster] [--repeat 5]

Generates the corpus (``bench/gen_corpus.py``) unless present, starts a local cluster with
``scripts/cluster.sh`` (stopped at the end), builds both indexes and prints:

* build time and paragraphs/s of each store;
* per query kind, p50/p95 of ``idx.search(q, limit=20)`` on each store and of a substring
  scan over the folded paragraphs (the baseline);
* the identity check: every query of the test set (quoted, bare, AND/OR/NOT, field
  filters, facets, ``missing``) gives the same total, hit set, facets and missing list on
  both stores — the figure is the number of mismatches (must be 0).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from indexer.build import build_index
from indexer.fold import fold
from indexer.model import Filters
from indexer.query import open_index

ROOT = Path(__file__).resolve().parent.parent
QUERIES = {
    "quoted": ['"公职律师"', '"法律顾问"', '"行政复议"', '"习近平法治思想"', '"依法行政"'],
    "bare": ["法律顾问", "法治政府", "普法", "出庭应诉", "信息公开"],
    "boolean": ["公职律师 OR 法律顾问", "法治 NOT 疫情", '"行政复议" AND 应诉'],
    "fielded": ["section:plans 普法", "year:2022 法律顾问"],
}
CHECK_FILTERS = [Filters(), Filters(section="measures"), Filters(year=2022)]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def scan(folded: list[str], q: str) -> int:
    """The baseline: a substring test of each needle over every folded paragraph."""
    needles = [fold(t.strip('"')) for t in q.split() if t not in ("AND", "OR", "NOT")]
    needles = [n.split(":", 1)[-1] for n in needles]
    return sum(1 for text in folded if all(n in text for n in needles))


def same(w, s, q: str, filters: Filters) -> str | None:
    a = w.search(q, filters, limit=0, sort="unit")
    b = s.search(q, filters, limit=0, sort="unit")
    for name in ("total", "facets", "missing", "partial"):
        if getattr(a, name) != getattr(b, name):
            return f"{q!r} {filters}: {name} differs"
    if [(h.report, h.paragraph) for h in a.hits] != [(h.report, h.paragraph) for h in b.hits]:
        return f"{q!r} {filters}: hits differ"
    return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=100000)
    parser.add_argument("--work", default="/tmp/fazhi-cluster")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep indexes built by an earlier run (the cluster's data persists under WORK; "
        "its new address is written into the index)",
    )
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"corpus-{args.paragraphs}"
    if not corpus.is_dir():
        print(f"generating {args.paragraphs} paragraphs …", flush=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "gen_corpus.py"),
                str(corpus),
                str(args.paragraphs),
            ],
            check=True,
        )
    home = work / "cluster"
    script = ["bash", str(ROOT / "scripts" / "cluster.sh")]
    subprocess.run([*script, "stop", str(home)], capture_output=True)
    started = subprocess.run(
        [*script, "start", str(home)], check=True, capture_output=True, text=True
    )
    url = started.stdout.strip().splitlines()[-1]
    try:
        run(args, work, corpus, url)
    finally:
        subprocess.run([*script, "stop", str(home)], capture_output=True)


def run(args, work: Path, corpus: Path, url: str) -> None:
    n = args.paragraphs
    whoosh_dir, sphinx_dir = work / f"whoosh-{n}", work / f"sphinx-{n}"
    builds = {}
    if args.reuse and (whoosh_dir / "CURRENT").is_file() and (sphinx_dir / "CURRENT").is_file():
        from indexer.store import catalog
        from indexer.store.backend import BACKEND_FILE

        gen = catalog.current_generation(sphinx_dir)
        config = catalog.read_json(gen / BACKEND_FILE, {})
        catalog.write_json(gen / BACKEND_FILE, {**config, "url": url})
        print("reusing the indexes of an earlier run (no build figures)")
        return measure(args, whoosh_dir, sphinx_dir)
    for name, path, backend in (("whoosh", whoosh_dir, None), ("sphinx 2x2", sphinx_dir, url)):
        import shutil

        shutil.rmtree(path, ignore_errors=True)
        seconds, summary = timed(lambda p=path, b=backend: build_index(corpus, p, backend=b))
        builds[name] = seconds
        print(
            f"build {name:<11} {summary.paragraphs} paragraphs, {summary.reports} reports: "
            f"{seconds:7.1f} s  ({summary.paragraphs / seconds:,.0f} paragraphs/s)",
            flush=True,
        )
    print(f"build ratio sphinx/whoosh: {builds['sphinx 2x2'] / builds['whoosh']:.2f}x")
    measure(args, whoosh_dir, sphinx_dir)


def measure(args, whoosh_dir: Path, sphinx_dir: Path) -> None:
    with open_index(whoosh_dir) as w, open_index(sphinx_dir) as s:
        folded = [fold(p.text) for r in w.all_reports() for p in r.paragraphs]
        print(f"\nqueries (limit 20, {args.repeat} rounds), ms    p50 / p95")
        print(f"{'kind':<9} {'whoosh':>15} {'sphinx 2x2':>15} {'scan':>15}")
        for kind, queries in QUERIES.items():
            times = {"whoosh": [], "sphinx": [], "scan": []}
            for q in queries:  # warm each handle first
                w.search(q, limit=20)
                s.search(q, limit=20)
            for _ in range(args.repeat):
                for q in queries:
                    times["whoosh"].append(timed(lambda q=q: w.search(q, limit=20))[0])
                    times["sphinx"].append(timed(lambda q=q: s.search(q, limit=20))[0])
                    times["scan"].append(timed(lambda q=q: scan(folded, q))[0])
            cells = [f"{pct(t, 0.5):6.1f} / {pct(t, 0.95):6.1f}" for t in times.values()]
            print(f"{kind:<9} {cells[0]:>15} {cells[1]:>15} {cells[2]:>15}", flush=True)

        checks = [q for qs in QUERIES.values() for q in qs] + ["", "NOT 法治", "unit:区司法局"]
        mismatches = []
        for q in checks:
            for filters in CHECK_FILTERS:
                problem = same(w, s, q, filters)
                if problem:
                    mismatches.append(problem)
        print(
            f"\nidentity: {len(checks) * len(CHECK_FILTERS)} query×filter checks, "
            f"{len(mismatches)} mismatches"
        )
        for problem in mismatches:
            print("  MISMATCH", problem)


if __name__ == "__main__":
    main()
