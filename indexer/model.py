"""Plain dataclasses shared by every step of the pipeline.

They are the contract between the core, the CLI and the web UI: nothing above
``query.py`` sees a Whoosh object, only these.  ``to_dict`` gives the JSON
shapes the CLI and the ``/api`` routes print.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

SECTIONS: tuple[str, ...] = ("measures", "shortcomings", "leadership", "plans", "other")
SECTION_LABELS: dict[str, str] = {
    "measures": "主要举措和成效",
    "shortcomings": "存在的不足和原因",
    "leadership": "第一责任人职责",
    "plans": "下一年度主要安排",
    "other": "其他",
}


@dataclass
class Item:
    """An enumerated unit inside a paragraph (一是… / 1.…); offsets into ``Paragraph.text``."""

    label: str
    start: int
    end: int


@dataclass
class Paragraph:
    """One searchable unit: a line of the report as the author wrote it.

    ``kind`` is one of site / title / addressee / opening / heading / body / closing.
    ``heading`` is the path of headings above it (its own for a heading or run-in heading).
    """

    number: int
    kind: str
    text: str
    section: str = "other"
    heading: list[str] = field(default_factory=list)
    level: int = 0
    items: list[Item] = field(default_factory=list)


@dataclass
class ReportMeta:
    """What is known about one report; ``None`` means the text does not say."""

    id: str
    file: str
    unit: str | None
    district: str | None
    year: int | None
    date: str | None
    title: str | None
    paragraphs: int = 0
    sha1: str = ""
    unit_key: str = ""
    url: str | None = None  # where the report was published (an HTML page's canonical URL)
    # which line gave the unit and district (or what was rejected): {"unit": {...}, "district": {...}}
    evidence: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("sha1")
        d.pop("unit_key")
        return d


@dataclass
class Report:
    meta: ReportMeta
    paragraphs: list[Paragraph]

    def paragraph(self, number: int) -> Paragraph | None:
        """Paragraph ``number``: numbers run from 1, so it is usually at that place."""
        paragraphs = self.paragraphs
        if 0 < number <= len(paragraphs) and paragraphs[number - 1].number == number:
            return paragraphs[number - 1]
        return next((p for p in paragraphs if p.number == number), None)

    def text_under(self, heading: Paragraph) -> str:
        """The text of the paragraphs a heading heads (up to the next heading of its level)."""
        path = heading.heading or [heading.text]
        body = [
            p.text
            for p in self.paragraphs
            if p.number > heading.number and p.kind != "heading" and p.heading[: len(path)] == path
        ]
        return "\n".join(body) or heading.text


@dataclass
class Span:
    """A highlighted range ``[start, end)`` in the original paragraph text."""

    start: int
    end: int


@dataclass
class Hit:
    report: str
    file: str
    unit: str | None
    district: str | None
    year: int | None
    section: str
    heading: list[str]
    paragraph: int
    text: str
    highlights: list[Span] = field(default_factory=list)
    score: float = 0.0

    @classmethod
    def of(cls, meta: ReportMeta, paragraph: Paragraph) -> Hit:
        """A paragraph as a hit with no highlights: what ``fazhi export`` prints."""
        return cls(
            report=meta.id,
            file=meta.file,
            unit=meta.unit,
            district=meta.district,
            year=meta.year,
            section=paragraph.section,
            heading=paragraph.heading,
            paragraph=paragraph.number,
            text=paragraph.text,
        )

    def to_dict(self) -> dict:
        d = asdict(self)
        d["highlights"] = [[s.start, s.end] for s in self.highlights]
        d.pop("score")
        return d


@dataclass
class Filters:
    unit: str | None = None
    district: str | None = None
    year: int | None = None
    section: str | None = None


@dataclass
class YearCount:
    """Of the ``reports`` of one year in scope, how many have a matching paragraph."""

    year: int
    reports: int
    mentioning: int

    def to_dict(self) -> dict:
        return {"year": self.year, "reports": self.reports, "mentioning": self.mentioning}


@dataclass
class SearchResult:
    """Everything one search returns: a page of hits, the total, facets and coverage."""

    query: str
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    missing: list[str]
    offset: int = 0
    limit: int = 0
    terms: list[str] = field(default_factory=list)
    by_year: list[YearCount] = field(default_factory=list)
    partial: bool = False  # part of a cluster did not answer; ``warnings`` say which
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "query": self.query,
            "total": self.total,
            "hits": [h.to_dict() for h in self.hits],
            "facets": self.facets,
            "missing": self.missing,
            "by_year": [y.to_dict() for y in self.by_year],
            "partial": self.partial,
            "warnings": self.warnings,
        }


@dataclass
class SimilarResult:
    """Paragraphs of other reports most like ``source``, best first (``score`` kept)."""

    source: Hit
    hits: list[Hit]
    terms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "source": self.source.to_dict(),
            "hits": [h.to_dict() | {"score": round(h.score, 4)} for h in self.hits],
        }


@dataclass
class BuildSummary:
    reports: int
    paragraphs: int
    added: list[str]
    updated: list[str]
    removed: list[str]
    unchanged: int
    skipped: list[tuple[str, str]]
    unknown: dict[str, list[str]]
    problems: list[str] = field(default_factory=list)  # manifest errors, duplicate texts
    formats: dict[str, int] = field(default_factory=dict)  # indexed files per format read

    def to_dict(self) -> dict:
        d = asdict(self)
        d["skipped"] = [{"file": f, "reason": r} for f, r in self.skipped]
        return d
