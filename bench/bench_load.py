"""Throughput of a real ``fazhi serve`` under concurrent clients, on the seeds and a 300-report index.

Each run builds the index, starts ``fazhi serve`` on a free port in its own process,
warms it up, then lets ``--clients`` threads (one keep-alive connection each) send a
mix of what users do — search pages (full and htmx fragments), the JSON API,
filtered searches, report pages with highlights, task and year comparisons — for
``--seconds``.  It prints requests per second and latency percentiles for the seeds
(the baseline: the same server, the same mix, a 5-report index) beside the large index,
each twice: with the mix's fixed queries ("repeated": what the page cache serves once a
page has been seen) and with a word drawn from the corpus for every search ("fresh":
almost every request is computed).

    python bench/bench_load.py [--clients 8] [--seconds 20] [--reports 300] [--json]
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import generate  # noqa: E402

from indexer.build import build_index  # noqa: E402
from indexer.compare import task_matrix  # noqa: E402
from indexer.compare.units import group_reports  # noqa: E402
from indexer.query import open_index  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FAZHI = Path(sys.executable).parent / "fazhi"
WORDS = ["公职律师", "法律顾问", "行政复议", "普法", "依法行政", "合法性审查", "政务公开", "执法"]
PHRASES = ["公职律师", "法律顾问", "行政复议", "谁执法谁普法"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def q(value: str) -> str:
    return quote(value, safe="")


def vocabulary(index_dir: Path, size: int = 3000) -> list[str]:
    """Two- to four-character words that occur in the corpus: queries no cache has seen."""
    rng = random.Random(5)
    words: set[str] = set()
    with open_index(index_dir) as idx:
        texts = [p.text for r in idx.all_reports()[:200] for p in r.paragraphs if len(p.text) > 20]
    while len(words) < size and texts:
        text = rng.choice(texts)
        n = rng.choice((2, 2, 3, 4))
        start = rng.randrange(0, max(1, len(text) - n))
        word = text[start : start + n]
        if all("\u4e00" <= ch <= "\u9fff" for ch in word):
            words.add(word)
    return sorted(words)


def request_mix(index_dir: Path, fresh: bool = False) -> list[tuple[float, object, bool]]:
    """(weight, path or path maker, htmx) — a working session's requests in proportion.

    ``fresh``: searches, report highlights and query comparisons use a word drawn from
    the corpus each time, so almost every request misses the page cache.
    """
    with open_index(index_dir) as idx:
        reports = idx.reports()
        tasks = [t.id for t in task_matrix(idx).tasks][:6]
        units = [k for k, members in group_reports(reports).items() if len(members) > 1][:6]
    ids = [m.id for m in reports]
    years = sorted({m.year for m in reports if m.year})
    vocab = vocabulary(index_dir) if fresh else []

    def word(rng: random.Random, fixed: str) -> str:
        return rng.choice(vocab) if fresh else fixed

    mix: list[tuple[float, object, bool]] = []
    for w in WORDS:
        mix.append((3, lambda r, w=w: f"/?q={q(word(r, w))}", False))
        mix.append((3, lambda r, w=w: f"/?q={q(word(r, w))}", True))
        mix.append((2, lambda r, w=w: f"/api/search?q={q(word(r, w))}&limit=20", False))
        if years:
            mix.append((1, lambda r, w=w: f"/?q={q(word(r, w))}&year={years[-1]}", True))
        mix.append((1, lambda r, w=w: f"/?q={q(word(r, w))}&page=2", True))
    for phrase in PHRASES:
        mix.append((2, lambda r, p=phrase: f"/?q={q(chr(34) + word(r, p) + chr(34))}", True))
    pick = random.Random(3)
    for report_id in pick.sample(ids, min(8, len(ids))):
        fixed = pick.choice(WORDS)
        mix.append(
            (
                1.5,
                lambda r, i=report_id, f=fixed: (
                    f"/reports/{q(r.choice(ids) if fresh else i)}?q={q(word(r, f))}"
                ),
                False,
            )
        )
    for task in tasks:
        mix.append((1, f"/compare/tasks?task={q(task)}", True))
    mix.append((1, lambda r: f"/compare/tasks?q={q(word(r, '公职律师'))}", True))
    for unit in units:
        mix.append((0.5, f"/compare/years?unit={q(unit)}", True))
    mix.append((1, "/reports", False))
    return mix


class Client(threading.Thread):
    def __init__(self, port: int, mix, stop_at: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.port, self.mix, self.stop_at = port, mix, stop_at
        self.rng = random.Random(seed)
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.slowest: tuple[float, str] = (0.0, "")

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        weights = [w for w, _, _ in self.mix]
        while time.monotonic() < self.stop_at:
            _, path, htmx = self.rng.choices(self.mix, weights)[0]
            path = path(self.rng) if callable(path) else path
            headers = {"HX-Request": "true"} if htmx else {}
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                self.errors.append(f"{path}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                continue
            self.latencies.append(time.perf_counter() - start)
            self.slowest = max(self.slowest, (self.latencies[-1], path))
            if response.status != 200:
                self.errors.append(f"{path}: HTTP {response.status}")
        conn.close()


def serve(index_dir: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [str(FAZHI), "serve", "--index", str(index_dir), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    )
    line = proc.stdout.readline()
    if f":{port}/" not in line:
        proc.kill()
        raise SystemExit(f"fazhi serve did not start: {line!r}")
    return proc


def load(index_dir: Path, clients: int, seconds: float, fresh: bool) -> dict:
    mix = request_mix(index_dir, fresh)
    port = free_port()
    proc = serve(index_dir, port)
    try:
        warm = [Client(port, mix, time.monotonic() + 3, seed=100 + n) for n in range(2)]
        for c in warm:
            c.start()
        for c in warm:
            c.join()
        stop_at = time.monotonic() + seconds
        started = time.monotonic()
        workers = [Client(port, mix, stop_at, seed=n) for n in range(clients)]
        for c in workers:
            c.start()
        for c in workers:
            c.join()
        elapsed = time.monotonic() - started
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    latencies = sorted(t for c in workers for t in c.latencies)
    errors = [e for c in workers for e in c.errors]
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "first_errors": errors[:3],
        "slowest": sorted((c.slowest for c in workers), reverse=True)[:3],
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--reports", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--slowest", action="store_true", help="Name the slowest requests.")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "corpus"
        generate(big, 10**9, reports=args.reports)
        for name, corpus in (("seeds", ROOT / "corpus"), (f"{args.reports} reports", big)):
            index_dir = Path(tmp) / f"index-{len(rows)}"
            summary = build_index(corpus, index_dir)
            for mode in ("repeated", "fresh"):
                row = {"corpus": name, "queries": mode, "reports": summary.reports}
                row |= {"paragraphs": summary.paragraphs}
                row |= load(index_dir, args.clients, args.seconds, fresh=mode == "fresh")
                rows.append(row)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    print(f"{args.clients} concurrent clients, {args.seconds:g} s per corpus, keep-alive")
    print(
        f"{'corpus':<12} {'reports':>7} {'¶':>6} {'requests':>8} {'errors':>6} "
        f"{'rps':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    )
    for r in rows:
        print(
            f"{r['corpus']:<12} {r['queries']:<9} {r['reports']:>7} {r['paragraphs']:>6} {r['requests']:>8} "
            f"{r['errors']:>6} {r['rps']:>6} {r['p50_ms']:>7} {r['p95_ms']:>7} {r['p99_ms']:>7}"
        )
        for e in r["first_errors"]:
            print(f"  error: {e}")
        if args.slowest:
            for seconds, path in r["slowest"]:
                print(f"  slowest: {seconds * 1000:.0f} ms {path}")


if __name__ == "__main__":
    main()
