"""What a build that changes nothing reports and records, without reading any report.

An update that finds every file unchanged (the usual case when a file was only
touched, copied back or re-saved) used to read ``metas.json`` and make a report object
per file just to count them and list their unknown fields — most of a no-change run at
47k reports.  The build that wrote the generation stores those facts in its
``catalog.json`` (``summary``), and a no-change run answers from them.

A touched file is read and hashed once; its new size and mtime are then recorded in
``stat-overlay.json`` beside the live generation's catalog (a small file replaced
through a rename, which the next build reads over the catalog's stat keys), so the
next run trusts the stat again instead of hashing the file on every run.  An entry is
written only for a file whose content hash equals the catalog's, so the overlay never
vouches for content the generation does not hold; a new generation has every file's
stat key in its catalog and starts without an overlay.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from .errors import CorruptIndex
from .model import BuildSummary, Report
from .store import catalog

STAT_OVERLAY = "stat-overlay.json"
UNKNOWN_FIELDS = ("unit", "district", "year", "date", "title")


def unknown_fields(reports: list[Report]) -> dict[str, list[str]]:
    """Field -> ids of the reports whose metadata lacks it."""
    unknown: dict[str, list[str]] = {}
    for r in reports:
        for name in UNKNOWN_FIELDS:
            if getattr(r.meta, name) is None:
                unknown.setdefault(name, []).append(r.meta.id)
    return unknown


def unchanged_summary(
    old_catalog: dict, old_files: dict[str, dict], skipped: list, problems: list[str]
) -> BuildSummary:
    """The summary of a run that found nothing to change, from the catalog alone."""
    facts = old_catalog["summary"]
    return BuildSummary(
        reports=len(old_files),
        paragraphs=int(old_catalog.get("paragraphs", 0)),
        added=[],
        updated=[],
        removed=[],
        unchanged=len(old_files),
        skipped=skipped,
        unknown=facts.get("unknown", {}),
        problems=problems + list(facts.get("duplicates", [])),
        formats=dict(Counter(entry.get("format") for entry in old_files.values())),
    )


def with_stat_overlay(gen: Path, files: dict[str, dict]) -> dict[str, dict]:
    """The catalog's file table with the stat keys recorded since it was written."""
    try:
        overlay = catalog.read_json(gen / STAT_OVERLAY, {})
    except CorruptIndex:
        return files  # a damaged overlay costs hashing the touched files again
    if not isinstance(overlay, dict) or not overlay:
        return files
    files = dict(files)
    for rel, key in overlay.items():
        if rel in files and isinstance(key, str):
            files[rel] = {**files[rel], "stat": key}
    return files


def record_stats(gen: Path, touched: dict[str, str]) -> None:
    """Add the new stat keys of files found unchanged by their hash to ``gen``'s overlay."""
    touched = {rel: key for rel, key in touched.items() if key}
    if not touched:
        return
    try:
        overlay = catalog.read_json(gen / STAT_OVERLAY, {})
    except CorruptIndex:
        overlay = {}
    overlay = overlay if isinstance(overlay, dict) else {}
    catalog.write_json(gen / STAT_OVERLAY, {**overlay, **touched})
