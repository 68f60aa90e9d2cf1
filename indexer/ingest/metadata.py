"""Unit, district, year, date and title of a report, read from its text.

File names are never trusted: unit, district and year come from the title, the
signature or the opening, in that order of trust.  Whatever the text does not say
stays ``None`` so the build summary can list it — a guess would silently mislabel a
report in every facet and comparison.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..fold import fold
from .parse import DATE_LINE, Paragraph, is_date_line

YEAR = re.compile(r"(?<![\d—\-－–~～至到])((?:19|20)\d{2})\s*年(?!\s*[—\-－–~～至到]\s*\d)")
UNIT_SUFFIX = (
    r"(?:办公室|办事处|街道|委员会|人民政府|政府|党组|党委|党工委|局|委|办|街|镇|乡|厅|院|所|"
    r"中心|站|队|署|处|会|部)"
)
CLAUSE_STOP = re.compile(
    r"按照|在|坚持|深入|认真|全面|以|围绕|紧密|紧紧|始终|聚焦|扎实|积极|持续|立足|高度|切实|"
    r"严格|着力|全力|进一步|牢固|不断|结合|贯彻|落实|把|将|对|为|从|紧扣|依法|主动|大力|狠抓"
)
PARTY_SUFFIX = re.compile(r"(党组|党委|党工委|党总支|党支部)$")
DISTRICT = re.compile(
    r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=[年市省在和与及对的、《“（]))"
    r"((?:滨海新区)|[\u4e00-\u9fff]{2}[区县])"
)
NOT_DISTRICT_CHARS = set("社园城景片校辖街小山库矿林牧验范能市全我本各该治新老分区委府")
NOT_DISTRICT_FIRST = set("按在对由向和与及经各全我本该请同会将把为从至到据根区委")
NOT_DISTRICT_AFTER = re.compile(r"^(委|政府|人大|政协|级|内|域|司法局|党委)")
GENERIC_UNITS = {"区委", "区政府", "市委", "市政府", "区委区政府", "党中央", "国务院"}


@dataclass
class Metadata:
    unit: str | None
    district: str | None
    year: int | None
    date: str | None
    title: str | None


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


def _clean_unit(raw: str) -> str | None:
    raw = raw.strip(" ：:，,　")
    if " " in raw or "\u3000" in raw:  # two bodies (党工委 + 办事处): the last one signs
        raw = re.split(r"[\s\u3000]+", raw)[-1]
    raw = re.sub(r"^(中共|关于)", "", raw)
    stripped = PARTY_SUFFIX.sub("", raw)
    if stripped != raw and re.search(UNIT_SUFFIX + "$", stripped):
        raw = stripped
    if len(raw) < 2 or raw in GENERIC_UNITS or not re.search(UNIT_SUFFIX + "$", raw):
        return None
    return raw


def unit_from_title(title: str) -> str | None:
    t = re.sub(r"\s+", " ", title).strip()
    m = re.match(r"^(.+?)(?:关于)?\s*(?:(?:19|20)\d{2}\s*年度?)", t)
    if m and m.group(1).strip():
        return _clean_unit(m.group(1))
    m = re.match(r"^(?:(?:19|20)\d{2}\s*年度?)(.+?)(?:法治|依法|关于)", t)
    if m:
        return _clean_unit(m.group(1))
    m = re.match(r"^(.+?)关于", t)
    return _clean_unit(m.group(1)) if m else None


def unit_from_opening(opening: str) -> str | None:
    """The unit as the subject of an opening clause: "2022年，区协同办按照…"."""
    for clause in re.split(r"[，,。；;]", opening):
        clause = re.sub(r"^(?:(?:19|20)\d{2}\s*年度?|今年以来|一年来|近年来)", "", clause.strip())
        stop = CLAUSE_STOP.search(clause)
        head = clause[: stop.start()] if stop else clause
        if 2 <= len(head) <= 20 and not head.startswith(("在", "我")):
            unit = _clean_unit(head)
            if unit:
                return unit
    return None


def district_of(unit: str | None, texts: list[str]) -> str | None:
    """A district the unit's name or the report's text names; the most frequent wins."""
    if unit:
        m = re.match(r"^(?:.*?[市])?([\u4e00-\u9fff]{2}[区县])", unit)
        if m and m.group(1)[1] not in NOT_DISTRICT_CHARS:
            return m.group(1)
    counts: Counter[str] = Counter()
    for text in texts:
        for m in DISTRICT.finditer(text):
            name = m.group(1)
            if name != "滨海新区" and (
                name[1] in NOT_DISTRICT_CHARS
                or name[0] in NOT_DISTRICT_FIRST
                or NOT_DISTRICT_AFTER.match(text[m.end() :])
            ):
                continue
            counts[name] += 1
    return counts.most_common(1)[0][0] if counts else None


def extract(paragraphs: list[Paragraph]) -> Metadata:
    title = next((p.text for p in paragraphs if p.kind == "title"), None)
    opening = next((p.text for p in paragraphs if p.kind == "opening"), None)
    headings = [p.text for p in paragraphs if p.kind == "heading" and p.level == 1][:3]
    closing = [p.text for p in paragraphs if p.kind == "closing"]
    year = report_year(title, opening, headings)
    date = None
    for text in reversed(closing):
        m = DATE_LINE.match(re.sub(r"\s+", "", text))
        if m:
            date = f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
            break
    unit = unit_from_title(title) if title else None
    if unit is None:
        signature = [t for t in closing if not is_date_line(t) and "报告" not in t]
        unit = _clean_unit(signature[-1]) if signature else None
    if unit is None:
        bodies = [opening] if opening else []
        bodies += [p.text for p in paragraphs if p.kind == "body"][:2]
        unit = next((u for u in map(unit_from_opening, bodies) if u), None)
    district = district_of(unit, [title or "", *closing, *(p.text for p in paragraphs)])
    return Metadata(unit=unit, district=district, year=year, date=date, title=title)


def apply_hints(meta: Metadata, hints: dict[str, str]) -> Metadata:
    """Fill what the text does not say from what its container says.

    ``hints`` come from the file format (see ``ingest/formats``): an HTML page's
    ``ArticleTitle``, ``PubDate`` (the publication date), ``ContentSource`` (the
    publishing unit) and ``SiteName``.  The text always wins; a hint only fills a
    ``None``, and goes through the same unit/district rules as the text.
    """
    title = hints.get("title") or None
    source = hints.get("source") or None
    year = meta.year
    if year is None and title:
        year = report_year(title, None, [])
    unit = meta.unit
    if unit is None and title:
        unit = unit_from_title(title)
    if unit is None and source:
        unit = _clean_unit(source)
    district = meta.district
    if district is None:
        district = district_of(unit, [t for t in (title, source, hints.get("site")) if t])
    return Metadata(
        unit=unit,
        district=district,
        year=year,
        date=meta.date or hints.get("date") or None,
        title=meta.title or title,
    )
