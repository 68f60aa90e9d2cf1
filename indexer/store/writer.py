"""Whoosh writer tuning: what a build profile showed Whoosh spending for nothing.

Flushing a segment, Whoosh asks the new segment's length column for every posting
(``doc_field_length``: a column lookup, a struct read and a table search per
posting).  Our bigram field alone has ~150 postings per paragraph, so in a 4k-paragraph
profile that was a quarter of the whole build.  ``_flush_segment`` here reads each
length column once into a list and answers from it — the same values, in the same
order, so the segment written is byte-for-byte what Whoosh would write.

whoosh-reloaded is pinned to 2.7.x (frozen), whose ``SegmentWriter._flush_segment``
this mirrors; ``tests/test_writer.py`` checks the lengths agree with Whoosh's own.
"""

from __future__ import annotations

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

WHOOSH_FLUSH = SegmentWriter._flush_segment  # Whoosh's own, kept for the equivalence test
_BYTE_TO_LENGTH = [byte_to_length(b) if b else None for b in range(256)]


class PreloadedLengths:
    """``doc_field_length`` over whole length columns read once per field."""

    def __init__(self, reader) -> None:
        self.reader = reader
        self._columns: dict[str, list | None] = {}

    def _column(self, fieldname: str) -> list | None:
        if fieldname not in self._columns:
            lenfield = _lenfield(fieldname)
            if self.reader.has_column(lenfield):
                raw = self.reader.column_reader(lenfield, LENGTHS_COLUMN)
                self._columns[fieldname] = [_BYTE_TO_LENGTH[b] for b in raw]
            else:
                self._columns[fieldname] = None
        return self._columns[fieldname]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0):
        column = self._column(fieldname)
        return default if column is None else column[docnum]

    def close(self) -> None:
        self.reader.close()


def _flush_segment(self) -> None:
    self.perdocwriter.close()
    lengths = PreloadedLengths(self.per_document_reader()) if self.codec.length_stats else None
    self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
    self.fieldwriter.close()
    if lengths is not None:
        lengths.close()


def tune_whoosh() -> None:
    """Install the faster flush (idempotent; worker processes inherit it by fork)."""
    SegmentWriter._flush_segment = _flush_segment
