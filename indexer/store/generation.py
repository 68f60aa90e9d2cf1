"""What an index generation holds besides the search store, loaded once and shared.

A generation never changes after it is published, so everything read from it — report
metadata, parsed reports, reuse passages, task rows, and the store's per-document
columns — can be kept for as long as it is live.  The web UI opens a short-lived
``Index`` per request; handing each one the same ``IndexCache`` (owned by the app, not
by this module) means a request pays for a search, not for re-reading the catalog.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model import Report, ReportMeta
from . import catalog
from .pool import StorePool
from .sharing import share_repeats

REPORTS_KEPT = 2000  # parsed reports kept per generation (a hit page reads a few)


class GenerationData:
    """Lazily loaded, read-only contents of one generation directory."""

    def __init__(self, gen: Path) -> None:
        self.gen = gen
        self._lock = threading.Lock()
        self._metas: dict[str, ReportMeta] | None = None
        self._sorted: list[ReportMeta] | None = None
        self._reports: dict[str, Report] = {}
        self._json: dict[str, Any] = {}
        self._derived: dict[str, Any] = {}
        self.columns: dict = {}  # store columns by name (CodedColumn), for the whole index
        self.folded: dict[str, list[bytes]] = {}  # folded text column by segment id
        self.stores = StorePool()  # open stores between requests (web app only)
        self.identity: tuple[int, int] = (0, 0)  # set by IndexCache (folder_identity)

    def metas(self) -> dict[str, ReportMeta]:
        if self._metas is None:
            with self._lock:
                if self._metas is None:
                    metas = catalog.load_metas(self.gen)
                    share_repeats(metas)  # kept while the generation is live: no repeats
                    self._metas = {m.id: m for m in metas}
        return self._metas

    def sorted_metas(self) -> list[ReportMeta]:
        if self._sorted is None:
            metas = self.metas().values()
            self._sorted = sorted(metas, key=lambda m: (m.unit or "", m.year or 0, m.id))
        return self._sorted

    def report(self, report_id: str, known: bool = False) -> Report | None:
        """``known``: the id comes from this generation's own store (a hit), so it need
        not be looked up in ``metas.json`` — a search then never parses that file."""
        if not known and report_id not in self.metas():
            return None
        report = self._reports.get(report_id)
        if report is None:
            packs = self.memo("pack-lookup", lambda: catalog.pack_lookup(self.gen))
            report = catalog.load_report(self.gen, report_id, packs)
            if report is not None:
                with self._lock:  # the oldest goes first: memory stays bounded
                    while len(self._reports) >= REPORTS_KEPT:
                        self._reports.pop(next(iter(self._reports)))
                    self._reports[report_id] = report
        return report

    def memo(self, name: str, make: Callable[[], Any]) -> Any:
        """A value derived from this generation (e.g. the audit table), made once."""
        if name not in self._derived:
            value = make()
            with self._lock:
                self._derived.setdefault(name, value)
        return self._derived[name]

    def json(self, name: str, default: Any) -> Any:
        """``reuse.json``, ``tasks.json``, ``catalog.json``: read once."""
        if name not in self._json:
            self._json[name] = catalog.read_json(self.gen / name, default)
        return self._json[name]


def folder_identity(gen: Path) -> tuple[int, int]:
    """Which folder ``gen`` is: a deleted and rebuilt index reuses the name, not the inode."""
    try:
        st = gen.stat()
    except OSError:
        return (0, 0)
    return (st.st_ino, st.st_mtime_ns)


class IndexCache:
    """Shares GenerationData between Index handles; keeps the newest ``keep`` generations."""

    def __init__(self, keep: int = 2) -> None:
        self.keep = keep
        self._lock = threading.Lock()
        self._by_gen: dict[Path, GenerationData] = {}

    def get(self, gen: Path) -> GenerationData:
        identity = folder_identity(gen)
        with self._lock:
            data = self._by_gen.get(gen)
            if data is not None and data.identity != identity:
                # same name, another folder: the index was deleted and built again
                self._by_gen.pop(gen).stores.close()
                data = None
            if data is None:
                data = self._by_gen[gen] = GenerationData(gen)
                data.identity = identity
                for old in list(self._by_gen)[: -self.keep]:
                    self._by_gen.pop(old).stores.close()
            return data
