"""The query API: a query string and filters in, plain dataclasses out.

This is the one entry point the CLI, the web UI and the comparisons use.  It knows
the store only through the protocol in ``store.base`` (plain dicts); ``store.backend``
opens whichever engine the index generation records (Whoosh or a SphinxQL cluster).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from . import likeness
from .coverage import ReportTable
from .errors import IndexMissing, QueryError
from .fold import Folded, merge_spans
from .model import (
    Filters,
    Hit,
    Item,
    Paragraph,
    Report,
    ReportMeta,
    SearchResult,
    SimilarResult,
    Span,
)
from .querycheck import check_syntax
from .store import catalog, report_table, reuse_rows
from .store import rows as derived_rows
from .store.backend import open_store
from .store.base import UNKNOWN
from .store.generation import GenerationData, IndexCache

__all__ = ["Index", "IndexCache", "IndexMissing", "QueryError", "open_index"]
MAX_QUERY_CHARS = 1000
SIMILAR_MARKS = 8
SORT_NAMES = ("relevance", "unit", "year")


def _known(value: str | None) -> str | None:
    return None if value in (None, "", UNKNOWN) else value


class Index:
    """An open index generation: the store for search, the catalog for reports."""

    def __init__(self, index_dir: Path, cache: IndexCache | None = None) -> None:
        self.dir = Path(index_dir)
        self.gen = catalog.require_generation(self.dir)
        self.data = cache.get(self.gen) if cache is not None else GenerationData(self.gen)
        self._pooled = cache is not None  # handles sharing a cache reuse open stores
        if self._pooled:
            self.store = self.data.stores.borrow(lambda: open_store(self.gen, self.data))
        else:
            self.store = open_store(self.gen, self.data)

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def release_pages(self) -> None:
        """Drop the index's mapped file pages from the resident set (see
        ``grams.SegmentGrams.release``): a server calls it when a request is done."""
        self.store.release_pages()

    def close(self) -> None:
        if self._pooled:
            self.data.stores.give_back(self.store)
        else:
            self.store.close()

    def _metas(self) -> dict[str, ReportMeta]:
        return self.data.metas()

    def reports(self) -> list[ReportMeta]:
        """Every report's metadata, by unit, year, id."""
        return list(self.data.sorted_metas())

    def report(self, report_id: str) -> Report | None:
        """One full report (paragraphs, sections, items), read from its own file."""
        return self.data.report(report_id)

    def all_reports(self) -> list[Report]:
        reports = (self.report(m.id) for m in self.reports())
        return [r for r in reports if r is not None]

    def reuse(self) -> dict:
        """Every shared passage and span found at build time (``compare.reuse``), in one
        table (the CLI, benchmarks, tests); a page asks ``reuse_of`` for its reports."""
        return self.data.memo("reuse-whole", lambda: reuse_rows.read_whole(self.gen))

    def reuse_of(self, report_ids: Iterable[str] | None = None) -> dict:
        """``{"spans", "passages"}`` of ``report_ids`` only (the passages their spans
        name), read from the shards holding them; None: a view reading each report's
        shard when it is first asked for (``store.reuse_rows.ShardRows``)."""
        view = self.data.memo("reuse-view", lambda: reuse_rows.reader(self.gen))
        if report_ids is None:
            return view
        every = view.get("spans", {})
        spans = {rid: every[rid] for rid in report_ids if rid in every}
        names = {row[2] for rows in spans.values() for r in rows.values() for row in r}
        passages = view.get("passages", {})
        if isinstance(passages, list):  # reuse.json of an index of before: numbers
            picked = {n: passages[n] for n in names if n < len(passages)}
        else:
            picked = {key: passages[key] for key in names if key in passages}
        return {**view, "spans": spans, "passages": picked}

    def derived(self, name: str, make: Callable[[Index], Any]) -> Any:
        """``make(self)`` computed once per generation and shared by every handle on it."""
        return self.data.memo(name, lambda: make(self))

    def audit_rows(self) -> dict | None:
        """Per-report audit facts made at build time (``compare.audit``); None if absent."""
        return self.data.memo("audit-rows", lambda: derived_rows.audit_rows(self.gen))

    def task_rows(self) -> dict:
        """The task × report counts made at build time with the corpus's taxonomy."""
        return self.data.memo("task-rows", lambda: derived_rows.task_rows(self.gen))

    @property
    def corpus_dir(self) -> Path | None:
        """The corpus folder this index was built from (its tasks.toml overrides the default)."""
        corpus = self._catalog_head().get("corpus")
        return Path(corpus) if corpus else None

    def skipped(self) -> list[tuple[str, str]]:
        return [tuple(x) for x in self._catalog_head().get("skipped", [])]

    def _catalog_head(self) -> dict:
        """``catalog.json`` without its per-file table (34 MB of objects at 1M
        paragraphs that a server would otherwise keep for one folder name)."""
        return self.data.memo("catalog-head", lambda: catalog.catalog_head(self.gen))

    @staticmethod
    def highlight(text: str, terms: list[str]) -> list[Span]:
        """Spans in ``text`` (original offsets) of each folded term, ASCII case ignored (as
        bare words match); overlaps merged."""
        spans = [span for term in terms for span in Folded.spans_in(text, term, True)]
        return [Span(s, e) for s, e in merge_spans(spans)]

    def _table(self) -> ReportTable:
        """Report metadata as arrays (``coverage``), made once per generation."""
        return self.data.memo("report-table", self._make_table)

    def _make_table(self) -> ReportTable:
        """From ``report-table.json`` — four columns, not every report's whole metadata —
        or, for a generation built before that file, from ``metas.json``."""
        columns = catalog.read_json(self.gen / report_table.TABLE_FILE, None)  # not kept
        if columns is None:
            return ReportTable.of_metas(self._metas().values())
        if not report_table.well_formed(columns):
            path = self.gen / report_table.TABLE_FILE
            raise catalog.damaged(path, ValueError("not four columns of one length"))
        return ReportTable.of_columns(columns)

    def fill_row(self, row: dict) -> dict:
        """A store row with what the catalog holds.  The Whoosh store keeps only which
        paragraph a hit is (report, number); its text, heading and the report's metadata
        are read from the report's catalog file here — one copy of the text, not two."""
        if "text" in row:
            return row
        report = self.data.report(row["report"], known=True)
        found = report.paragraph(int(row["paragraph"])) if report is not None else None
        meta = report.meta if report is not None else None
        year = meta.year if meta is not None else None
        return {
            **row,
            "file": meta.file if meta is not None else "",
            "unit": (meta.unit if meta is not None else None) or UNKNOWN,
            "district": (meta.district if meta is not None else None) or UNKNOWN,
            "year": UNKNOWN if year is None else str(year),
            "section": found.section if found else "other",
            "heading": list(found.heading) if found else [],
            "kind": found.kind if found else "body",
            "text": found.text if found else "",
        }

    def _hit(self, row: dict, terms: list[str]) -> Hit:
        """A store row (plain dict) as a Hit, its terms highlighted."""
        row = self.fill_row(row)
        return Hit(
            report=row["report"],
            file=row["file"],
            unit=_known(row["unit"]),
            district=_known(row["district"]),
            year=int(row["year"]) if _known(row["year"]) else None,
            section=row["section"],
            heading=list(row["heading"]),
            paragraph=int(row["paragraph"]),
            text=row["text"],
            highlights=self.highlight(row["text"], terms),
            score=float(row["score"]),
        )

    def similar(self, report_id: str, paragraph: int, limit: int = 20) -> SimilarResult:
        """Paragraphs of *other* reports (other units, other years) most like one paragraph:
        BM25 more-like-this over its distinctive jieba words (``store.similar``)."""
        report = self.report(report_id)
        if report is None:
            raise QueryError(f"没有报告 {report_id!r}；用 fazhi reports 列出全部报告")
        found = report.paragraph(paragraph)
        if found is None:
            raise QueryError(
                f"报告 {report_id} 没有第 {paragraph} 段（共 {len(report.paragraphs)} 段）"
            )
        if limit < 1:
            raise QueryError("limit 至少为 1")
        topic = found.heading[-1] if found.heading and found.heading[-1] != found.text else ""
        text = found.text
        if found.kind == "heading":  # a heading is about what stands under it
            topic, text = found.text, report.text_under(found)
        if hasattr(self.store, "more_like"):
            raw = self.store.more_like(text, report_id, limit, topic)
        else:  # a store without its own method: the same idea from plain searches
            size = sum(m.paragraphs for m in self.reports())
            raw = likeness.more_like(self.store, text, report_id, limit, topic, size)
        source = Hit.of(report.meta, found)
        marked = raw.terms[:SIMILAR_MARKS]  # the most distinctive words, not every one
        source.highlights = self.highlight(found.text, marked)
        hits = [self._hit(row, marked) for row in raw.rows]
        return SimilarResult(source, hits, raw.terms)

    def search(
        self,
        query: str,
        filters: Filters | None = None,
        limit: int = 20,
        offset: int = 0,
        sort: str = "relevance",
    ) -> SearchResult:
        """Search paragraphs. ``limit=0`` returns every hit; facets and coverage are always whole."""
        return self._search(query, filters, limit, offset, sort)[0]

    def search_paragraphs(
        self, query: str, filters: Filters | None = None, marks: bool = True
    ) -> tuple[SearchResult, list[Paragraph | None]]:
        """Every hit of ``query`` and, beside each, its paragraph as parsed (kind, items) —
        what comparisons count and show.  A store that keeps the parse (a cluster's
        ``shape``) gives it with the hit, so no report file is read; otherwise it comes
        from the hit's report in the catalog.  ``marks=False``: hits without highlights
        (counting needs none, and marking every hit is most of the work)."""
        result, rows = self._search(query, filters, 0, 0, "unit", marks)
        return result, [self._paragraph(row) for row in rows]

    def _paragraph(self, row: dict) -> Paragraph | None:
        number = int(row["paragraph"])
        shape = row.get("shape")
        if shape is None:
            report = self.data.report(row["report"], known=True)
            return report.paragraph(number) if report is not None else None
        kind, level, items = shape
        heading = list(row["heading"])
        marks = [Item(label, start, end) for label, start, end in items]
        return Paragraph(number, kind, row["text"], row["section"], heading, level, marks)

    def _search(
        self,
        query: str,
        filters: Filters | None,
        limit: int,
        offset: int,
        sort: str,
        marks: bool = True,
    ) -> tuple[SearchResult, list[dict]]:
        filters = filters or Filters()
        if len(query) > MAX_QUERY_CHARS:
            raise QueryError(f"查询过长（{len(query)} 字），请少于 {MAX_QUERY_CHARS} 字")
        if sort not in SORT_NAMES:
            raise QueryError(f"未知的排序方式 {sort!r}，可用：{', '.join(SORT_NAMES)}")
        check_syntax(query)
        if limit < 0 or offset < 0:
            raise QueryError("limit 和 offset 不能为负数")
        raw = self.store.search(query, filters, None if limit == 0 else limit, offset, sort)
        hits = [self._hit(row, raw.terms if marks else []) for row in raw.rows]
        # unit, district and year facets follow from each report's metadata, so the
        # store counts two columns (report, section), not five
        facets, missing, by_year = self._table().coverage(
            raw.counts.get("report", {}), raw.counts.get("section", {}), filters
        )
        result = SearchResult(
            query=query,
            total=raw.total,
            hits=hits,
            facets=facets,
            missing=missing,
            offset=offset,
            limit=limit,
            terms=raw.terms,
            by_year=by_year,
            partial=raw.partial,
            warnings=raw.warnings,
        )
        return result, raw.rows


def open_index(index_dir: Path | str, cache: IndexCache | None = None) -> Index:
    """Open the live generation of an index; raises IndexMissing with a hint if none.

    Handles given the same ``cache`` share what they load from an unchanged generation.
    """
    return Index(Path(index_dir), cache)
