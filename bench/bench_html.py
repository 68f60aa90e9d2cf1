"""HTML extractors on report pages in the layouts government sites use.

For every seed report and every layout in ``tests/format_samples.gov_page`` (TRS WCM
``.TRS_Editor``, Hanweb ``#zoom`` in GB2312, ``<br>``-separated, no known container),
counts how many of the report's paragraphs each extractor returns as a line of its
own, how many stray lines (chrome such as navigation or footer, or a paragraph broken
into pieces) come with them, and the time per
page.  Extractors: ours (lxml + site containers), trafilatura (default and
``favor_recall``), and selectolax with the same container list (``text(separator)``).

    .venv/bin/python bench/bench_html.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from format_samples import SEEDS, gov_page, split_title  # noqa: E402

from indexer.ingest.formats import html as ours  # noqa: E402

LAYOUTS = ("trs", "zoom", "br", "plain")
OPTIONAL = "trafilatura lxml_html_clean selectolax"  # measured against, not dependencies


def run_ours(data: bytes) -> str:
    return ours.extract(data).text


def run_trafilatura(data: bytes, recall: bool) -> str:
    import trafilatura

    page = ours.decode_page(data)
    return trafilatura.extract(page, favor_recall=recall, include_tables=True) or ""


def run_selectolax(data: bytes) -> str:
    from selectolax.lexbor import LexborHTMLParser as HTMLParser

    tree = HTMLParser(ours.decode_page(data))
    for tag in ("script", "style", "nav"):
        for node in tree.css(tag):
            node.decompose()
    for name in ours.CONTAINERS:
        node = tree.css_first(f".{name}") or tree.css_first(f"#{name}")
        if node is not None:
            return node.text(separator="\n", strip=True)
    return tree.body.text(separator="\n", strip=True) if tree.body else ""


EXTRACTORS = {
    "ours (lxml + containers)": run_ours,
    "trafilatura": lambda d: run_trafilatura(d, False),
    "trafilatura favor_recall": lambda d: run_trafilatura(d, True),
    "selectolax containers": run_selectolax,
}


def main() -> None:
    pages = []
    for seed in SEEDS:
        title, body = split_title(seed)
        title = title or "区政府办公室2022年法治政府建设年度报告"
        for layout in LAYOUTS:
            charset = "gb2312" if layout == "zoom" else "utf-8"
            pages.append((layout, [title, *body], gov_page(title, body, layout, charset)))
    print(f"{len(pages)} pages ({len(SEEDS)} seed reports x {len(LAYOUTS)} layouts)")
    print(
        f"{'extractor':28} {'paragraphs kept':>16} {'whole pages':>12} {'stray lines':>13} {'ms/page':>8}"
    )
    for name, fn in EXTRACTORS.items():
        try:
            fn(pages[0][2])
        except ImportError as exc:
            print(f"{name:28} not installed ({exc.name}): pip install {OPTIONAL}")
            continue
        kept = total = whole = chrome = 0
        started = time.perf_counter()
        per_layout: dict[str, list[int]] = {}
        for layout, want, data in pages:
            got = [line.strip() for line in fn(data).splitlines() if line.strip()]
            hit = sum(line in got for line in want)
            kept += hit
            total += len(want)
            whole += hit == len(want)
            chrome += sum(line not in want for line in got)
            per_layout.setdefault(layout, [0, 0])
            per_layout[layout][0] += hit
            per_layout[layout][1] += len(want)
        ms = (time.perf_counter() - started) * 1000 / len(pages)
        print(f"{name:28} {kept:>7}/{total:<8} {whole:>5}/{len(pages):<6} {chrome:>13} {ms:>8.1f}")
        print("    by layout: " + ", ".join(f"{k} {a}/{b}" for k, (a, b) in per_layout.items()))


if __name__ == "__main__":
    main()
