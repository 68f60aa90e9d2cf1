"""Which method finds "similar passages" best: BM25 more-like-this or shingles (MinHash).

Relevance is judged with the task taxonomy (``indexer/data/tasks.toml``), which the
methods never see: a retrieved paragraph of another report is relevant when it addresses
a task the source paragraph addresses (by keywords, not by section).  For every seed
paragraph that addresses a task we retrieve 10 and report mean precision@5 and MAP@10,
plus R-precision for the 法律顾问 paragraphs (do the other units' 法律顾问 paragraphs
come first?).  Methods:

* ``mlt``     — the store's BM25 more-like-this (``indexer.store.similar``), as shipped;
* ``mlt-flat``— the same without sub-words of compounds or the heading as topic;
* ``jaccard`` — exact Jaccard similarity of character 3-shingle sets of the folded
  text: the value MinHash estimates, so an upper bound of any MinHash/LSH variant.

Then, on a generated corpus (``--paragraphs``), the latency of ``mlt`` beside a brute
force Jaccard scan (what MinHash without LSH costs).

    python bench/bench_similar.py [--paragraphs 10000] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import generate  # noqa: E402

from indexer.build import build_index  # noqa: E402
from indexer.compare.tasks import classify_text, load_tasks  # noqa: E402
from indexer.fold import fold  # noqa: E402
from indexer.query import open_index  # noqa: E402
from indexer.store import similar  # noqa: E402

SEEDS = Path(__file__).resolve().parent.parent / "corpus"
K = 10


def shingles(text: str, n: int = 3) -> set[str]:
    folded = fold(text)
    return {folded[i : i + n] for i in range(max(len(folded) - n + 1, 1))}


def jaccard_rank(source, corpus, limit):
    """(report, paragraph) of the ``limit`` best by Jaccard of 3-shingles, other reports."""
    mine = shingles(source[2])
    scored = []
    for report, number, _text, grams in corpus:
        if report == source[0] or not grams:
            continue
        scored.append((len(mine & grams) / len(mine | grams), report, number))
    scored.sort(key=lambda x: -x[0])
    return [(r, n) for _, r, n in scored[:limit]]


def mlt_rank(idx, source, limit, flat=False):
    if not flat:
        return [(h.report, h.paragraph) for h in idx.similar(source[0], source[1], limit).hits]
    saved = similar.sub_words, similar.TOPIC_TF
    similar.sub_words, similar.TOPIC_TF = (lambda searcher, word: []), 0
    try:
        return [(h.report, h.paragraph) for h in idx.similar(source[0], source[1], limit).hits]
    finally:
        similar.sub_words, similar.TOPIC_TF = saved


def quality(idx) -> dict:
    tasks = [t for t in load_tasks() if t.keywords]
    rows = [
        (r.meta.id, p.number, p.text, r.meta.unit)
        for r in idx.all_reports()
        for p in r.paragraphs
        if p.kind not in ("site", "title", "addressee", "closing")
    ]
    about = {(r, n): set(classify_text(text, tasks)) for r, n, text, _ in rows}
    corpus = [(r, n, text, shingles(text)) for r, n, text, _ in rows]
    sources = [row for row in rows if about[(row[0], row[1])]]
    methods = {
        "mlt": lambda s: mlt_rank(idx, s, K),
        "mlt-flat": lambda s: mlt_rank(idx, s, K, flat=True),
        "jaccard": lambda s: jaccard_rank(s, corpus, K),
    }
    out = {}
    for name, rank in methods.items():
        p5, ap, rprec = [], [], []
        for source in sources:
            key = (source[0], source[1])
            relevant = {
                other for other, t in about.items() if other[0] != source[0] and t & about[key]
            }
            got = rank(source)
            flags = [hit in relevant for hit in got]
            p5.append(sum(flags[:5]) / 5)
            hits, precisions = 0, []
            for i, flag in enumerate(flags, start=1):
                if flag:
                    hits += 1
                    precisions.append(hits / i)
            ap.append(sum(precisions) / min(len(relevant), K) if relevant else 0.0)
            if "法律顾问" in source[2]:
                wanted = {
                    (r, n)
                    for r, n, text, u in rows
                    if "法律顾问" in text and u != source[3] and r != source[0]
                }
                top = got[: len(wanted)]
                rprec.append(sum(h in wanted for h in top) / len(wanted) if wanted else 1.0)
        out[name] = {
            "sources": len(sources),
            "p_at_5": round(statistics.mean(p5), 3),
            "map_at_10": round(statistics.mean(ap), 3),
            "lawyer_r_precision": round(statistics.mean(rprec), 3),
        }
    return out


def latency(n: int, work: Path) -> dict:
    corpus_dir, index_dir = work / "corpus", work / "index"
    generate(corpus_dir, n)
    build_index(corpus_dir, index_dir)
    with open_index(index_dir) as idx:
        rows = [(r.meta.id, p.number, p.text) for r in idx.all_reports() for p in r.paragraphs]
        corpus = [(r, num, text, shingles(text)) for r, num, text in rows]
        picks = rows[:: max(len(rows) // 20, 1)][:20]
        mlt, jac = [], []
        for source in picks:
            start = time.perf_counter()
            idx.similar(source[0], source[1], 20)
            mlt.append((time.perf_counter() - start) * 1000)
        for source in picks[:5]:
            start = time.perf_counter()
            jaccard_rank(source, corpus, 20)
            jac.append((time.perf_counter() - start) * 1000)
    return {
        "paragraphs": len(rows),
        "mlt_p50_ms": round(statistics.median(mlt), 1),
        "mlt_max_ms": round(max(mlt), 1),
        "jaccard_scan_p50_ms": round(statistics.median(jac), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=10000, help="0 skips latency")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fazhi-similar-") as tmp:
        build_index(SEEDS, Path(tmp) / "seeds")
        with open_index(Path(tmp) / "seeds") as idx:
            result = {"quality": quality(idx)}
        if args.paragraphs:
            result["latency"] = latency(args.paragraphs, Path(tmp) / "gen")
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for name, q in result["quality"].items():
        print(
            f"{name:9} P@5 {q['p_at_5']:.3f}  MAP@10 {q['map_at_10']:.3f}  "
            f"法律顾问 R-precision {q['lawyer_r_precision']:.3f}  ({q['sources']} sources)"
        )
    if "latency" in result:
        lat = result["latency"]
        print(
            f"{lat['paragraphs']} paragraphs: mlt p50 {lat['mlt_p50_ms']} ms "
            f"(max {lat['mlt_max_ms']}), Jaccard scan p50 {lat['jaccard_scan_p50_ms']} ms"
        )


if __name__ == "__main__":
    main()
