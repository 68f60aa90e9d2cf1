"""The report audit: what reviewers of these reports check, one row per report.

《法治政府建设与责任落实督察工作规定》 fixes five parts and a deadline (第二十四条:
reports are published before 1 April of the following year); studies of published
reports count by hand what is missing ("公布不及时、结构不统一、运用事例少").  This
module counts it for every report, from what the index already holds:

- **parts** — for each statutory part, where the report has it: ``heading`` (a heading
  names the part), ``text`` (no heading, but the text reports it: a shortcomings
  paragraph inside the achievements, the principal leader's duties described among the
  measures), or ``None``.  The plans are not a report on the year, so a plan "to fulfil
  the first-responsibility duties" does not count as reporting on them.  其他 is a
  heading named 其他…, or (``text``) an overview outside the four parts (the opening).
- **on time** — ``yes`` when the report's date (its signature date line, or the page's
  publication date) is on or before 31 March of the year after the year reported on,
  ``late`` after it, ``unknown`` when the date or the year is not known.  Never guessed.
- **size** — characters and paragraphs of substantive text (no title, site lines,
  signature); **figures** — concrete numbers with a counter (``figures.extract``), and
  per thousand characters.
- **reuse** — shares of the substantive text found at build time (``reuse``) in the
  unit's previous-year report, in one other unit's report (``copied``), or in three or
  more units' (``boilerplate``).

Rows are plain dataclasses; ``to_dict`` is the JSON ``fazhi audit --json`` prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..fold import fold
from ..model import SECTIONS, Report, ReportMeta
from . import figures as fig
from .units import group_reports

SUBSTANTIVE = frozenset({"opening", "heading", "body"})
NOT_COUNTED = re.compile(r"[\W_]+")  # characters are counted without punctuation or spaces
DIGIT = re.compile(r"\d")
VERSION = 1
OTHER_HEADING = re.compile(r"^[（(]?[一二三四五六七八九十\d]{0,3}[）)、.．]?\s*其他|其它")
# the principal leader's duties reported in running text (not as a plan)
LEADERSHIP_TEXT = re.compile(
    r"第一责任人|主要负责(人|同志)[^。；]{0,30}(履行|责任|职责|带头|主持|亲自|部署)|述法"
    r"(?=[^。；]{0,12}(主要负责|一把手|党政主要))"
)
ON_TIME = ("yes", "late", "unknown")


@dataclass
class PartFound:
    """Where a statutory part was found: how (heading / text) and the first paragraph."""

    how: str
    paragraph: int

    def to_dict(self) -> dict:
        return {"how": self.how, "paragraph": self.paragraph}


@dataclass
class AuditRow:
    report: ReportMeta
    unit_key: str
    parts: dict[str, PartFound | None]
    due: str | None
    on_time: str
    chars: int
    paragraphs: int
    figures: int
    previous: str | None = None  # id of the unit's report of the year before, if indexed
    reuse: dict[str, float] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        return [s for s in SECTIONS if self.parts.get(s) is None]

    @property
    def figures_per_1k(self) -> float:
        return round(1000 * self.figures / self.chars, 2) if self.chars else 0.0

    def to_dict(self) -> dict:
        return {
            "report": self.report.id,
            "unit": self.report.unit,
            "district": self.report.district,
            "year": self.report.year,
            "date": self.report.date,
            "title": self.report.title,
            "unit_key": self.unit_key,
            "parts": {s: (p.to_dict() if p else None) for s, p in self.parts.items()},
            "parts_present": sum(p is not None for p in self.parts.values()),
            "missing": self.missing,
            "due": self.due,
            "on_time": self.on_time,
            "chars": self.chars,
            "paragraphs": self.paragraphs,
            "figures": self.figures,
            "figures_per_1k": self.figures_per_1k,
            "previous": self.previous,
            "reuse": {k: round(v, 3) for k, v in self.reuse.items()},
        }


def parts_of(report: Report) -> dict[str, PartFound | None]:
    """The five statutory parts: by heading first, else by what the text reports."""
    found: dict[str, PartFound | None] = dict.fromkeys(SECTIONS)
    for p in report.paragraphs:
        if p.kind not in SUBSTANTIVE:
            continue
        text = p.text  # the patterns are CJK words, which NFKC leaves alone
        named_other = p.kind == "heading" and OTHER_HEADING.search(text)
        if named_other:
            section, how = "other", "heading"
        elif p.kind == "heading" or (p.heading and p.text.startswith(p.heading[-1])):
            section, how = p.section, "heading"
        else:
            section, how = p.section, "text"
        if p.kind == "opening":
            section = "other"
        if found[section] is None or (found[section].how == "text" and how == "heading"):
            found[section] = PartFound(how, p.number)
        if (
            found["leadership"] is None
            and p.section not in ("plans", "leadership")
            and LEADERSHIP_TEXT.search(text)
        ):
            found["leadership"] = PartFound("text", p.number)
    return found


def deadline(year: int | None) -> str | None:
    """Last day to publish the report on ``year``: 31 March of the next year (第二十四条)."""
    return f"{year + 1}-03-31" if year is not None else None


def timeliness(meta: ReportMeta) -> str:
    due = deadline(meta.year)
    if due is None or not meta.date or not re.match(r"^\d{4}-\d{2}-\d{2}$", meta.date):
        return "unknown"
    return "yes" if meta.date <= due else "late"


def _size(text: str) -> int:
    return len(NOT_COUNTED.sub("", text))


def _figures(text: str) -> int:
    """How many figures ``figures.extract`` finds, counted without locating them."""
    return len(fig.FIGURE.findall(fold(text))) if DIGIT.search(text) else 0


def _reuse_shares(report: Report, reuse: dict, previous: str | None) -> dict[str, float]:
    """Shares of the opening and body text shared with the previous year / other units."""
    passages = reuse.get("passages", [])
    spans = reuse.get("spans", {}).get(report.meta.id, {})
    total = 0
    marked: dict[str, int] = {"previous_year": 0, "copied": 0, "boilerplate": 0}
    for p in report.paragraphs:
        if p.kind not in ("opening", "body"):
            continue
        total += _size(p.text)
        covered: dict[str, list[tuple[int, int]]] = {k: [] for k in marked}
        for start, end, n, kind in spans.get(str(p.number), []):
            if kind in covered:
                covered[kind].append((start, end))
            if previous and previous in _passage(passages, n).get("reports", ()):
                covered["previous_year"].append((start, end))
        for kind, ranges in covered.items():
            marked[kind] += _covered(p.text, ranges)
    return {k: (v / total if total else 0.0) for k, v in marked.items()}


def _passage(passages: Sequence | Mapping, name: int | str) -> Mapping:
    """A passage by its key (``store.reuse_rows``) or, in a whole table, its number."""
    if isinstance(passages, Mapping):
        return passages.get(name) or {}
    return passages[name] if isinstance(name, int) and name < len(passages) else {}


def _covered(text: str, ranges: list[tuple[int, int]]) -> int:
    """Counted characters of ``text`` inside the union of ``ranges``."""
    size, end_seen = 0, 0
    for start, end in sorted(ranges):
        start = max(start, end_seen)
        if end > start:
            size += _size(text[start:end])
            end_seen = end
    return size


def audit_report(report: Report, reuse: dict, unit_key: str, previous: str | None) -> AuditRow:
    substantive = [p for p in report.paragraphs if p.kind in SUBSTANTIVE]
    return AuditRow(
        report=report.meta,
        unit_key=unit_key,
        parts=parts_of(report),
        due=deadline(report.meta.year),
        on_time=timeliness(report.meta),
        chars=sum(_size(p.text) for p in substantive),
        paragraphs=len(substantive),
        figures=sum(_figures(p.text) for p in substantive),
        previous=previous,
        reuse=_reuse_shares(report, reuse, previous),
    )


def previous_years(metas: Iterable[ReportMeta]) -> tuple[dict[str, str], dict[str, str]]:
    """(report id → its unit's key, report id → the unit's report of the year before)."""
    key_of: dict[str, str] = {}
    before: dict[str, str] = {}
    for key, members in group_reports(metas).items():
        by_year: dict[int, str] = {}
        for m in members:
            key_of[m.id] = key
            if m.year is not None:
                by_year.setdefault(m.year, m.id)
        for m in members:
            if m.year is not None and m.year - 1 in by_year:
                before[m.id] = by_year[m.year - 1]
    return key_of, before


def build_audit(reports: list[Report], reuse: dict) -> dict:
    """Every report's audit facts, JSON-ready, made at index build time (``audit.json``):
    the build has every report in memory already, so the page needs no report files."""
    key_of, before = previous_years(r.meta for r in reports)
    rows = {
        r.meta.id: audit_facts(r, reuse, key_of[r.meta.id], before.get(r.meta.id)) for r in reports
    }
    return {"version": VERSION, "reports": rows}


def audit_facts(report: Report, reuse: dict, unit_key: str, previous: str | None) -> dict:
    """One report's row of ``audit.json``."""
    row = audit_report(report, reuse, unit_key, previous)
    return {
        "unit_key": row.unit_key,
        "parts": {s: (p.to_dict() if p else None) for s, p in row.parts.items()},
        "chars": row.chars,
        "paragraphs": row.paragraphs,
        "figures": row.figures,
        "previous": row.previous,
        "reuse": row.reuse,
    }


def _row_of(meta: ReportMeta, facts: dict) -> AuditRow:
    parts = {s: (PartFound(**p) if p else None) for s, p in facts["parts"].items()}
    return AuditRow(
        report=meta,
        unit_key=facts["unit_key"],
        parts=parts,
        due=deadline(meta.year),
        on_time=timeliness(meta),
        chars=facts["chars"],
        paragraphs=facts["paragraphs"],
        figures=facts["figures"],
        previous=facts["previous"],
        reuse=facts["reuse"],
    )


def audit(idx: Any) -> list[AuditRow]:
    """One row per indexed report, in the index's report order (unit, year, id); made
    once per index generation and shared by every handle on it (rows are read-only)."""
    return idx.derived("audit", _audit)


def _audit(idx: Any) -> list[AuditRow]:
    metas = idx.reports()
    stored = idx.audit_rows()
    if stored and stored.get("version") == VERSION:
        facts = stored["reports"]
        if all(m.id in facts for m in metas):
            return [_row_of(m, facts[m.id]) for m in metas]
    # an index built before audit.json existed: compute from the reports themselves
    reports = [r for r in (idx.report(m.id) for m in metas) if r is not None]
    facts = build_audit(reports, idx.reuse_of())["reports"]
    return [_row_of(r.meta, facts[r.meta.id]) for r in reports]
