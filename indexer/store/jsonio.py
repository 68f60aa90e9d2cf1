"""JSON for the generation's files, through orjson when it is installed.

A build that changes one report still rewrites the files that describe every report
(``metas.json``, ``reuse.json``, ``tasks.json``, ``audit.json``, ``catalog.json``):
with the standard library that was ~0.6 s of a 100k-paragraph edit and grows with the
corpus; orjson writes the same bytes (compact, UTF-8, insertion order) about ten times
faster and reads them 1.5-3 times faster (figures in the README's scale section).
Without it (an environment installed before it was a dependency) the standard
library writes the same bytes, slower.
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; this keeps old venvs working
    orjson = None


def dumps(data: Any) -> bytes:
    """Compact UTF-8 JSON; non-string keys become strings, as ``json.dumps`` makes them."""
    if orjson is not None:
        return orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes | str) -> Any:
    """Parsed JSON; a bad byte or a cut-off file raises a ``ValueError``."""
    return orjson.loads(data) if orjson is not None else json.loads(data)
