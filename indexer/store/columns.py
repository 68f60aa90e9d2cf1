"""Whole Whoosh columns read in bulk: the first query after opening an index pays for them.

Facet counts and sorts read the ``report`` and ``section`` columns for every document;
Whoosh's column iterators make a file read and an unpack per document, which at 300k
paragraphs was most of a first query's time.  The column kind our schema uses for them,
``RefBytes`` (sortable IDs: a ref array into a table of unique values), is read here in
one file read through numpy.  Anything else falls back to
Whoosh's iterator; ``tests/test_columns.py`` checks both paths give the same values.
"""

from __future__ import annotations

import numpy as np
from whoosh.columns import (
    MultiColumnReader,
    RefBytesColumn,
    TranslatingColumnReader,
)

_DTYPES = {"B": ">u1", "H": ">u2", "I": ">u4", "L": ">u4", "i": ">i4", "l": ">i4", "Q": ">u8"}


def column_values(reader) -> list:
    """Every document's value of one column, in docnum order (translated as Whoosh does)."""
    parts = reader._readers if isinstance(reader, MultiColumnReader) else [reader]
    out: list = []
    for part in parts:
        out.extend(_segment_values(part))
    return out


def _segment_values(reader) -> list:
    translate = None
    if isinstance(reader, TranslatingColumnReader):
        translate, reader = reader._translate, reader.raw_column()
    if isinstance(reader, RefBytesColumn.Reader) and reader._typecode in _DTYPES:
        size = reader._doccount * reader._itemsize
        raw = reader._dbfile.get(reader._basepos, size) if size else b""
        refs = np.frombuffer(raw, dtype=_DTYPES[reader._typecode]).tolist()
        uniques = reader._uniques
        if translate is not None:
            uniques = [translate(u) for u in uniques]
        return [uniques[r] for r in refs]
    values = list(reader)
    return [translate(v) for v in values] if translate is not None else values
