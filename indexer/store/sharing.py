"""One object for each repeated value in the report metadata a reader keeps.

A server holds every report's ``ReportMeta`` for as long as the index is live.  Parsed
from JSON, each of them owns its own copies of values most reports share: the unit and
district names, dates, and above all the ``evidence`` dicts (where the unit and district
were read from), which were 51 of the 70 MB the metadata took at 1M paragraphs (47k
reports, ~5k distinct evidence values).  ``share_repeats`` makes equal values one
object — the metadata read back exactly as before, only stored once.  The shared dicts
are never mutated: a generation is read-only, and a build makes its own metadata.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from ..model import ReportMeta
from . import jsonio

STRINGS = ("unit", "district", "date", "title", "unit_key", "url")


def share_repeats(metas: Iterable[ReportMeta]) -> None:
    """Point each meta's repeated strings and its evidence at one shared object."""
    strings: dict[str, str] = {}
    evidence: dict[bytes, dict] = {}
    for meta in metas:
        meta.id = sys.intern(meta.id)  # the tables keyed by id (counts, packs) share it
        for name in STRINGS:
            value = getattr(meta, name)
            if value is not None:
                setattr(meta, name, strings.setdefault(value, value))
        if meta.evidence:  # same bytes: same keys in the same order (repr unchanged)
            key = jsonio.dumps(meta.evidence)
            meta.evidence = evidence.setdefault(key, meta.evidence)
