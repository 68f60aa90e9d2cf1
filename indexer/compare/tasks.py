"""The task taxonomy and the classification of report items into tasks.

Reports are compared by *duty* (法律顾问, 行政复议, 政务公开 …) because units file the same
duty under different headings, or under none.  The duties and the phrases that name them
live in a TOML file (``indexer/data/tasks.toml``) so that a reader can correct the
taxonomy without touching code; a ``tasks.toml`` in the corpus folder replaces it.

An item addresses a task when one of its keywords occurs in it, on folded text (NFKC,
whitespace removed), unless that occurrence lies inside one of the task's exclusion
phrases.  Keyword matching is deliberately literal: a reader can see *why* an item was
counted (the evidence spans), which a statistical classifier could not show.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FazhiError
from ..fold import Folded, ascii_lower, fold, merge_spans
from ..model import SECTIONS, Paragraph, Report

DEFAULT_TASKS = Path(__file__).parents[1] / "data" / "tasks.toml"
# Not substance: page residue, title, addressee, signature.  Headings are skipped too —
# their words recur in the body below them and they travel with every item as its path.
SKIP_KINDS = frozenset({"site", "title", "addressee", "closing", "heading"})
TRAIL = "。；;：:，,"
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
COUNTING = "mentions-v2"  # bump when the counting rules change


class CompareError(FazhiError):
    """A comparison that cannot be made (unknown task, unit or report; one year only).

    The message says what was asked and what exists, so the CLI and the web UI can show
    it as is.  Defined here, the lowest module that raises it; ``compare`` re-exports it.
    """


class TaxonomyError(CompareError):
    """The taxonomy file is missing or malformed; the message names file and task."""


@dataclass
class Task:
    id: str
    label: str
    keywords: list[str]
    exclude: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    folded_keywords: list[str] = field(default_factory=list, repr=False)
    folded_exclude: list[str] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        # ASCII case ignored, as bare words are matched (``store.bare``)
        self.folded_keywords = [k for k in (ascii_lower(fold(k)) for k in self.keywords) if k]
        self.folded_exclude = [k for k in (ascii_lower(fold(k)) for k in self.exclude) if k]


@dataclass
class Unit:
    """A span of a paragraph compared as one thing: an item (一是…), the lead-in before the
    first item, or the whole paragraph when it has no items."""

    paragraph: Paragraph
    label: str
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.paragraph.text[self.start : self.end]


@dataclass
class UnitMatch:
    """A unit with, per task id, the evidence spans (offsets into ``unit.text``)."""

    unit: Unit
    evidence: dict[str, list[tuple[int, int]]]


def resolve_tasks_path(
    path: str | Path | None = None, corpus_dir: str | Path | None = None
) -> Path:
    """Explicit path, else ``<corpus>/tasks.toml`` if present, else the shipped default."""
    if path:
        return Path(path)
    if corpus_dir:
        local = Path(corpus_dir) / "tasks.toml"
        if local.is_file():
            return local
    return DEFAULT_TASKS


def load_tasks(path: str | Path | None = None, corpus_dir: str | Path | None = None) -> list[Task]:
    """Read and check the taxonomy; raises ``TaxonomyError`` naming what is wrong."""
    source = resolve_tasks_path(path, corpus_dir)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TaxonomyError(f"task taxonomy not found: {source}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"task taxonomy {source} is not valid TOML: {exc}") from exc
    entries = data.get("task")
    if not isinstance(entries, list) or not entries:
        raise TaxonomyError(f"{source}: no [[task]] entries")
    tasks: list[Task] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        tid, label = entry.get("id"), entry.get("label")
        keywords, exclude = entry.get("keywords"), entry.get("exclude", [])
        sections = entry.get("sections", [])
        where = f"{source}: task #{n} ({tid or label or '?'})"
        if not isinstance(tid, str) or not SLUG.match(tid):
            raise TaxonomyError(f"{where}: id must be an ascii slug such as 'legal-advisers'")
        if tid in seen:
            raise TaxonomyError(f"{where}: duplicate id")
        if not isinstance(label, str) or not label.strip():
            raise TaxonomyError(f"{where}: label is missing")
        if not _str_list(keywords) or not keywords:
            raise TaxonomyError(f"{where}: keywords must be a non-empty list of strings")
        if not _str_list(exclude):
            raise TaxonomyError(f"{where}: exclude must be a list of strings")
        if not _str_list(sections) or set(sections) - set(SECTIONS):
            raise TaxonomyError(f"{where}: sections must be among {', '.join(SECTIONS)}")
        seen.add(tid)
        tasks.append(Task(tid, label.strip(), list(keywords), list(exclude), list(sections)))
    return tasks


def _str_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def find_task(tasks: list[Task], name: str) -> Task | None:
    """A task by id, by label, or by a label part (``法律顾问``); None if unknown or ambiguous."""
    key = fold(name).lower()
    for task in tasks:
        if task.id == key or fold(task.label) == key:
            return task
    partial = [t for t in tasks if key and key in fold(t.label)]
    return partial[0] if len(partial) == 1 else None


def addresses(task: Task, folded: str) -> bool:
    """Cheap test on already folded text: does any keyword count here?"""
    for kw in task.folded_keywords:
        pos = folded.find(kw)
        while pos != -1:
            if not _excluded(task, folded, pos, pos + len(kw)):
                return True
            pos = folded.find(kw, pos + 1)
    return False


def _excluded(task: Task, folded: str, start: int, end: int) -> bool:
    for ex in task.folded_exclude:
        lo = max(0, start - len(ex) + 1)
        pos = folded.find(ex, lo, end + len(ex) - 1)
        while pos != -1 and pos < end:
            if pos <= start and pos + len(ex) >= end:
                return True
            pos = folded.find(ex, pos + 1, end + len(ex) - 1)
    return False


def evidence(task: Task, text: str, folded: Folded | None = None) -> list[tuple[int, int]]:
    """Spans of ``text`` (original offsets) where the task's keywords count."""
    f = folded or Folded.of(text)
    lowered = ascii_lower(f.text)
    spans: list[tuple[int, int]] = []
    for kw in task.folded_keywords:
        pos = lowered.find(kw)
        while pos != -1:
            end = pos + len(kw)
            if not _excluded(task, lowered, pos, end):
                spans.append((f.origin[pos], f.origin[end - 1] + 1))
            pos = lowered.find(kw, pos + 1)
    return merge_spans(spans)


def classify_text(text: str, tasks: Iterable[Task]) -> dict[str, list[tuple[int, int]]]:
    """Task id → evidence spans, for every task the text addresses."""
    folded_plain = ascii_lower(fold(text))
    hits = [t for t in tasks if addresses(t, folded_plain)]
    if not hits:
        return {}
    f = Folded.of(text)
    return {t.id: evidence(t, text, f) for t in hits}


def paragraph_units(paragraph: Paragraph) -> list[Unit]:
    """The items of a paragraph, preceded by its lead-in when that says something."""
    if not paragraph.items:
        return [Unit(paragraph, "", 0, len(paragraph.text))]
    units: list[Unit] = []
    first = paragraph.items[0].start
    lead = fold(paragraph.text[:first]).rstrip(TRAIL)
    own_heading = fold(paragraph.heading[-1]).rstrip(TRAIL) if paragraph.heading else None
    if len(lead) >= 8 and lead != own_heading:  # a run-in heading is not an item
        units.append(Unit(paragraph, "", 0, first))
    units.extend(Unit(paragraph, it.label, it.start, it.end) for it in paragraph.items)
    return units


def report_units(report: Report) -> Iterator[Unit]:
    """Every unit of the report's substance, in report order (no title, heading, closing)."""
    for paragraph in report.paragraphs:
        if paragraph.kind not in SKIP_KINDS and paragraph.text.strip():
            yield from paragraph_units(paragraph)


def classify_unit(unit: Unit, tasks: Iterable[Task]) -> dict[str, list[tuple[int, int]]]:
    """Like ``classify_text``, plus the tasks the unit's section implies (no evidence spans)."""
    found = classify_text(unit.text, tasks)
    section = unit.paragraph.section
    for t in tasks:
        if section in t.sections and t.id not in found:
            found[t.id] = []
    return found


def classify_report(report: Report, tasks: list[Task]) -> list[UnitMatch]:
    """Units that address at least one task, with the evidence per task."""
    out: list[UnitMatch] = []
    for unit in report_units(report):
        found = classify_unit(unit, tasks)
        if found:
            out.append(UnitMatch(unit, found))
    return out


def units_by_task(report: Report, tasks: list[Task]) -> tuple[list[Unit], dict[str, list[int]]]:
    """The report's units, and per task id the indices of the units that address it.

    The units' folded texts are joined into one string and each keyword is searched once
    per report, not once per unit: with ~250 keywords and ~40 units a report, that is 40
    times fewer searches, which is what makes the task matrix affordable on 100k
    paragraphs.  (NUL never occurs in folded report text, so no match spans two units.)
    """
    units = list(report_units(report))
    folded = [ascii_lower(fold(u.text)) for u in units]
    joined = "\0".join(folded)
    bounds, pos = [], 0
    for f in folded:
        pos += len(f) + 1
        bounds.append(pos)  # end (exclusive, after the separator) of each unit
    found: dict[str, list[int]] = {}
    for t in tasks:
        hit = {k for k, u in enumerate(units) if u.paragraph.section in t.sections}
        for kw in t.folded_keywords:
            at = joined.find(kw)
            while at != -1:
                k = bisect.bisect_right(bounds, at)
                if k not in hit and not _excluded(t, joined, at, at + len(kw)):
                    hit.add(k)
                    at = joined.find(kw, bounds[k])  # this unit is counted: skip its rest
                else:
                    at = joined.find(kw, at + 1)
        found[t.id] = sorted(hit)
    return units, found


def mentioning_paragraphs(report: Report, task: Task) -> list[Paragraph]:
    """Paragraphs of any kind — headings, short lead-ins, page residue too — where a keyword
    occurs outside the task's exclusions (folded text, ASCII case ignored: the bare-word
    test).  A report is said not to mention a task only when this is empty."""
    return [p for p in report.paragraphs if addresses(task, ascii_lower(fold(p.text)))]


def task_counts(report: Report, tasks: list[Task]) -> dict[str, int]:
    """One row of the task matrix: items per task id; where no item addresses a task but a
    paragraph mentions it (say, only a heading does), the mentioning paragraphs — so 0 means
    the report never mentions the task, as the heat map and 未提及 say."""
    _, found = units_by_task(report, tasks)
    row = {t.id: len(found[t.id]) for t in tasks}
    silent = [t for t in tasks if not row[t.id]]
    if silent:
        joined = "\0".join(ascii_lower(fold(p.text)) for p in report.paragraphs)
        for t in silent:
            if addresses(t, joined):
                row[t.id] = len(mentioning_paragraphs(report, t))
    return row


def taxonomy_fingerprint(tasks: list[Task]) -> str:
    """A stable digest of a taxonomy: index-time counts are reused only for the same one."""
    parts: list = [
        [t.id, t.label, list(t.keywords), list(t.exclude), list(t.sections)] for t in tasks
    ]
    parts.append(COUNTING)  # rows counted under older rules are not reused
    return hashlib.sha1(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()


def index_task_rows(
    reports: list[Report], corpus_dir: Path, previous: dict | None = None
) -> dict[str, object]:
    """The task matrix rows computed at build time with the corpus's taxonomy.

    Rows of reports whose content did not change are carried over from ``previous``
    when the taxonomy is the same, so an incremental build counts only new reports.
    """
    tasks = load_tasks(None, corpus_dir)
    fingerprint = taxonomy_fingerprint(tasks)
    old: dict[str, dict] = {}
    if previous and previous.get("fingerprint") == fingerprint:
        old = previous.get("rows", {})
    hashes = (previous or {}).get("sha1", {})
    rows, sha1 = {}, {}
    for report in reports:
        rid = report.meta.id
        sha1[rid] = report.meta.sha1
        if rid in old and hashes.get(rid) == report.meta.sha1:
            rows[rid] = old[rid]
        else:
            rows[rid] = task_counts(report, tasks)
    return {"fingerprint": fingerprint, "rows": rows, "sha1": sha1}
