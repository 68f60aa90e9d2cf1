"""Unit, district, year, date and title of a report, read from its text.

File names are never trusted: unit, district and year come from the title, the
signature or the opening, in that order of trust.  Whatever the text does not say
stays ``None`` so the build summary can list it — a guess would silently mislabel a
report in every facet and comparison.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..fold import fold
from .divisions import is_division, leading_division, names_in
from .parse import DATE_LINE, Paragraph, is_date_line
from .unitnames import GOVERNMENT, clean_unit

YEAR = re.compile(r"(?<![\d—\-－–~～至到])((?:19|20)\d{2})\s*年(?!\s*[—\-－–~～至到]\s*\d)")
CLAUSE_STOP = re.compile(
    r"按照|在|坚持|深入|认真|全面|以|围绕|紧密|紧紧|始终|聚焦|扎实|积极|持续|立足|高度|切实|"
    r"严格|着力|全力|进一步|牢固|不断|结合|贯彻|落实|把|将|对|为|从|紧扣|依法|主动|大力|狠抓"
)


@dataclass
class Metadata:
    unit: str | None
    district: str | None
    year: int | None
    date: str | None
    title: str | None
    evidence: dict = field(default_factory=dict)


def _years(text: str) -> list[int]:
    return [int(y) for y in YEAR.findall(fold(text))]


def report_year(title: str | None, opening: str | None, headings: list[str]) -> int | None:
    """The year reported on: title, then opening, then top headings; never a plan year."""
    for source in (title, opening):
        if source:
            found = _years(source)
            if found:
                return found[0]
    counted = Counter(y for h in headings for y in _years(h))
    return min(counted) if counted else None


def _subject_of_title(title: str) -> str | None:
    """The words before the year (or 关于) in a title: who reports."""
    t = re.sub(r"\s+", " ", title).strip()
    m = re.match(r"^(.+?)(?:关于)?\s*(?:(?:19|20)\d{2}\s*年度?)", t)
    if m and m.group(1).strip():
        return m.group(1).strip()
    m = re.match(r"^(?:(?:19|20)\d{2}\s*年度?)(.+?)(?:法治|依法|关于)", t)
    if m:
        return m.group(1)
    m = re.match(r"^(.+?)关于", t)
    return m.group(1) if m else None


def unit_from_title(title: str) -> str | None:
    subject = _subject_of_title(title)
    return clean_unit(subject) if subject else None


def _opening_subjects(opening: str) -> list[str]:
    """Candidate subjects of the opening's clauses: "2022年，区协同办按照…" → 区协同办."""
    heads = []
    for clause in re.split(r"[，,。；;]", opening):
        clause = re.sub(r"^(?:(?:19|20)\d{2}\s*年度?|今年以来|一年来|近年来)", "", clause.strip())
        stop = CLAUSE_STOP.search(clause)
        head = clause[: stop.start()] if stop else clause
        if 2 <= len(head) <= 30 and not head.startswith(("在", "我")):
            heads.append(head)
    return heads


def unit_from_opening(opening: str) -> str | None:
    """The unit as the subject of an opening clause: "2022年，区协同办按照…"."""
    return next((u for u in map(clean_unit, _opening_subjects(opening)) if u), None)


def above_county(unit: str | None) -> bool:
    """A province's, a city's or a ministry's unit: it has no district."""
    if not unit:
        return False
    if re.search(r"(省|自治区)|^市|[部厅]$", unit) and leading_division(unit) is None:
        return True
    city = re.match(r"^(?:中共)?([\u4e00-\u9fff]{2,4}?市)", unit)
    return bool(city) and not is_division(city.group(1)) and leading_division(unit) is None


def district_in_texts(texts: list[str]) -> tuple[str | None, list[str]]:
    """The one division named most often in ``texts`` (None on a tie), and all named."""
    counts: Counter[str] = Counter(name for text in texts for _, name in names_in(text))
    ranked = counts.most_common()
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None, [n for n, _ in ranked]
    return ranked[0][0], [n for n, _ in ranked]


def district_of(unit: str | None, texts: list[str]) -> str | None:
    """A district the unit's name or the report's text names (kept for callers)."""
    if unit and (found := leading_division(unit)):
        return found
    return None if above_county(unit) else district_in_texts(texts)[0]


def extract(paragraphs: list[Paragraph]) -> Metadata:
    """Metadata with ``evidence``: for unit and district, which line gave them (or the
    candidates that were rejected), so a wrong value can be traced and a null explained."""
    title_p = next((p for p in paragraphs if p.kind == "title"), None)
    opening_p = next((p for p in paragraphs if p.kind == "opening"), None)
    title = title_p.text if title_p else None
    opening = opening_p.text if opening_p else None
    headings = [p.text for p in paragraphs if p.kind == "heading" and p.level == 1][:3]
    closing = [p for p in paragraphs if p.kind == "closing"]
    year = report_year(title, opening, headings)
    date = None
    for p in reversed(closing):
        m = DATE_LINE.match(re.sub(r"\s+", "", p.text))
        if m:
            date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            break
    texts = [p.text for p in paragraphs if p.kind != "site"]
    unit, district, evidence = _unit_and_district(title_p, opening_p, closing, paragraphs, texts)
    return Metadata(unit, district, year, date, title, evidence)


def _line(source: str, p: Paragraph) -> dict:
    return {"from": source, "paragraph": p.number, "line": p.text[:200]}


def _unit_and_district(title_p, opening_p, closing, paragraphs, texts):
    evidence: dict = {}
    rejected: list[str] = []
    unit = raw = None
    government = None  # a district government's report: its district decides the name
    signature = [p for p in closing if not is_date_line(p.text) and "报告" not in p.text]
    bodies = [p for p in paragraphs if p.kind == "body"][:2]
    candidates: list[tuple[str, Paragraph, str]] = []
    if title_p and (subject := _subject_of_title(title_p.text)):
        candidates.append(("title", title_p, subject))
    candidates += [("signature", p, p.text) for p in signature[-1:]]
    for source, p in [("opening", opening_p)] if opening_p else []:
        candidates += [(source, p, head) for head in _opening_subjects(p.text)]
    for p in bodies:
        candidates += [("body", p, head) for head in _opening_subjects(p.text)]
    for source, p, text in candidates:
        name = re.sub(r"^(中共|关于)", "", text.strip(" ：:，,　"))
        if source in ("title", "opening", "signature") and is_division(name):
            government = (source, p, name)
            break
        if source in ("title", "opening") and name in GOVERNMENT:
            government = (source, p, None)  # 区政府坚持…: the district's government reports
            break
        cleaned = clean_unit(text)
        if cleaned:
            unit, raw = cleaned, name
            evidence["unit"] = _line(source, p)
            break
        rejected.append(text.strip()[:40])
    district = None
    for name in (raw, unit, government[2] if government else None):
        if name and (found := leading_division(name)):
            district = found
            evidence["district"] = {"from": "unit name", "name": name}
            break
    if district is None and not above_county(unit):
        for p in signature:
            if found := leading_division(p.text.strip()):
                district = found
                evidence["district"] = _line("signature", p)
                break
    if district is None and not above_county(unit):
        district, named = district_in_texts(texts)
        if district:
            evidence["district"] = {"from": "text", "named": named[:5]}
        elif named:
            evidence["district"] = {"from": None, "named": named[:5]}
    if unit is None and government is not None and district:
        source, p, _ = government
        unit = f"{district}人民政府"
        evidence["unit"] = {**_line(source, p), "government_of": district}
    if unit is None and rejected:
        evidence["unit"] = {"from": None, "rejected": rejected[:5]}
    return unit, district, evidence


def apply_hints(meta: Metadata, hints: dict[str, str]) -> Metadata:
    """Fill what the text does not say from what its container says.

    ``hints`` come from the file format (see ``ingest/formats``): an HTML page's
    ``ArticleTitle``, ``PubDate`` (the publication date), ``ContentSource`` (the
    publishing unit) and ``SiteName``.  The text always wins; a hint only fills a
    ``None``, goes through the same unit/district rules as the text, and is named in
    the evidence.
    """
    title = hints.get("title") or None
    source = hints.get("source") or None
    evidence = dict(meta.evidence)
    year = meta.year
    if year is None and title:
        year = report_year(title, None, [])
    unit = meta.unit
    for key, value in (("title", title and _subject_of_title(title)), ("source", source)):
        if unit is None and value and (unit := clean_unit(value)):
            evidence["unit"] = {"from": f"page {key}", "line": value}
    district = meta.district
    if district is None:
        district = district_of(unit, [t for t in (title, source, hints.get("site")) if t])
        if district:
            evidence["district"] = {"from": "page metadata"}
    return Metadata(
        unit=unit,
        district=district,
        year=year,
        date=meta.date or hints.get("date") or None,
        title=meta.title or title,
        evidence=evidence,
    )
