"""Unchanged reports of an incremental build, read from disk only if something needs them.

An update that finds nothing changed (files touched, or only re-saved) must not read
10⁴ per-report files to learn so: their metadata comes from the generation's one
``metas.json``, and the paragraphs of a kept report are read on first access — which
only the build-time passes over every report (reuse detection) make.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import CorruptIndex
from ..model import Paragraph, Report, ReportMeta
from . import catalog
from .packs import PackIndex


class LazyReport(Report):
    """A ``Report`` whose paragraphs are loaded when first read."""

    def __init__(self, meta: ReportMeta, load: Callable[[], Report | None]) -> None:
        self.meta = meta
        self._load = load
        self._paragraphs: list[Paragraph] | None = None

    @property
    def paragraphs(self) -> list[Paragraph]:  # type: ignore[override]
        if self._paragraphs is None:
            report = self._load()
            self._paragraphs = report.paragraphs if report is not None else []
        return self._paragraphs

    @paragraphs.setter
    def paragraphs(self, value: list[Paragraph]) -> None:
        self._paragraphs = value


class KeptReports:
    """Metadata of a generation's reports, by id, from ``metas.json`` (read once)."""

    def __init__(self, gen: Path) -> None:
        self.gen = gen
        self._metas: dict[str, ReportMeta] | None = None
        self._held: dict | None = None
        self._index = None
        self._index_read = False

    def metas(self) -> list[ReportMeta]:
        """Every report of the generation (what its derived data was made from)."""
        self._load_metas()
        return list(self._metas.values())

    @property
    def pack_index(self) -> PackIndex | None:
        """The generation's pack index, read once for the whole build."""
        self._load_index()
        return self._index

    def _load_index(self) -> None:
        if not self._index_read:
            self._index_read = True
            try:
                self._index = catalog.pack_index(self.gen)
            except CorruptIndex:  # a damaged pack index: every report is read again
                self._index = PackIndex(self.gen / "reports", {}, {})
            self._held = self._index.where if self._index is not None else None

    def _load_metas(self) -> None:
        if self._metas is None:
            self._metas = {m.id: m for m in catalog.load_metas(self.gen)}

    def holds(self, report_id: str) -> bool:
        """Whether the generation holds the report's paragraphs (its pack index says so;
        an older index: its own file) — without reading ``metas.json``."""
        self._load_index()
        if self._held is not None:
            return report_id in self._held
        return catalog.legacy_report_path(self.gen, report_id).is_file()

    def get(self, report_id: str) -> Report | None:
        """A lazy report, or None when the generation does not hold it (read it again)."""
        self._load_metas()
        meta = self._metas.get(report_id)
        if meta is None or not self.holds(report_id):
            return None
        gen, index = self.gen, self._index
        return LazyReport(meta, lambda: catalog.load_report(gen, report_id, index))
