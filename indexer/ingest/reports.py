"""One report file → a ``Report``: structure, metadata, manifest overrides and an id.

Kept apart from ``parse``/``metadata`` because it is where the two meet: the year
found in the text feeds back into section detection (a heading "2023年工作计划" is a
plan only in a 2022 report), and a manifest entry beats anything read from the text.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from ..model import Report, ReportMeta
from .metadata import apply_hints, extract
from .parse import parse_lines

# Bump when parsing or metadata rules change what a file yields: the build re-reads every
# file whose fingerprint was made under another version (2: gazetteer districts, unit-name
# checks, evidence).
PARSE_VERSION = "2"
MANIFEST_KEYS = ("unit", "district", "year", "date", "title", "unit_key", "id", "url")


def parse_report(
    text: str,
    file: str,
    override: dict[str, Any] | None = None,
    hints: dict[str, str] | None = None,
) -> Report:
    """Parse ``text`` (the decoded contents of ``file``) into a report with metadata.

    ``hints`` are what the file's container says (an HTML page's meta tags); they
    fill only what the text leaves unknown, and the manifest beats both.
    """
    override = override or {}
    hints = hints or {}
    paragraphs = parse_lines(text)
    meta = apply_hints(extract(paragraphs), hints)
    year = override.get("year", meta.year)
    if year is not None:
        paragraphs = parse_lines(text, int(year))
        meta = apply_hints(extract(paragraphs), hints)
    values = {
        "unit": meta.unit,
        "district": meta.district,
        "year": meta.year,
        "date": meta.date,
        "title": meta.title,
    }
    evidence = dict(meta.evidence)
    for key in ("unit", "district"):
        if key in override:
            evidence[key] = {"from": "manifest"}
    values.update({k: v for k, v in override.items() if k in values})
    if values["year"] is not None:
        values["year"] = int(values["year"])
    report_meta = ReportMeta(
        id=str(override.get("id") or ""),
        file=file,
        paragraphs=len(paragraphs),
        sha1=hashlib.sha1(text.encode("utf-8")).hexdigest(),
        unit_key=str(override.get("unit_key") or ""),
        url=str(override.get("url") or hints.get("url") or "") or None,
        evidence=evidence,
        **values,
    )
    return Report(meta=report_meta, paragraphs=paragraphs)


def base_id(meta: ReportMeta) -> str:
    """A readable, stable id from what the report is: district-unit-year."""
    parts = [meta.district or "", meta.unit or "未知单位", str(meta.year or "未知年份")]
    slug = "-".join(p for p in parts if p)
    return re.sub(r"[\s/\\?#%&]+", "_", slug)


def assign_id(meta: ReportMeta, taken: set[str]) -> str:
    """Keep a manifest id; otherwise district-unit-year, suffixed by a file hash if taken."""
    if meta.id and meta.id not in taken:
        return meta.id
    candidate = base_id(meta)
    if candidate in taken:
        candidate = f"{candidate}-{hashlib.sha1(meta.file.encode('utf-8')).hexdigest()[:6]}"
    return candidate
