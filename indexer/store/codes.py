"""Each segment's facet columns as codes, written once beside the segment.

A first query after opening counts its hits per report and per section, which needs
those two columns of every document (``columns.CodedColumn``).  Decoding them from
Whoosh's column files grew with the corpus: at 1M paragraphs (~100 segments) it was
half of that query.  A segment never changes once written, so at the end of every
build the segments without one get a ``MAIN_<segment>.<column>.codes`` file per column:
the segment's distinct values (JSON) and, per document, the index of its value among
them (a little-endian unsigned array).  Opening reads the small files and merges the
distinct values; an update writes files for its new segments only.

Whoosh's own clean-up removes the files with their segment (they match its segment
file pattern).  A missing or damaged file — an index built before them, a lost file —
means the column is decoded from Whoosh for that segment, exactly as before; the next
build writes the missing files.
"""

from __future__ import annotations

import logging
import os
import struct
from pathlib import Path

import numpy as np

from . import jsonio
from .base import FACET_FIELDS
from .columns import CodedColumn, open_column, segment_codes
from .exact import leaf_readers, segment_id

log = logging.getLogger(__name__)
MAGIC = b"FZCODES1"
_HEAD = struct.Struct("<I")  # the JSON header's length


def codes_path(folder: Path, segment: str, name: str) -> Path:
    return folder / f"{segment}.{name}.codes"


def encode(refs: np.ndarray, values: list[str]) -> bytes:
    """The file's bytes: magic, header length, header, refs."""
    dtype = next(t for t in ("<u1", "<u2", "<u4") if len(values) <= np.iinfo(t).max + 1)
    head = jsonio.dumps({"count": len(refs), "dtype": dtype, "values": values})
    return MAGIC + _HEAD.pack(len(head)) + head + refs.astype(dtype).tobytes()


def decode(data: bytes, count: int) -> tuple[np.ndarray, list[str]]:
    """(refs, values) of a file for a segment of ``count`` documents; ValueError if the
    bytes are not such a file, whole and consistent."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _HEAD.size:
        raise ValueError("not a codes file")
    start = len(MAGIC) + _HEAD.size
    (size,) = _HEAD.unpack_from(data, len(MAGIC))
    head = jsonio.loads(data[start : start + size])
    values, dtype = head["values"], np.dtype(head["dtype"])
    if head["count"] != count or dtype.kind != "u" or not isinstance(values, list):
        raise ValueError(f"holds {head['count']} documents, the segment {count}")
    body = data[start + size :]
    if len(body) != count * dtype.itemsize:
        raise ValueError("truncated")
    refs = np.frombuffer(body, dtype=dtype)
    if count and int(refs.max()) >= len(values):
        raise ValueError("a code past the values")
    return refs, values


def write_missing_codes(reader, folder: Path, names: tuple[str, ...] = FACET_FIELDS) -> int:
    """Write the codes files the segments of ``reader`` lack; how many were written.
    A column whose values are not all strings (none of ours) gets no file."""
    written = 0
    for leaf, _ in leaf_readers(reader):
        segment = segment_id(leaf)
        if not segment or leaf.doc_count_all() == 0:
            continue
        for name in names:
            path = codes_path(folder, segment, name)
            if path.exists():
                continue
            refs, values = segment_codes(open_column(leaf, name))
            if not all(isinstance(v, str) for v in values):
                continue
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(encode(refs, values))
            os.replace(tmp, path)
            written += 1
    return written


def _leaf_codes(folder: Path | None, leaf, name: str) -> tuple[np.ndarray, list]:
    segment = segment_id(leaf)
    if folder is not None and segment:
        path = codes_path(folder, segment, name)
        try:
            return decode(path.read_bytes(), leaf.doc_count_all())
        except FileNotFoundError:
            pass  # an index built before these files: decoded from Whoosh below
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("column codes unusable, read from the segment: %s: %s", path, exc)
    return segment_codes(open_column(leaf, name))


def stored_column(reader, name: str, folder: Path | None) -> CodedColumn:
    """Column ``name`` of every segment of ``reader``, from the segments' codes files
    where they are whole, else from Whoosh — the same ``CodedColumn`` either way."""
    return CodedColumn.of_segments(
        [_leaf_codes(folder, leaf, name) for leaf, _ in leaf_readers(reader)]
    )
