"""PDF text backends on the seed reports printed by Chromium: speed and exactness.

Prints each seed report to PDF (Debian's chromium through playwright, as the tests
do), then rebuilds paragraphs with ``indexer.ingest.formats.pdf.paragraphs`` from the
lines of two backends — pypdfium2 (what the indexer uses) and pdfplumber (pdfminer,
measured against, not a dependency) — and counts paragraphs equal to the .txt's and
the time per page.

    .venv/bin/python bench/bench_pdf.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from format_samples import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    SEEDS,
    print_html,
    print_pdf,
    split_title,
)

from indexer.ingest.formats import pdf  # noqa: E402
from indexer.ingest.formats.radicals import normalise_radicals  # noqa: E402

TITLES = {"万兴街-2022.txt": "万兴街2022年法治政府建设情况报告"}


def pdfium_paragraphs(data: bytes) -> tuple[list[str], int]:
    pages = pdf.read_pages(data)
    return normalise_radicals("\n".join(pdf.paragraphs(pages))).splitlines(), len(pages)


def pdfplumber_paragraphs(data: bytes) -> tuple[list[str], int]:
    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pages = []
    with pdfplumber.open(io.BytesIO(data)) as document:
        for page in document.pages:
            lines = [
                pdf.Line(ln["text"], ln["x0"], ln["x1"], ln["top"], ln["bottom"])
                for ln in page.extract_text_lines()
            ]
            pages.append(pdf.Page(float(page.width), float(page.height), lines))
    return normalise_radicals("\n".join(pdf.paragraphs(pages))).splitlines(), len(pages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    documents = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for seed in SEEDS:
            title, body = split_title(seed)
            title = title or TITLES.get(seed, "区政府办公室2022年法治政府建设工作报告")
            for style in ("indent", "ragged", "spaced"):
                html = print_html(title, body, style, radicals=True)
                documents.append(([title, *body], print_pdf(browser, html)))
        browser.close()
    print(f"{len(documents)} PDFs ({len(SEEDS)} seed reports x 3 layouts, radicals in the text)")
    print(f"{'backend':12} {'paragraphs equal':>17} {'whole reports':>14} {'ms/page':>8}")
    for name, read in (("pypdfium2", pdfium_paragraphs), ("pdfplumber", pdfplumber_paragraphs)):
        try:
            read(documents[0][1])
        except ImportError as exc:
            print(f"{name:12} not installed ({exc.name})")
            continue
        equal = total = whole = pages = 0
        started = time.perf_counter()
        for _ in range(args.repeat):
            for _want, data in documents:
                _got, n = read(data)
                pages += n
        elapsed = time.perf_counter() - started
        for want, data in documents:
            got, _ = read(data)
            equal += (
                sum(a == b for a, b in zip(want, got, strict=False))
                if len(got) == len(want)
                else sum(line in got for line in want)
            )
            total += len(want)
            whole += got == want
        print(
            f"{name:12} {equal:>8}/{total:<8} {whole:>6}/{len(documents):<7} "
            f"{1000 * elapsed / pages:>8.1f}"
        )


if __name__ == "__main__":
    main()
