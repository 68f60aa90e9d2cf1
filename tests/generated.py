"""A generated corpus for tests that need more reports than the seeds (bench/gen_corpus.py)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def generate_corpus(folder: Path, paragraphs: int = 10**9, **options) -> Path:
    """Write a generated corpus into ``folder`` (``options``: gen_corpus's ``body``,
    ``reports``) and return it."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from gen_corpus import generate
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generate(folder, paragraphs, **options)
    return folder
