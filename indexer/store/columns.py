"""Whole Whoosh columns read in bulk: the first query after opening an index pays for them.

Facet counts and sorts read the ``report`` and ``section`` columns for every document;
Whoosh's column iterators make a file read and an unpack per document, which at 300k
paragraphs was most of a first query's time.  Sortable IDs are ``VarBytes`` columns in
whoosh-reloaded (``RefBytes`` in Whoosh 2.7: a ref array into a table of unique
values); both are read here in one file read through numpy, as codes into the sorted
distinct values (``column_codes``).  Anything else falls back to
Whoosh's iterator; ``tests/test_columns.py`` checks both paths give the same values.
"""

from __future__ import annotations

import numpy as np
from whoosh.columns import (
    MultiColumnReader,
    RefBytesColumn,
    TranslatingColumnReader,
    VarBytesColumn,
)

from .base import LabelCounts

_DTYPES = {"B": ">u1", "H": ">u2", "I": ">u4", "L": ">u4", "i": ">i4", "l": ">i4", "Q": ">u8"}


class _BulkVarBytes(VarBytesColumn):
    """Whoosh's VarBytes column, its reader opened without a Python loop over documents.

    Whoosh's reader derives every document's offset from the lengths one by one when it
    opens (a tenth of a first query at 100k paragraphs); whole-column reads need only
    the lengths, and the offsets come from one cumulative sum.
    """

    class Reader(VarBytesColumn.Reader):
        def _read_offsets_and_lengths(self) -> None:
            dbfile, doccount = self._dbfile, self._doccount
            lastbyte = self._basepos + self._length - 1
            code = chr(dbfile.get_byte(lastbyte))
            if code == "X":  # offsets were stored too: the lengths' code comes before
                code = chr(dbfile.get_byte(lastbyte - 2))
                offsets_code = chr(dbfile.get_byte(lastbyte - 1))
                lastbyte = lastbyte - 2 - doccount * np.dtype(offsets_code).itemsize
            start = lastbyte - np.dtype(code).itemsize * doccount
            self._lengths = dbfile.get_array(start, code, doccount)
            ends = np.cumsum(np.frombuffer(self._lengths, dtype=code), dtype=np.int64)
            self._offsets = ends - np.frombuffer(self._lengths, dtype=code)


def open_column(reader, name: str):
    """``reader.column_reader(name)``, opened in bulk when the column is VarBytes."""
    column = reader.schema[name].column_type
    if type(column) is VarBytesColumn:
        return reader.column_reader(name, column=_BulkVarBytes())
    return reader.column_reader(name)


def column_values(reader) -> list:
    """Every document's value of one column, in docnum order (translated as Whoosh does)."""
    parts = reader._readers if isinstance(reader, MultiColumnReader) else [reader]
    out: list = []
    for part in parts:
        refs, distinct = segment_codes(part)
        out.extend(distinct[r] for r in refs.tolist())
    return out


class CodedColumn:
    """A column as its sorted distinct values (``labels``) and, per docnum, the index of
    its value among them (``codes``).  Facet counts are then one ``np.bincount`` over the
    hits' codes, and sorting by codes sorts by value — no Python object per document.
    A generation's columns are built once and shared (``GenerationData.columns``)."""

    def __init__(self, codes: np.ndarray, labels: list) -> None:
        self.codes = codes
        self.labels = labels
        self._labels = np.array(labels, dtype=object)

    @classmethod
    def of_segments(cls, segments: list[tuple[np.ndarray, list]]) -> CodedColumn:
        """From each segment's (refs, distinct values), in docnum order.  Each segment's
        values are sorted runs (``np.unique``), which ``sorted`` merges rather than sorts."""
        labels = list(dict.fromkeys(sorted([v for _, values in segments for v in values])))
        where = dict(zip(labels, range(len(labels)), strict=True))
        coded = [
            np.array([where[v] for v in values], dtype=np.int32)[refs]
            for refs, values in segments
            if len(refs)
        ]
        codes = np.concatenate(coded) if coded else np.zeros(0, dtype=np.int32)
        return cls(codes, labels)

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, docnum: int):
        return self.labels[self.codes[docnum]]

    def counts(self, docnums: np.ndarray) -> LabelCounts:
        """{value: number of ``docnums`` holding it}, values in sorted order, zeros left
        out — as arrays over this column's labels (``LabelCounts``)."""
        n = np.bincount(self.codes[docnums], minlength=len(self.labels))
        held = np.flatnonzero(n)
        return LabelCounts(self._labels, held, n[held])


def column_codes(reader) -> CodedColumn:
    """One column of every segment as a ``CodedColumn`` (values translated as Whoosh does).

    Sortable ID columns are Whoosh ``RefBytes``: per segment an array of refs into a
    table of its distinct values, read here with numpy; only the distinct values are
    translated (decoded), not one value per document.
    """
    parts = reader._readers if isinstance(reader, MultiColumnReader) else [reader]
    return CodedColumn.of_segments([segment_codes(part) for part in parts])


def segment_codes(reader) -> tuple[np.ndarray, list]:
    """(refs per document, the values they point to) for one segment's column."""
    translate = None
    if isinstance(reader, TranslatingColumnReader):
        translate, reader = reader._translate, reader.raw_column()
    if isinstance(reader, RefBytesColumn.Reader) and reader._typecode in _DTYPES:
        size = reader._doccount * reader._itemsize
        raw = reader._dbfile.get(reader._basepos, size) if size else b""
        refs = np.frombuffer(raw, dtype=_DTYPES[reader._typecode]).astype(np.int64)
        uniques = list(reader._uniques)
        return refs, [translate(u) for u in uniques] if translate is not None else uniques
    coded = _var_bytes_codes(reader) if isinstance(reader, VarBytesColumn.Reader) else None
    if coded is None:
        values = list(reader)
        where: dict = {}
        refs = np.fromiter((where.setdefault(v, len(where)) for v in values), np.int64, len(values))
        coded = refs, list(where)
    refs, distinct = coded
    return refs, [translate(v) for v in distinct] if translate is not None else distinct


WIDEST = 256  # bytes; a wider value (none of our ID columns) takes Whoosh's iterator


def _var_bytes_codes(reader: VarBytesColumn.Reader) -> tuple[np.ndarray, list[bytes]] | None:
    """A VarBytes column (whoosh-reloaded's sortable IDs) as refs into its distinct values,
    with numpy: one file read, each value's bytes as a fixed-width row, ``np.unique`` over
    the rows that start a run (a report's paragraphs are consecutive documents)."""
    lengths = np.frombuffer(reader._lengths, dtype=reader._lengths.typecode).astype(np.int64)
    total = int(lengths.sum())
    width = int(lengths.max()) if len(lengths) else 0
    if width == 0 or width > WIDEST:
        return None if width else (np.zeros(len(lengths), np.int64), [b""])
    width = -(-width // 8) * 8  # whole 8-byte words: rows compare as uint64
    blob = np.zeros(total + width, dtype=np.uint8)
    blob[:total] = np.frombuffer(reader._dbfile.get(reader._basepos, total), dtype=np.uint8)
    ends = np.cumsum(lengths)
    if (blob[ends[lengths > 0] - 1] == 0).any():
        return None  # a value ending in NUL would lose it to numpy's fixed-width bytes
    rows = np.lib.stride_tricks.sliding_window_view(blob, width)[ends - lengths]
    # Past its length a row holds the next values' bytes: two equal values may then differ
    # (an extra run head, harmless), two different ones never compare equal.
    head = np.ones(len(rows), dtype=bool)
    words = rows.view(np.uint64)
    head[1:] = (lengths[1:] != lengths[:-1]) | (words[1:] != words[:-1]).any(axis=1)
    heads = rows[head]
    heads[np.arange(width) >= lengths[head][:, None]] = 0
    distinct, head_refs = np.unique(heads.view(f"S{width}").ravel(), return_inverse=True)
    return head_refs.astype(np.int64)[np.cumsum(head) - 1], distinct.tolist()
