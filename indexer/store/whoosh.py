"""The embedded Whoosh store (the default); ``sphinx.py`` is the cluster one beside it.

One Whoosh document per paragraph.  ``text`` holds jieba words for ranked matching;
quoted phrases and bare words are substrings of the folded text, answered from each
segment's ``.grams`` file of roaring bigram bitmaps beside it (``exact``, ``grams``).  Everything leaving this module is a plain dict or dataclass, built
inside the searcher's scope — no Hit or Results object escapes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import qparser, query
from whoosh.codec.whoosh3 import W3Codec

from ..errors import QueryError
from ..model import Filters, Report
from .analysis import END_MARK
from .bare_rank import fast_rankable, rank_bare
from .base import FACET_FIELDS, UNKNOWN, RawResult
from .codes import stored_column, write_missing_codes
from .columns import CodedColumn
from .exact import (
    ExactPhrase,
    FoldedColumns,
    ParagraphTexts,
    leaf_readers,
    segment_id,
    write_missing,
)
from .parsing import (
    has_ranked_terms,
    literal_terms,
    make_parser,
    make_schema,
)
from .proof import write_lexicon
from .similar import more_like
from .similar_rank import lengths_with
from .unmapped import read_in_place, release_mapped
from .workers import ParentBoundWriter
from .writer import tune_whoosh

PARALLEL_MIN_PARAGRAPHS = 5000
COMMIT_PARAGRAPHS = 20000  # per commit: two segments whose postings stay in memory
# Postings per block (Whoosh's default 128): a common word's ranking reads its whole
# posting list, and per block Whoosh seeks, unpickles a header and decompresses —
# at 128 a block cost as much as its postings (300k paragraphs: 74k postings of 政府
# and 建设 in 580 blocks, 17 ms).
POSTING_BLOCK = 1024
TINY_DOCS = 5000  # below a build's segments (~10k): from updates, merged together
MAX_TINY = 8
SORTS = {
    "relevance": None,
    "unit": ["unit", "year", "report", "paragraph"],
    "year": ["year", "unit", "report", "paragraph"],
}


def merge_tiny(writer, segments: list) -> list:
    """Whoosh's merge policy for our commits: fold the small segments that updates add
    (one per edited report) into one once there are ``MAX_TINY`` of them; never merge
    the segments a build wrote.  Whoosh's default (MERGE_SMALL, a Fibonacci rule) merged
    every segment into one once a build passed ~240k paragraphs: minutes of Python and
    gigabytes, at every size beyond that, and again on later updates."""
    from whoosh.reading import SegmentReader

    tiny = [s for s in segments if s.doc_count_all() < TINY_DOCS]
    if len(tiny) < MAX_TINY:
        return segments
    for segment in tiny:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s.doc_count_all() >= TINY_DOCS]


class WhooshStore:
    """An open index directory; close it (or use ``with``) to release the searcher."""

    reusable = True  # a handle may serve request after request (see store.pool)

    def __init__(
        self,
        path: Path,
        create: bool = False,
        columns: dict[str, CodedColumn] | None = None,
        folded: dict[str, list[bytes]] | None = None,
    ) -> None:
        """``columns`` and ``folded`` may be dicts shared by every handle on the same,
        unchanging generation (see ``generation.GenerationData``)."""
        path.mkdir(parents=True, exist_ok=True)
        self.path = path
        if create or not whoosh_index.exists_in(str(path)):
            self.ix = whoosh_index.create_in(str(path), make_schema())
        else:
            read_in_place()  # Whoosh copied every mapped sub-file (see unmapped.py)
            self.ix = whoosh_index.open_dir(str(path))
        self._searcher = None
        self._columns: dict[str, CodedColumn] = columns if columns is not None else {}
        self._folded = FoldedColumns(path, folded)
        self._parser: qparser.QueryParser | None = None

    def __enter__(self) -> WhooshStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        self.ix.close()

    def replace_reports(
        self,
        reports: Iterable[Report],
        delete_ids: Iterable[str],
        on_report: Callable[[Report], None] | None = None,
    ) -> None:
        """Delete and add; an exception (or Ctrl-C) cancels the commit under way.

        Large batches use two processes (Whoosh's MpWriter), one segment each, and are
        committed ``COMMIT_PARAGRAPHS`` at a time: past ~1.6M postings (Whoosh's
        ``limitmb``) a writer's postings are pickled to temporary runs and merged back,
        which was ~40 % of a 30k-paragraph build.  Earlier commits of an interrupted
        call stay in this store — the build writes into a new generation that is
        discarded on failure, so the live index never sees them.
        """
        reports = list(reports)
        batches: list[list[Report]] = [[]]
        size = 0
        for report in reports:
            if size >= COMMIT_PARAGRAPHS:
                batches.append([])
                size = 0
            batches[-1].append(report)
            size += len(report.paragraphs)
        for n, batch in enumerate(batches):
            self._commit(batch, delete_ids if n == 0 else [], on_report)
        # after the last commit: Whoosh may have merged earlier segments
        write_missing(self.ix, self.path, ParagraphTexts(self.path.parent, reports))
        with self.ix.reader() as reader:  # the words that can prove matches (``proof``)
            leaves = {segment_id(s): s for s, _ in leaf_readers(reader)}
            write_lexicon(self.path, {name: s for name, s in leaves.items() if name})
            write_missing_codes(reader, self.path)  # the facet columns, per segment

    def _commit(
        self,
        reports: list[Report],
        delete_ids: Iterable[str],
        on_report: Callable[[Report], None] | None,
    ) -> None:
        size = sum(len(r.paragraphs) for r in reports)
        tune_whoosh()
        codec = W3Codec(blocklimit=POSTING_BLOCK)
        if size >= PARALLEL_MIN_PARAGRAPHS:
            writer = ParentBoundWriter(
                self.ix, procs=2, multisegment=True, limitmb=256, codec=codec
            )
        else:
            writer = self.ix.writer(limitmb=256, codec=codec)
        try:
            for report_id in delete_ids:
                writer.delete_by_term("report", report_id)
            for report in reports:
                if on_report is not None:
                    on_report(report)
                m = report.meta
                for p in report.paragraphs:
                    writer.add_document(
                        report=m.id,
                        unit=m.unit or UNKNOWN,
                        district=m.district or UNKNOWN,
                        year=str(m.year) if m.year is not None else UNKNOWN,
                        section=p.section,
                        kind=p.kind,
                        paragraph=p.number,
                        text=p.text,
                    )
        except BaseException:
            # Whoosh's MpWriter.cancel() only flags its worker processes; stop them before
            # the caller discards the generation they write into, or they die noisily.
            if isinstance(writer, ParentBoundWriter):
                writer.stop_workers()
            writer.cancel()
            raise
        if isinstance(writer, ParentBoundWriter):
            writer.commit(merge=False)  # a build's segments stay as written (see merge_tiny)
        else:
            writer.commit(mergetype=merge_tiny)

    def release_pages(self) -> None:
        """Drop the mapped file pages searches touched from this process's resident set."""
        self._folded.release()
        if self._searcher is not None:
            release_mapped(self._searcher.reader())

    def searcher(self):
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        return self._searcher

    def column(self, name: str) -> CodedColumn:
        """A sortable field for every docnum as codes into its sorted values, read once
        per generation: facet counts are a bincount and column sorts a lexsort."""
        self.searcher()
        if name not in self._columns:
            reader = self._searcher.reader()
            # an index of no documents (empty corpus) has no columns to read
            if reader.doc_count_all() == 0:
                self._columns[name] = CodedColumn(np.zeros(0, np.int32), [])
            else:
                self._columns[name] = stored_column(reader, name, self.path)
        return self._columns[name]

    def parser(self) -> qparser.QueryParser:
        if self._parser is None:
            self._parser = make_parser(self.searcher().schema)
        return self._parser

    def parse(self, text: str) -> query.Query:
        if not text.strip():
            return query.Every()
        try:
            return self.parser().parse(text)
        except (ValueError, TypeError, IndexError) as exc:
            raise QueryError(f"无法解析查询 {text!r}: {exc}") from exc

    @staticmethod
    def filter_query(filters: Filters) -> query.Query | None:
        terms = [
            query.Term(name, str(value))
            for name, value in (
                ("unit", filters.unit),
                ("district", filters.district),
                ("year", filters.year),
                ("section", filters.section),
            )
            if value not in (None, "")
        ]
        return query.And(terms) if terms else None

    def search(
        self, text: str, filters: Filters, limit: int | None, offset: int, sort: str
    ) -> RawResult:
        q = self.parse(text)
        fq = self.filter_query(filters)
        searcher = self.searcher()
        for leaf in q.leaves() if not q.is_leaf() else [q]:
            if isinstance(leaf, ExactPhrase):
                leaf.folded_columns = self._folded
        ranked = sort == "relevance" and has_ranked_terms(q)
        end = None if limit is None else offset + limit
        if ranked and fast_rankable(q):  # a lone bare word: same scores, no matcher tree
            allowed = None if fq is None else set(searcher.docs_for_query(fq))
            scores, ranked_docnums, docnums = rank_bare(searcher, q, allowed, end)
            top = ranked_docnums[offset:end].tolist()
            page = zip(scores[offset:end].tolist(), top, strict=True)
            rows = [
                dict(searcher.stored_fields(d), score=float(s or 0.0))
                for s, d in (page if end != 0 else [])
            ]
        elif ranked:  # one BM25 pass over every match gives both the ranking and the set
            results = searcher.search(q, filter=fq, limit=None)
            docnums = sorted(results.docs())
            rows = [
                dict(hit.fields(), score=float(hit.score or 0.0))
                for hit in (results[offset:end] if end != 0 else [])
            ]
        else:  # exact phrases, filters or a column sort: no scores to compute
            docnums = self.matching_docnums(q, fq)
            ordered = docnums
            if sort != "relevance":
                hits = np.array(docnums, dtype=np.int64)
                keys = [self.column(name).codes[hits] for name in reversed(SORTS[sort])]
                ordered = hits[np.lexsort(keys)].tolist() if len(hits) else []
            page = ordered[offset:end]
            page = page.tolist() if isinstance(page, np.ndarray) else page
            rows = [dict(searcher.stored_fields(d), score=0.0) for d in page]
        hits = np.array(docnums, dtype=np.int64)
        counts = {name: self.column(name).counts(hits) for name in FACET_FIELDS}
        terms = list(dict.fromkeys(t for t in literal_terms(q) if t and t != END_MARK))
        return RawResult(total=len(docnums), rows=rows, counts=counts, terms=terms)

    def matching_docnums(self, q: query.Query, fq: query.Query | None) -> list[int] | np.ndarray:
        """Sorted docnums of ``q`` under ``fq``.  A lone quoted phrase — the commonest
        query — skips Whoosh's matcher tree and takes its ids segment by segment."""
        searcher = self.searcher()
        if not isinstance(q, ExactPhrase):
            combined = query.And([q, fq]) if fq is not None else q
            return sorted(searcher.docs_for_query(combined))
        if searcher.is_atomic():
            segments = [(searcher, 0)]
        else:
            segments = searcher.subsearchers
        parts = [q.matching_ids(sub.reader()) + at for sub, at in segments]
        docnums = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        if fq is not None:
            allowed = np.fromiter(searcher.docs_for_query(fq), np.int64)
            docnums = docnums[np.isin(docnums, allowed)]
        return docnums

    def more_like(self, text: str, exclude_report: str, limit: int, topic: str = "") -> RawResult:
        """Paragraphs of other reports most like ``text`` under heading ``topic``
        (``store.similar``); ``terms`` are the key words the likeness was measured on."""
        lengths = lengths_with(self._folded)  # numpy BM25 (store.similar_rank)
        rows, terms = more_like(self.searcher(), text, exclude_report, limit, topic, lengths)
        return RawResult(total=len(rows), rows=rows, terms=terms)
