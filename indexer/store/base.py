"""The store protocol: what ``query.py`` and ``build.py`` ask of a search engine.

Two engines sit behind it — the embedded Whoosh store (``whoosh.py``, the default) and a
SphinxQL cluster (``sphinx.py``) — and ``backend.py`` picks one per index.  Nothing above
``store/`` knows which: a store answers with plain dicts in a ``RawResult``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import StoreUnavailable
from ..model import Filters, Report

__all__ = ["FACET_FIELDS", "UNKNOWN", "RawResult", "Store", "StoreUnavailable", "StoreWriter"]

UNKNOWN = "未知"  # what a store holds for a unit, district or year the text does not say
FACET_FIELDS = ("report", "section")  # unit, district, year follow from the report


@dataclass
class RawResult:
    """One search as a store answers it.

    ``rows`` are the page of hits (at least ``report``, ``paragraph`` and ``score`` —
    ``Index.fill_row`` adds text, heading and metadata from the catalog when a store
    keeps only those — and ``shape`` —
    ``[kind, level, [[label, start, end], …]]`` — where the store keeps the parse of the
    paragraph, so comparisons need not read the report); ``counts`` the facet
    counts over every hit; ``terms`` the literal strings to highlight.  ``partial`` is true
    when part of the data could not be searched (a shard with every replica down);
    ``warnings`` then say which.
    """

    total: int
    rows: list[dict]
    counts: dict[str, dict[str, int]] = field(default_factory=dict)  # value: hits
    terms: list[str] = field(default_factory=list)
    partial: bool = False
    warnings: list[str] = field(default_factory=list)


class Store(Protocol):
    """An open store of one index generation, for searching."""

    def search(
        self, text: str, filters: Filters, limit: int | None, offset: int, sort: str
    ) -> RawResult: ...

    def close(self) -> None: ...

    def release_pages(self) -> None:
        """Let go of memory-mapped pages a request touched (a no-op where none are)."""


class StoreWriter(Protocol):
    """What a build writes through; an exception cancels the batch."""

    def replace_reports(
        self,
        reports: Iterable[Report],
        delete_ids: Iterable[str],
        on_report: Callable[[Report], None] | None = None,
    ) -> None: ...

    def close(self) -> None: ...


class LabelCounts(Mapping):
    """Facet counts kept as arrays: ``labels`` (a column's sorted distinct values, the
    same array for every search of a generation), the indexes of the ``held`` ones and
    their ``counts``.  A reader that knows the labels array maps the counts on with
    numpy (``coverage``: 47k reports at 1M paragraphs were a dict built here and taken
    apart again there); any other reader sees a read-only dict in label order."""

    def __init__(self, labels: Any, held: Any, counts: Any) -> None:
        self.labels, self.held, self.counts = labels, held, counts
        self._dict: dict | None = None

    def _as_dict(self) -> dict:
        if self._dict is None:
            keys = self.labels[self.held].tolist()
            self._dict = dict(zip(keys, self.counts.tolist(), strict=True))
        return self._dict

    def __getitem__(self, key: object) -> int:
        return self._as_dict()[key]

    def __iter__(self) -> Iterator:
        return iter(self._as_dict())

    def __len__(self) -> int:
        return len(self.held)
