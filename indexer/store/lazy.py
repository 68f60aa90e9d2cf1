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
        self._held: set[str] | None = None
        self._index = None

    def get(self, report_id: str) -> Report | None:
        """A lazy report, or None when the generation does not hold it (read it again)."""
        if self._metas is None:
            self._metas = {m.id: m for m in catalog.load_metas(self.gen)}
            try:
                self._index = catalog.pack_index(self.gen)
            except CorruptIndex:  # a damaged pack index: every report is read again
                self._index = PackIndex(self.gen / "reports", {}, {})
            self._held = set(self._index.where) if self._index is not None else None
        meta = self._metas.get(report_id)
        if meta is None:
            return None
        if self._held is not None and report_id not in self._held:
            return None
        if self._held is None and not catalog.legacy_report_path(self.gen, report_id).is_file():
            return None  # an older index: one file per report (rewritten into a pack)
        gen, index = self.gen, self._index
        return LazyReport(meta, lambda: catalog.load_report(gen, report_id, index))
