"""Exact quoted phrases for the Whoosh store: bigram candidates, verified on folded text.

Whoosh's positional phrase matching runs span arithmetic in Python for every candidate
and was ~90× slower than a plain substring scan.  Here a phrase is answered per segment
in two steps, from the segment's ``.grams`` file (``grams``):

1. candidates — the intersection of the roaring bitmaps of the phrase's character
   bigrams: every true match holds all of them, so no match is lost;
2. verification — ``bytes.find`` of the folded phrase between the candidate's two
   offsets in the memory-mapped folded text (UTF-16: a match must start at a code-unit
   boundary, ``grams.SegmentGrams.verified``), so nothing but a true substring passes.

Together that is exactly the substring scan, punctuation included ("公职律，师" does
not match "公职律师"), at the cost of the candidates only.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from pyroaring import BitMap
from whoosh import index as whoosh_index
from whoosh import query
from whoosh.matching import ListMatcher, NullMatcher

from ..faults import die_with_parent
from ..fold import fold
from ..model import Report
from . import catalog, grams
from .analysis import END_MARK
from .proof import Lexicon, proven_mask, uncased

log = logging.getLogger(__name__)
PARALLEL_MIN_DOCS = 20000  # below this, forking costs more than it saves


class ExactPhrase(query.Query):
    """A quoted phrase; ``text`` is its folded form (what highlighting looks for)."""

    def __init__(self, text: str, boost: float = 1.0) -> None:
        self.fieldname = "exact"
        self.text = fold(text)
        self.boost = boost
        self.folded_columns = FoldedColumns()

    def __repr__(self) -> str:
        return f"ExactPhrase({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ExactPhrase) and other.text == self.text

    def __hash__(self) -> int:
        return hash(("ExactPhrase", self.text))

    def is_leaf(self) -> bool:
        return True

    def terms(self, phrases: bool = True):
        return iter(())

    def estimate_size(self, ixreader) -> int:
        return sum(len(self.candidates(leaf)) for leaf, _ in leaf_readers(ixreader))

    def candidates(self, reader) -> BitMap:
        """Docnums (in this segment) holding every bigram of the phrase."""
        segment = self.folded_columns.get(reader)
        text = self.text
        if len(text) == 1:
            return segment.starting_with(text)
        postings = sorted((segment.posting(k) for k in grams.phrase_keys(text)), key=len)
        return BitMap.intersection(*postings) if len(postings) > 1 else postings[0]

    def live_candidates(self, reader) -> BitMap:
        """``candidates`` without the docnums deleted from the segment since it was written."""
        found = self.candidates(reader)
        dead = self.folded_columns.deleted(reader)
        return found - dead if dead else found

    @property
    def provable(self) -> bool:
        """Whether jieba words can prove matches (``proof``): three characters or more
        (two need no proof: the bigram is one), none of them cased."""
        return len(self.text) > 2 and uncased(self.text)

    def matching_ids(self, reader, proven: np.ndarray | None = None) -> np.ndarray:
        """Docnums (in this segment, ascending, int64) whose folded text contains the
        phrase.  Candidates proven by jieba words (``proof``; ``proven``: the phrase's
        own postings if already read) are kept unread; only the rest are verified on
        the text."""
        found = self.live_candidates(reader)
        if len(self.text) <= 2 or not found:
            return grams.docnum_array(found)
        segment = self.folded_columns.get(reader)
        if not self.provable:
            return segment.verified(found, self.text)
        ids = grams.docnum_array(found)
        lexicon = self.folded_columns.lexicon()
        held = proven_mask(reader, self.text, lexicon, ids, proven)
        if held is None:
            return segment.verified(ids, self.text)
        rest = ids[~held]
        if len(rest):
            held[np.searchsorted(ids, segment.verified(rest, self.text))] = True
        return ids[held]

    def matcher(self, searcher, context=None):
        if not self.text or END_MARK in self.text:
            return NullMatcher()
        ids = self.matching_ids(searcher.reader())
        return ListMatcher(ids.tolist(), all_weights=self.boost) if len(ids) else NullMatcher()


def segment_id(reader) -> str | None:
    """The Whoosh segment a leaf reader reads (None: an empty index has no segment)."""
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else None


def leaf_readers(reader) -> list:
    return reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]


class ParagraphTexts:
    """``(report id, paragraph number) -> text``: from the reports a build has in hand,
    else from generation ``gen``'s catalog (reports kept from before, merged segments)."""

    def __init__(self, gen: Path, reports: Iterable[Report] = ()) -> None:
        self.gen = gen
        self._by_report = {r.meta.id: {p.number: p.text for p in r.paragraphs} for r in reports}

    def __call__(self, report_id: str, number: int) -> str:
        texts = self._by_report.get(report_id)
        if texts is None:
            report = catalog.load_report(self.gen, report_id)
            texts = {p.number: p.text for p in report.paragraphs} if report else {}
            self._by_report[report_id] = texts
        return texts.get(number, "")


def segment_texts(reader, texts: ParagraphTexts) -> list[str]:
    """One segment's folded texts by docnum (Whoosh stores which paragraph each is;
    an index from before that stored the text itself)."""
    out = []
    for d in range(reader.doc_count_all()):
        fields = reader.stored_fields(d)
        text = fields.get("text")
        if text is None:
            text = texts(fields.get("report", ""), int(fields.get("paragraph", 0)))
        out.append(fold(text))
    return out


class FoldedColumns:
    """Each segment's ``grams.SegmentGrams`` (bitmaps and folded text), opened once.

    The store hands one instance to every ExactPhrase it parses, and the instance's dict
    may be shared by every handle on the same generation (segments never change), so a
    segment's file is mapped once, not per query.
    """

    def __init__(self, folder: Path | None = None, by_segment: dict | None = None) -> None:
        self.folder = folder  # the store directory; None: build every segment in memory
        self._by_segment = by_segment if by_segment is not None else {}

    @staticmethod
    def _key(reader) -> str:
        return segment_id(reader) or str(id(reader))

    def get(self, reader) -> grams.SegmentGrams:
        key = self._key(reader)
        segment = self._by_segment.get(key)
        if segment is None:
            segment = self._by_segment[key] = open_segment(self.folder, reader)
        return segment

    def deleted(self, reader) -> BitMap | None:
        """The segment's deleted docnums (None if none), as a bitmap read once: a
        Python ``is_deleted`` call per candidate was most of a common phrase's time."""
        if not reader.has_deletions():
            return None
        key = self._key(reader) + "#deleted"
        dead = self._by_segment.get(key)
        if dead is None:
            dead = self._by_segment[key] = BitMap(reader.deleted_docs_set)  # a cached property
        return dead

    def lexicon(self) -> Lexicon:
        """The store's jieba words for ``proof``, read once per generation."""
        lexicon = self._by_segment.get("#lexicon")
        if lexicon is None:
            folder = self.folder
            lexicon = Lexicon.load(folder) if folder is not None else Lexicon([])
            self._by_segment["#lexicon"] = lexicon
        return lexicon

    def release(self) -> None:
        """``SegmentGrams.release`` for every segment opened."""
        for value in list(self._by_segment.values()):
            if isinstance(value, grams.SegmentGrams):
                value.release()

    def average_length(self, reader) -> float:
        """Mean folded byte length in this segment (BM25's average document length)."""
        key = self._key(reader) + "#avg"
        average = self._by_segment.get(key)
        if average is None:
            lengths = self.get(reader).lengths
            average = float(lengths.sum()) / max(len(lengths), 1)
            self._by_segment[key] = average
        return average


def open_segment(folder: Path | None, reader) -> grams.SegmentGrams:
    """The segment's ``.grams`` file, or (an index from before them, or a file lost since
    the build: ``check.damage`` makes the next build rewrite it) one built in memory."""
    if folder is not None and segment_id(reader):
        path = grams.grams_path(folder, segment_id(reader))
        try:
            return grams.SegmentGrams.open(path)
        except (OSError, grams.GramsError) as exc:
            log.warning("bigram file unusable, built in memory: %s", exc)
    texts = ParagraphTexts(folder.parent) if folder is not None else ParagraphTexts(Path("."))
    return grams.SegmentGrams.of_texts(segment_texts(reader, texts))


def write_missing(ix, folder: Path, texts: ParagraphTexts, procs: int = 2) -> int:
    """Write the ``.grams`` file of every segment of ``ix`` (stored in ``folder``) that
    lacks one; how many.  Segments are independent: several go to ``procs`` processes
    (forked: they inherit ``texts`` and the reports it holds)."""
    segments = ix._segments()  # from the TOC: a reader opened every segment's files
    names = [segment.segment_id() for segment in segments]
    sizes = {segment.segment_id(): segment.doc_count_all() for segment in segments}
    todo = [n for n in names if n and not grams.grams_path(folder, n).exists()]
    if procs < 2 or len(todo) < 2 or sum(sizes[n] for n in todo) < PARALLEL_MIN_DOCS:
        for name in todo:
            _write_segment(folder, name, texts)
        return len(todo)
    shares: list[list[str]] = [[] for _ in range(procs)]
    for name in sorted(todo, key=lambda n: -sizes[n]):  # largest first, to the lightest share
        min(shares, key=lambda share: sum(sizes[n] for n in share)).append(name)
    context = multiprocessing.get_context("fork")  # children inherit ``texts``, unpickled
    workers = [
        context.Process(target=_write_segments, args=(os.getpid(), folder, share, texts))
        for share in shares
        if share
    ]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
                worker.join()
    failed = [w.exitcode for w in workers if w.exitcode]
    if failed:
        raise RuntimeError(f"writing bigram files failed in a worker (exit code {failed[0]})")
    return len(todo)


def _write_segments(parent: int, folder: Path, names: list[str], texts: ParagraphTexts) -> None:
    die_with_parent(parent)
    for name in names:
        _write_segment(folder, name, texts)


def _write_segment(folder: Path, name: str, texts: ParagraphTexts) -> None:
    ix = whoosh_index.open_dir(str(folder))
    try:
        with ix.reader() as reader:
            for leaf, _ in leaf_readers(reader):
                if segment_id(leaf) == name:
                    grams.write(grams.grams_path(folder, name), segment_texts(leaf, texts))
    finally:
        ix.close()
