"""Indexing throughput, index size, peak memory and query latency against a substring scan.

Generates 10k and 100k paragraph corpora (bench/gen_corpus.py), builds each index in a
child process (wall time, peak RSS), then times the query API — quoted phrases,
unquoted words, a filtered query — beside a plain substring scan over the same folded
paragraphs held in memory, the baseline every exact-phrase design must be judged by.

    python bench/bench_search.py [--sizes 10000,100000] [--json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import generate  # noqa: E402

from indexer.fold import fold  # noqa: E402
from indexer.model import Filters  # noqa: E402
from indexer.query import open_index  # noqa: E402

PHRASES = [
    "公职律师",
    "法律顾问",
    "三重一大",
    "谁执法谁普法",
    "第一责任人",
    "12345",
    "律师",
    "治政府建设的",
    "行政复议",
    "出庭应诉",
    "政务公开",
    "合法性审核",
    "民法典",
    "八五普法",
    "习近平法治思想",
    "宪法宣传",
    "矛盾纠纷",
    "安全生产",
    "依法行政",
    "法治宣传教育",
    "重大行政决策",
    "会前学法",
]
# Bare (unquoted) words: everyday terms, several of them held inside longer jieba words
# (常年法律顾问, 法治政府建设, 政府信息公开), which a bare word must find all the same.
WORDS = [
    "公职律师",
    "法律顾问",
    "普法",
    "行政复议",
    "政务公开",
    "信访",
    "法治政府",
    "出庭应诉",
    "宪法日",
    "信息公开",
    "律师事务所",
    "顾问",
    "政府建设",
    "合法性审核",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def build(corpus: Path, index: Path) -> tuple[float, int]:
    code = (
        "import sys; from pathlib import Path; from indexer.build import build_index;"
        "build_index(Path(sys.argv[1]), Path(sys.argv[2]))"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, str(corpus), str(index)], check=True)
    elapsed = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kb


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def measure(n: int, work: Path, repeat: int) -> dict:
    corpus, index = work / f"corpus-{n}", work / f"index-{n}"
    paragraphs = generate(corpus, n)
    seconds, peak_kb = build(corpus, index)
    row: dict = {
        "paragraphs": paragraphs,
        "index_seconds": round(seconds, 1),
        "paragraphs_per_second": round(paragraphs / seconds),
        "index_mb": round(size_of(index) / 2**20, 1),
        "build_peak_rss_mb": round(peak_kb / 1024),
    }
    with open_index(index) as idx:
        rows = [(fold(p.text), r.meta.year) for r in idx.all_reports() for p in r.paragraphs]
        texts = [t for t, _ in rows]

        def series(api_calls, scan_calls):
            api = [t for call in api_calls for t in timed(call, repeat)]
            scan = [t for call in scan_calls for t in timed(call, repeat)]
            exact = None
            return {
                "api_p50_ms": round(percentile(api, 0.5), 2),
                "api_p95_ms": round(percentile(api, 0.95), 2),
                "scan_p50_ms": round(percentile(scan, 0.5), 2),
                "scan_p95_ms": round(percentile(scan, 0.95), 2),
                "ratio_p95": round(percentile(api, 0.95) / percentile(scan, 0.95), 2),
            } | ({} if exact is None else {"exact": exact})

        mismatches = 0
        for phrase in PHRASES:
            got = idx.search(f'"{phrase}"', limit=0).total
            mismatches += got != sum(1 for t in texts if phrase in t)
        row["phrase_mismatches"] = mismatches
        lost = 0
        for word in WORDS:  # bare words: every paragraph holding the word, none lost
            lost += idx.search(word, limit=1).total != sum(1 for t in texts if word in t)
        row["bare_word_mismatches"] = lost
        row["quoted_phrase"] = series(
            [lambda p=p: idx.search(f'"{p}"', limit=20) for p in PHRASES],
            [lambda p=p: [i for i, t in enumerate(texts) if p in t] for p in PHRASES],
        )
        row["bare_word"] = series(
            [lambda w=w: idx.search(w, limit=20) for w in WORDS],
            [lambda w=w: [i for i, t in enumerate(texts) if w in t] for w in WORDS],
        )
        row["filtered"] = series(
            [lambda p=p: idx.search(f'"{p}"', Filters(year=2022), limit=20) for p in PHRASES[:8]],
            [
                lambda p=p: [i for i, (t, y) in enumerate(rows) if y == 2022 and p in t]
                for p in PHRASES[:8]
            ],
        )
        start = time.perf_counter()
        idx.search('"法律顾问"', limit=20)
        row["first_query_ms"] = round((time.perf_counter() - start) * 1000, 1)
    return row


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="fazhi-bench-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            print(f"… {n} paragraphs", file=sys.stderr, flush=True)
            results.append(measure(n, Path(tmp), args.repeat))
    if args.json:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for r in results:
        print(
            f"\n{r['paragraphs']} paragraphs: indexed in {r['index_seconds']} s "
            f"({r['paragraphs_per_second']} paragraphs/s), index {r['index_mb']} MB, "
            f"build peak RSS {r['build_peak_rss_mb']} MB, "
            f"phrase mismatches vs scan: {r['phrase_mismatches']}/{len(PHRASES)}, "
            f"bare-word mismatches: {r['bare_word_mismatches']}/{len(WORDS)}"
        )
        for name in ("quoted_phrase", "bare_word", "filtered"):
            s = r[name]
            print(
                f"  {name:14} p50 {s['api_p50_ms']:8.2f} ms  p95 {s['api_p95_ms']:8.2f} ms  | "
                f"scan p50 {s['scan_p50_ms']:7.2f} ms  p95 {s['scan_p95_ms']:7.2f} ms  | "
                f"p95 ratio {s['ratio_p95']}×"
            )


if __name__ == "__main__":
    main()
