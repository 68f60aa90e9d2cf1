"""Unchanged reports of an incremental build, read from disk only if something needs them.

An update that finds nothing changed (files touched, or only re-saved) must not read
10⁴ per-report files to learn so: their metadata comes from the generation's one
``metas.json``, and the paragraphs of a kept report are read on first access — which
only the build-time passes over every report (reuse detection) make.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..model import Paragraph, Report, ReportMeta
from . import catalog


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

    def get(self, report_id: str) -> Report | None:
        """A lazy report, or None when the generation does not list it (read it again)."""
        if self._metas is None:
            self._metas = {m.id: m for m in catalog.load_metas(self.gen)}
        meta = self._metas.get(report_id)
        if meta is None or not catalog.report_path(self.gen, report_id).is_file():
            return None
        gen = self.gen
        return LazyReport(meta, lambda: catalog.load_report(gen, report_id))
