"""The columns of the report metadata every search needs, in one small file per generation.

A search needs each report's id, unit, district and year (facets, 未提及 and the year
spread: ``indexer.coverage``), never its title, evidence or checksum.  Reading them
from ``metas.json`` meant parsing every report's whole metadata before the first answer
(0.14 s for 2.2 MB at 100k paragraphs, ten times that at 1M); ``report-table.json``
holds only those four columns, rows in id order, and parses in about a hundredth of
the time.  ``catalog.write_reports`` writes it with ``metas.json``, so both always
describe the same reports; a generation built before it existed has none, and
``indexer.coverage`` then reads ``metas.json``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model import ReportMeta

TABLE_FILE = "report-table.json"
COLUMNS = ("id", "unit", "district", "year")


def table_columns(metas: Iterable[ReportMeta]) -> dict[str, list]:
    """{"id": [...], "unit": [...], "district": [...], "year": [...]}, rows by id."""
    rows = sorted(metas, key=lambda m: m.id)
    return {name: [getattr(m, name) for m in rows] for name in COLUMNS}


def well_formed(data: object) -> bool:
    """Whether ``data`` is such a table: the four columns, lists of one length."""
    if not isinstance(data, dict) or not all(isinstance(data.get(n), list) for n in COLUMNS):
        return False
    return len({len(data[n]) for n in COLUMNS}) == 1
