"""Exact quoted phrases for the Whoosh store: bigram candidates, verified on folded text.

Part of the store (the only place besides ``store.py`` that imports Whoosh).  Whoosh's
positional phrase matching runs span arithmetic in Python for every candidate and was
~90× slower than a plain substring scan.  Here a phrase is answered in two steps:

1. candidates — the documents holding the phrase's rarest character bigrams (a plain
   term intersection, no positions): every true match holds all its bigrams, so no
   match is lost;
2. verification — ``needle in folded_text`` on each candidate, read from a bytes
   column, so nothing but a true substring passes.  UTF-8 is self-synchronising,
   so a byte substring test is a character substring test.

Together that is exactly the substring scan, punctuation included ("公职律，师" does
not match "公职律师"), at the cost of the candidates only.
"""

from __future__ import annotations

from whoosh import query
from whoosh.matching import ListMatcher, NullMatcher

from ..fold import fold
from .analysis import END_MARK
from .columns import column_values


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
        grams = self.grams()
        return min((ixreader.doc_frequency("exact", g) for g in grams), default=0)

    def grams(self) -> list[str]:
        text = self.text
        return [text[i : i + 2] for i in range(len(text) - 1)]

    def matching_ids(self, reader) -> list[int]:
        """Docnums (in this segment) whose folded text contains the phrase.

        Candidates are the postings of the phrase's rarest bigram — every true match
        holds it — then the substring test on the folded column removes the rest.
        """
        text = self.text
        if len(text) == 1:
            found: set[int] = set()
            for term in reader.expand_prefix("exact", text):
                found.update(posting_ids(reader, term))
            ids = sorted(found)
        else:
            rarest = min(set(self.grams()), key=lambda g: reader.doc_frequency("exact", g))
            ids = posting_ids(reader, rarest) if reader.doc_frequency("exact", rarest) else []
            if len(text) > 2 and ids:
                column = self.folded_columns.get(reader)
                needle = text.encode("utf-8")
                ids = [d for d in ids if needle in column[d]]
        if ids and reader.has_deletions():
            ids = [d for d in ids if not reader.is_deleted(d)]
        return ids

    def matcher(self, searcher, context=None):
        if not self.text or END_MARK in self.text:
            return NullMatcher()
        ids = self.matching_ids(searcher.reader())
        return ListMatcher(ids, all_weights=self.boost) if ids else NullMatcher()


def posting_ids(reader, term: str | bytes) -> list[int]:
    """All docnums of one ``exact`` term, a block at a time.

    Whoosh's generic ``all_ids`` costs a few Python calls per posting; reading each
    decoded block's id array is several times faster.  whoosh-reloaded 2.7.x is
    frozen, so its block matcher's layout is stable; any other matcher (inline
    postings of rare terms) takes the generic path.
    """
    matcher = reader.postings("exact", term)
    if not all(hasattr(matcher, a) for a in ("_read_ids", "_next_block", "_blocklength")):
        return list(matcher.all_ids())
    ids: list[int] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        ids.extend(matcher._ids[matcher._i : matcher._blocklength])
        matcher._next_block()
    return ids


class FoldedColumns:
    """The ``folded`` column of each segment as a list of bytes, read once per segment.

    The store hands one instance to every ExactPhrase it parses, and the instance's dict
    may be shared by every handle on the same generation (segments never change), so
    verification indexes a Python list instead of re-reading the column per query.
    """

    def __init__(self, by_segment: dict[str, list[bytes]] | None = None) -> None:
        self._by_segment = by_segment if by_segment is not None else {}

    @staticmethod
    def _key(reader) -> str:
        return reader.segment().segment_id() if hasattr(reader, "segment") else str(id(reader))

    def get(self, reader) -> list[bytes]:
        key = self._key(reader)
        column = self._by_segment.get(key)
        if column is None:
            column = self._by_segment[key] = column_values(reader.column_reader("folded"))
        return column

    def average_length(self, reader) -> float:
        """Mean folded byte length in this segment (BM25's average document length)."""
        key = self._key(reader) + "#avg"
        average = self._by_segment.get(key)
        if average is None:
            column = self.get(reader)
            average = sum(map(len, column)) / max(len(column), 1)
            self._by_segment[key] = average  # type: ignore[assignment]
        return average  # type: ignore[return-value]
