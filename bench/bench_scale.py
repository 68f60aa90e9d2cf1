"""Issue 11's table at 100k / 300k / 1M paragraphs, each figure beside its baseline.

Per size, in one run: build from scratch (wall time, peak RSS of the whole process
tree, index size against the folded text), the same build speed against stock
Whoosh + jieba's ChineseAnalyzer on a ``--baseline`` paragraph slice of the corpus,
re-index after touching one file and after editing one report, quoted phrases and bare
words against a substring scan over the folded paragraphs in memory, the first query
in a fresh process, and the web pages (time, bytes) and the server's RSS after them.

    python bench/bench_scale.py --sizes 100000,300000 [--work DIR] [--json]

Generated corpora are kept in ``--work`` (default /tmp/fazhi-scale) and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import PHRASES, WORDS, percentile, timed  # noqa: E402
from gen_corpus import generate  # noqa: E402

from indexer.fold import fold  # noqa: E402
from indexer.query import open_index  # noqa: E402

PAGES = [
    "/",
    "/reports",
    "/?q=%E5%85%AC%E8%81%8C%E5%BE%8B%E5%B8%88",  # 公职律师
    "/compare/tasks",
    "/compare/tasks?q=%E6%B3%95%E5%BE%8B%E9%A1%BE%E9%97%AE",  # 法律顾问
    "/compare/tasks?task=legal-advisers",
]
STOCK = """
import sys, time
from pathlib import Path
from jieba.analyse import ChineseAnalyzer
from whoosh import index
from whoosh.fields import ID, NUMERIC, TEXT, Schema
from indexer.ingest.read import read_report_text
from indexer.ingest.reports import parse_report
files = [Path(p) for p in sys.argv[2:]]
schema = Schema(report=ID(stored=True), paragraph=NUMERIC(stored=True),
                text=TEXT(analyzer=ChineseAnalyzer(), stored=True))
ix = index.create_in(sys.argv[1], schema)
writer = ix.writer()
for f in files:
    r = parse_report(read_report_text(f).text, f.name, {})
    for p in r.paragraphs:
        writer.add_document(report=f.name, paragraph=p.number, text=p.text)
writer.commit()
"""
OURS = (
    "import sys; from pathlib import Path; from indexer.build import build_index;"
    "build_index(Path(sys.argv[1]), Path(sys.argv[2]))"
)
FIRST_QUERY = (
    "import sys, time; from indexer.query import open_index; t = time.perf_counter();"
    "idx = open_index(sys.argv[1]); idx.search(sys.argv[2], limit=20);"
    "print(time.perf_counter() - t)"
)


def process_table() -> tuple[dict[int, int], dict[int, int]]:
    """(parent pid, resident KB) of every process, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    page_kb = os.sysconf("SC_PAGE_SIZE") // 1024
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
            with open(f"/proc/{entry}/statm") as fh:
                pages = int(fh.read().split()[1])
        except OSError:
            continue
        parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        rss[int(entry)] = pages * page_kb
    return parents, rss


def tree_pids(root: int, parents: dict[int, int]) -> list[int]:
    """``root`` and all its descendants (a build's Whoosh workers are grandchildren:
    children of multiprocessing's fork server)."""
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(p for p, parent in parents.items() if parent == pid)
    return tree


def pss_kb(pids: list[int]) -> int:
    """Proportional memory of ``pids``: pages a forked process shares with its parent
    count once (RSS, summed, counts them in every process)."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                total += sum(int(line.split()[1]) for line in fh if line.startswith("Pss:"))
        except OSError:
            continue
    return total


def tree_rss_kb(root: int) -> int:
    """Resident memory of ``root`` and all its descendants."""
    parents, rss = process_table()
    return sum(rss.get(pid, 0) for pid in tree_pids(root, parents))


def tree_pss_kb(root: int) -> int:
    """Proportional memory of ``root``'s whole process tree."""
    parents, _ = process_table()
    return pss_kb(tree_pids(root, parents))


PEAK_PSS: dict[str, int] = {}  # the last run_measured's peak PSS (KB), for the table


def run_measured(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of a command's whole process tree (its peak PSS
    is left in ``PEAK_PSS["last"]``)."""
    start = time.perf_counter()
    proc = subprocess.Popen(args)
    peak = pss = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        pss = max(pss, tree_pss_kb(proc.pid))
        time.sleep(0.5)
    if proc.returncode:
        raise SystemExit(f"{args[:3]} failed with {proc.returncode}")
    PEAK_PSS["last"] = pss
    return time.perf_counter() - start, peak


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def parts_mb(index: Path) -> dict[str, float]:
    """The live generation's size by part: store/, reports/, reuse-windows/, each file."""
    gen = index / (index / "CURRENT").read_text(encoding="utf-8").strip()
    sizes = {p.name: size_of(p) if p.is_dir() else p.stat().st_size for p in gen.iterdir()}
    return {k: round(v / 2**20, 2) for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])}


def build_vs_stock(corpus: Path, work: Path, paragraphs: int) -> dict:
    """Our build and stock Whoosh + jieba on the same first files of the corpus."""
    files, count = [], 0
    for f in sorted(corpus.glob("*.txt")):
        files.append(f)
        count += f.read_text(encoding="utf-8").count("\n")
        if count >= paragraphs:
            break
    sliced = work / f"slice-{paragraphs}"
    if not sliced.is_dir():
        sliced.mkdir(parents=True)
        for f in files:
            shutil.copy(f, sliced / f.name)
    for name in ("stock-ix", "ours-ix"):
        shutil.rmtree(work / name, ignore_errors=True)
    (work / "stock-ix").mkdir()
    stock, _ = run_measured([sys.executable, "-c", STOCK, str(work / "stock-ix"), *map(str, files)])
    ours, _ = run_measured([sys.executable, "-c", OURS, str(sliced), str(work / "ours-ix")])
    return {
        "slice_paragraphs": count,
        "stock_seconds": round(stock, 1),
        "ours_seconds": round(ours, 1),
        "speedup": round(stock / ours, 2),
    }


def rebuild_after(corpus: Path, index: Path, change) -> float:
    change()
    seconds, _ = run_measured([sys.executable, "-c", OURS, str(corpus), str(index)])
    return round(seconds, 2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pages(index: Path) -> dict:
    port = free_port()
    fazhi = Path(sys.executable).with_name("fazhi")
    server = subprocess.Popen(
        [str(fazhi), "serve", "--index", str(index), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    out: dict = {}
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/reports", timeout=60).read()
                break
            except OSError:
                time.sleep(0.3)
        for path in PAGES:
            times, size = [], 0
            for _ in range(3):
                start = time.perf_counter()
                with urllib.request.urlopen(base + path, timeout=600) as response:
                    size = len(response.read())
                times.append(time.perf_counter() - start)
            out[path] = {"first_s": round(times[0], 3), "warm_s": round(min(times[1:]), 3),
                         "kb": round(size / 1024)}  # fmt: skip
        out["server_rss_mb"] = round(tree_rss_kb(server.pid) / 1024)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


def queries(index: Path, repeat: int) -> dict:
    with open_index(index) as idx:
        texts = [fold(p.text) for r in idx.all_reports() for p in r.paragraphs]
        folded_mb = sum(len(t.encode("utf-8")) for t in texts) / 2**20

        def series(api_calls, scan_calls):
            api = [t for call in api_calls for t in timed(call, repeat)]
            scan = [t for call in scan_calls for t in timed(call, repeat)]
            return {
                "p50_ms": round(percentile(api, 0.5), 1),
                "p95_ms": round(percentile(api, 0.95), 1),
                "scan_p95_ms": round(percentile(scan, 0.95), 1),
                "ratio_p95": round(percentile(api, 0.95) / percentile(scan, 0.95), 2),
            }

        mismatches = sum(
            idx.search(f'"{p}"', limit=0).total != sum(1 for t in texts if p in t) for p in PHRASES
        )
        return {
            "folded_mb": round(folded_mb, 1),
            "phrase_mismatches": mismatches,
            "quoted": series(
                [lambda p=p: idx.search(f'"{p}"', limit=20) for p in PHRASES],
                [lambda p=p: [i for i, t in enumerate(texts) if p in t] for p in PHRASES],
            ),
            "bare": series(
                [lambda w=w: idx.search(w, limit=20) for w in WORDS],
                [lambda w=w: [i for i, t in enumerate(texts) if w in t] for w in WORDS],
            ),
        }


def measure(n: int, work: Path, repeat: int, baseline: int, existing: bool = False) -> dict:
    """Every figure for one size; ``existing``: keep an index already built in ``work``
    (the code of this run updates it first) and skip the two builds from scratch — to
    measure queries, re-indexing and pages again without the hour a 1M build takes."""
    corpus, index = work / f"corpus-{n}", work / f"index-{n}"
    if not corpus.is_dir():
        generate(corpus, n)
    files = sorted(corpus.glob("*.txt"))
    row: dict = {"paragraphs": n, "reports": len(files)}
    if existing and index.is_dir():
        row["existing_index_update_s"] = rebuild_after(corpus, index, lambda: None)
    else:
        shutil.rmtree(index, ignore_errors=True)
        seconds, peak_kb = run_measured([sys.executable, "-c", OURS, str(corpus), str(index)])
        row["build_s"] = round(seconds, 1)
        row["build_peak_rss_mb"] = round(peak_kb / 1024)
        row["build_peak_pss_mb"] = round(PEAK_PSS["last"] / 1024)
    row["index_parts_mb"] = parts_mb(index)
    row["index_mb"] = round(sum(row["index_parts_mb"].values()), 1)  # the live generation
    row["touch_s"] = rebuild_after(corpus, index, lambda: os.utime(files[len(files) // 2]))
    victim = files[len(files) // 3]
    original = victim.read_text(encoding="utf-8")
    edit = "\n此外，聘请公职律师一名，办理合法性审核二十件。\n"
    row["edit_s"] = rebuild_after(
        corpus, index, lambda: victim.write_text(original + edit, "utf-8")
    )
    victim.write_text(original, "utf-8")
    rebuild_after(corpus, index, lambda: None)
    row |= queries(index, repeat)
    row["index_vs_folded"] = round(row["index_mb"] / row["folded_mb"], 2)
    first = subprocess.run(
        [sys.executable, "-c", FIRST_QUERY, str(index), '"法律顾问"'],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    row["first_query_s"] = round(float(first.stdout.strip()), 3)
    row["pages"] = pages(index)
    if "build_s" in row:
        row["vs_stock"] = build_vs_stock(corpus, work, baseline)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--work", default="/tmp/fazhi-scale")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline", type=int, default=10000, help="paragraphs for stock build")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--existing",
        action="store_true",
        help="keep indexes already in --work: no builds from scratch, the rest measured",
    )
    args = parser.parse_args()
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        print(f"… {n} paragraphs (load {os.getloadavg()[0]:.1f})", file=sys.stderr, flush=True)
        results.append(measure(n, work, args.repeat, args.baseline, args.existing))
        print(json.dumps(results[-1], ensure_ascii=False), file=sys.stderr, flush=True)
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for r in results:
        print(f"\n{r['paragraphs']} paragraphs, {r['reports']} reports")
        if "build_s" in r:
            print(
                f"  build          {r['build_s']} s, peak RSS {r['build_peak_rss_mb']} MB "
                f"(PSS {r.get('build_peak_pss_mb')} MB)"
            )
        else:
            print(f"  existing index updated in {r['existing_index_update_s']} s (no build)")
        print(f"  index          {r['index_mb']} MB = {r['index_vs_folded']}× folded text")
        print(
            "  index parts    " + ", ".join(f"{k} {v} MB" for k, v in r["index_parts_mb"].items())
        )
        if "vs_stock" in r:
            s = r["vs_stock"]
            print(
                f"  vs stock       {s['slice_paragraphs']} ¶: ours {s['ours_seconds']} s, "
                f"whoosh+jieba {s['stock_seconds']} s → {s['speedup']}×"
            )
        print(f"  re-index       touch {r['touch_s']} s, one report edited {r['edit_s']} s")
        for name in ("quoted", "bare"):
            q = r[name]
            print(
                f"  {name:14} p50 {q['p50_ms']} ms p95 {q['p95_ms']} ms | scan p95 "
                f"{q['scan_p95_ms']} ms → {q['ratio_p95']}×"
            )
        print(
            f"  first query    {r['first_query_s']} s; phrase mismatches {r['phrase_mismatches']}"
        )
        for path, p in r["pages"].items():
            if isinstance(p, dict):
                print(f"  {path:42} first {p['first_s']} s warm {p['warm_s']} s {p['kb']} kB")
        print(f"  server RSS     {r['pages']['server_rss_mb']} MB")


if __name__ == "__main__":
    main()
