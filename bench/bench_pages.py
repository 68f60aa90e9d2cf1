"""The first query, the facet counting and every page at 100k–1M paragraphs, beside baselines.

For one built index (``fazhi index CORPUS --index IDX``), in one run:

- **first query** after opening the index in a fresh process (a quoted phrase and a
  bare word, median of three processes), beside the same query on the warm handle;
- **coverage** (facets, 未提及, by_year) of common and rare queries counted with numpy
  (``indexer.coverage``), beside the plain Python loop over every report that did it
  before (the reference ``tests/test_coverage.py`` checks against) — answers compared;
- **pages**: first and warm time and size of each page of the web UI on a real server
  (first request right after the server answers), and the server's RSS after them,
  each beside issue 11's target.

    python bench/bench_pages.py --index IDX [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale import free_port, tree_rss_kb  # noqa: E402

from indexer.model import Filters, YearCount  # noqa: E402
from indexer.query import open_index  # noqa: E402
from indexer.store.base import UNKNOWN  # noqa: E402

FIRST = (
    "import sys, time; t = time.perf_counter(); from indexer.query import open_index;"
    "imported = time.perf_counter() - t; t = time.perf_counter();"
    "idx = open_index(sys.argv[1]); idx.search(sys.argv[2], limit=20);"
    "first = time.perf_counter() - t; t = time.perf_counter();"
    "idx.search(sys.argv[2], limit=20); print(imported, first, time.perf_counter() - t)"
)
FIRST_QUERIES = ('"法律顾问"', "公职律师")
COVERAGE_QUERIES = ('"依法行政"', '"习近平法治思想"', '"法律顾问"', "公职律师", '"没有这个短语"')
PAGE_TARGET = (1.0, 500)  # seconds, kB
LIST_TARGET = (0.3, 300)  # / and /reports
RSS_TARGET_MB = 600


def first_query(index: Path, query: str, runs: int = 3) -> dict:
    """Fresh process: import, then open + first search (what bench_scale's FIRST_QUERY
    times), then the same search again on the warm handle; medians of ``runs``."""
    imports, firsts, warms = [], [], []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", FIRST, str(index), query],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        imported, first, warm = map(float, out.stdout.split())
        imports.append(imported)
        firsts.append(first)
        warms.append(warm)
    return {
        "import_s": round(statistics.median(imports), 3),
        "first_s": round(statistics.median(firsts), 3),
        "warm_s": round(statistics.median(warms), 4),
    }


def loop_coverage(metas, by_report: Counter, filters: Filters):
    """The previous code: a Python loop over every report (the baseline)."""
    derived = {"unit": Counter(), "district": Counter(), "year": Counter()}
    by_id = {m.id: m for m in metas}
    for report_id, n in by_report.items():
        meta = by_id.get(report_id)
        for name in derived:
            value = getattr(meta, name) if meta is not None else None
            derived[name][UNKNOWN if value is None else str(value)] += n
    facets = {
        name: dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))
        for name, c in {"report": by_report, **derived}.items()
    }
    scope = [m for m in metas if filters.year in (None, "") or str(m.year) == str(filters.year)]
    missing = [m.id for m in scope if m.id not in by_report]
    years: Counter = Counter()
    mentioning: Counter = Counter()
    for m in scope:
        if m.year is not None:
            years[m.year] += 1
            mentioning[m.year] += m.id in by_report
    return facets, missing, [YearCount(y, years[y], mentioning[y]) for y in sorted(years)]


def coverage(index: Path, repeat: int = 5) -> list[dict]:
    rows = []
    with open_index(index) as idx:
        metas = idx.reports()
        table = idx._table()
        for q in COVERAGE_QUERIES:
            raw = idx.store.search(q, Filters(), 20, 0, "relevance")
            by_report = Counter(raw.counts.get("report", {}))
            sections = raw.counts.get("section", {})
            new, old = [], []
            for _ in range(repeat):
                t = time.perf_counter()
                ours = table.coverage(by_report, sections, Filters())
                new.append(time.perf_counter() - t)
                t = time.perf_counter()
                theirs = loop_coverage(metas, by_report, Filters())
                old.append(time.perf_counter() - t)
            same = ours[1] == theirs[1] and ours[2] == theirs[2]
            same = same and all(ours[0][k] == theirs[0][k] for k in theirs[0])
            t = time.perf_counter()
            result = idx.search(q, limit=20)
            total_s = time.perf_counter() - t
            rows.append(
                {
                    "query": q,
                    "hits": result.total,
                    "reports_hit": len(by_report),
                    "missing": len(result.missing),
                    "numpy_ms": round(min(new) * 1000, 2),
                    "loop_ms": round(min(old) * 1000, 2),
                    "search_ms": round(total_s * 1000, 1),
                    "same": same,
                }
            )
    return rows


def page_paths(index: Path) -> list[str]:
    """The pages of issue 11, with a real district, unit and report of this index."""
    with open_index(index) as idx:
        result = idx.search("公职律师", limit=1)
        district = next(iter(result.facets["district"]), "")
        same_unit: dict = {}
        for m in idx.reports():
            same_unit.setdefault((m.district, m.unit), []).append(m.id)
        pair = next((ids[-2:] for ids in same_unit.values() if len(ids) > 1), ["", ""])
        report = result.hits[0].report if result.hits else idx.reports()[0].id
        paragraph = result.hits[0].paragraph if result.hits else 1
    q = quote("公职律师")
    return [
        "/",
        "/reports",
        "/reports?page=50",
        f"/reports?absent={q}",
        f"/?q={q}",
        "/?q=" + quote('"法律顾问"'),
        f"/?q={quote('依法行政')}",
        f"/api/search?q={q}",
        "/compare/tasks",
        f"/compare/tasks?q={quote('法律顾问')}",
        "/compare/tasks?task=legal-advisers",
        f"/compare/tasks?task=legal-advisers&district={quote(district)}",
        "/compare/years",
        f"/compare/years?a={quote(pair[0])}&b={quote(pair[1])}",
        "/audit",
        f"/reports/{quote(report)}?q={q}",
        f"/similar/{quote(report)}/{paragraph}",
    ]


def pages(index: Path) -> dict:
    paths = page_paths(index)
    port = free_port()
    fazhi = Path(sys.executable).with_name("fazhi")
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(fazhi), "serve", "--index", str(index), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    out: dict = {"pages": {}}
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/static/htmx.min.js", timeout=5).read()
                break
            except OSError:
                time.sleep(0.1)
        out["server_up_s"] = round(time.perf_counter() - started, 2)
        for path in paths:
            times, size, status = [], 0, 200
            for _ in range(2):
                start = time.perf_counter()
                try:
                    with urllib.request.urlopen(base + path, timeout=600) as response:
                        size = len(response.read())
                except urllib.error.HTTPError as exc:
                    status, size = exc.code, len(exc.read())
                times.append(time.perf_counter() - start)
            out["pages"][path] = {
                "status": status,
                "first_s": round(times[0], 3),
                "warm_s": round(times[1], 4),
                "kb": round(size / 1024),
            }
        out["server_rss_mb"] = round(tree_rss_kb(server.pid) / 1024)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


def target_of(path: str) -> tuple[float, int]:
    return LIST_TARGET if path in ("/", "/reports") else PAGE_TARGET


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", required=True)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    index = Path(args.index)
    load = os.getloadavg()[0]
    with open_index(index) as idx:
        reports = len(idx.reports())
        paragraphs = sum(m.paragraphs for m in idx.reports())
    result = {
        "index": str(index),
        "reports": reports,
        "paragraphs": paragraphs,
        "load_before": round(load, 1),
        "first": {q: first_query(index, q) for q in FIRST_QUERIES},
        "coverage": coverage(index),
    }
    result |= pages(index)
    result["load_after"] = round(os.getloadavg()[0], 1)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"{paragraphs} paragraphs, {reports} reports; load {load:.1f} → {result['load_after']}")
    for q, f in result["first"].items():
        print(f"  first query {q:12} open + search {f['first_s']} s (≤ 0.3 s), after importing "
              f"{f['import_s']} s; the same search warm {f['warm_s']} s")  # fmt: skip
    print("  coverage (facets + 未提及 + by_year) numpy vs the Python loop:")
    for c in result["coverage"]:
        print(f"    {c['query']:16} {c['hits']:>7} hits {c['reports_hit']:>6} reports "
              f"{c['missing']:>6} missing: {c['numpy_ms']} ms vs {c['loop_ms']} ms "
              f"(search {c['search_ms']} ms) same={c['same']}")  # fmt: skip
    print(f"  server answering after {result['server_up_s']} s")
    for path, p in result["pages"].items():
        secs, kb = target_of(path)
        ok = p["status"] == 200 and p["first_s"] <= secs and p["kb"] <= kb
        print(f"  {'ok ' if ok else 'NO '}{path[:60]:60} {p['status']} first {p['first_s']} s "
              f"warm {p['warm_s']} s {p['kb']} kB (≤ {secs} s, ≤ {kb} kB)")  # fmt: skip
    rss = result["server_rss_mb"]
    print(f"  server RSS {rss} MB (≤ {RSS_TARGET_MB} MB)")


if __name__ == "__main__":
    main()
