"""Character-bigram postings of one Whoosh segment, as roaring bitmaps in a file beside it.

Quoted phrases and bare words are substrings of the folded text.  They were answered
from a Whoosh field holding every character bigram of every paragraph: ~150 postings a
paragraph, three quarters of all postings, most of the build (Whoosh's writer is pure
Python) and most of the index, and read back at query time by Python matchers.  Here
each segment gets a ``MAIN_<segment>.grams`` file instead, written with numpy after the
segment is committed:

* for every bigram of the segment's folded text (and every last character, paired with
  ``END``), a roaring bitmap of the segment docnums holding it — candidates for a
  phrase are the intersection of its bigrams' bitmaps, computed in C;
* the folded text itself, one UTF-16 blob with an offset per docnum, memory-mapped, so
  verification (``bytes.find`` between two offsets) reads only the candidates' pages.
  UTF-16, not UTF-8: a CJK character takes two bytes instead of three, and the text is
  most of the file (the index went from 3.3× to under 3× the folded UTF-8 text).  A
  byte match at an odd offset from a paragraph's start straddles two code units and is
  not a character match: ``verified`` and ``occurrences`` look past it.  Each
  paragraph's UTF-8 length is kept too: BM25 measures length in those bytes.

The file is named like Whoosh's own segment files, so Whoosh's cleanup deletes it with
its segment (``whoosh.index.clean_files``); segments never change after they are
written (deletions are a separate list), so neither does the file.

Layout (little-endian): header, keys (uint64, sorted: first code point << 21 | second),
bitmap offsets (uint64, keys + 1), text offsets (uint64, docs + 1, in bytes of the
UTF-16 text), UTF-8 lengths (uint32, docs), the serialized bitmaps, the folded text.
"""

from __future__ import annotations

import mmap
import os
import struct
from collections.abc import Iterable, Sequence
from itertools import repeat
from pathlib import Path

import numpy as np
from pyroaring import BitMap

from ..fold import ascii_lower
from .analysis import END_MARK

MAGIC = b"FZGRAMS2"  # 1: UTF-8 text, no lengths (read as damaged: the next build rewrites it)
HEADER = struct.Struct("<8sQQQQ")  # magic, docs, keys, bitmap bytes, text bytes
END = ord(END_MARK)
SHIFT = 21  # code points are < 2**21


def gram_key(first: str, second: str) -> int:
    return (ord(first) << SHIFT) | ord(second)


def phrase_keys(text: str) -> list[int]:
    """The distinct bigram keys of a phrase of two or more characters."""
    return list(dict.fromkeys(gram_key(text[i], text[i + 1]) for i in range(len(text) - 1)))


def grams_path(folder: Path, segment_id: str) -> Path:
    return folder / f"{segment_id}.grams"


def _per_doc(values: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Sums of ``values`` over each document's run of characters (0 for an empty one)."""
    ends = np.cumsum(lengths)
    sums = np.r_[np.int64(0), np.cumsum(values, dtype=np.int64)]
    return sums[ends] - sums[ends - lengths]


def encode(folded: Sequence[str]) -> bytes:
    """The whole file for a segment whose docnum ``d`` holds ``folded[d]``."""
    lengths = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded))
    total = int(lengths.sum())
    keys_out = np.zeros(0, dtype=np.uint64)
    bitmaps: list[bytes] = []
    joined = "".join(folded)
    chars = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    utf8 = _per_doc(
        (chars >= 0x80).astype(np.int64) + (chars >= 0x800) + (chars >= 0x10000) + 1, lengths
    )
    units = _per_doc((chars >= 0x10000).astype(np.int64) + 1, lengths)  # UTF-16 code units
    if total:
        seconds = np.empty(total, dtype=np.uint64)
        seconds[:-1] = chars[1:]
        seconds[np.cumsum(lengths[lengths > 0]) - 1] = END  # a paragraph's last character
        keys = (chars.astype(np.uint64) << np.uint64(SHIFT)) | seconds
        docs = np.repeat(np.arange(len(folded), dtype=np.uint64), lengths)
        doc_bits = max(int(len(folded) - 1).bit_length(), 1)
        if 2 * SHIFT + doc_bits <= 64:  # one sort of (key, doc) packed in a uint64
            pairs = np.sort((keys << np.uint64(doc_bits)) | docs)
            pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]]  # np.unique hashes: slower
            keys = pairs >> np.uint64(doc_bits)
            docs = pairs & np.uint64((1 << doc_bits) - 1)
        else:
            order = np.lexsort((docs, keys))
            keys, docs = keys[order], docs[order]
            fresh = np.r_[True, (keys[1:] != keys[:-1]) | (docs[1:] != docs[:-1])]
            keys, docs = keys[fresh], docs[fresh]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        keys_out = keys[starts]
        docs32 = docs.astype(np.uint32)
        bounds = np.r_[starts, len(keys)].tolist()
        bitmaps = [
            BitMap(docs32[a:b]).serialize() for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        ]
    sizes = np.fromiter(map(len, bitmaps), dtype=np.uint64, count=len(bitmaps))
    bitmap_offsets = np.r_[np.uint64(0), np.cumsum(sizes, dtype=np.uint64)].astype(np.uint64)
    text_offsets = np.r_[np.int64(0), np.cumsum(2 * units, dtype=np.int64)]
    blob = b"".join(bitmaps)
    text = joined.encode("utf-16-le")
    header = HEADER.pack(MAGIC, len(folded), len(keys_out), len(blob), len(text))
    return b"".join(
        (
            header,
            keys_out.astype("<u8").tobytes(),
            bitmap_offsets.astype("<u8").tobytes(),
            text_offsets.astype("<u8").tobytes(),
            utf8.astype("<u4").tobytes(),
            blob,
            text,
        )
    )


def file_size(docs: int, keys: int, bitmap_bytes: int, text_bytes: int) -> int:
    return HEADER.size + 8 * (2 * keys + 1 + docs + 1) + 4 * docs + bitmap_bytes + text_bytes


def write(path: Path, folded: Sequence[str]) -> None:
    """Write atomically: a killed build leaves no half file under the final name."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(encode(folded))
    os.replace(tmp, path)


class GramsError(ValueError):
    """A ``.grams`` file that is not whole."""


def damage(path: Path) -> str | None:
    """Why the file at ``path`` cannot be used (missing, cut short, not ours), or None."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(HEADER.size)
            size = os.fstat(fh.fileno()).st_size
    except OSError as exc:
        return f"{path.name}: {exc.strerror or exc}"
    if len(head) < HEADER.size:
        return f"{path.name}: cut short"
    magic, docs, nkeys, nbitmap, ntext = HEADER.unpack(head)
    if magic != MAGIC or size != file_size(docs, nkeys, nbitmap, ntext):
        return f"{path.name}: not a whole bigram file of this version"
    return None


class SegmentGrams:
    """Read side of one segment's file: bitmaps by key, folded text by docnum."""

    def __init__(self, buffer: bytes | mmap.mmap, name: str = "") -> None:
        self._buf = buffer
        if len(buffer) < HEADER.size:
            raise GramsError(f"{name}: too short")
        magic, docs, nkeys, nbitmap, ntext = HEADER.unpack_from(buffer, 0)
        pos = HEADER.size
        if magic != MAGIC or len(buffer) != file_size(docs, nkeys, nbitmap, ntext):
            raise GramsError(f"{name}: not a whole bigram file ({len(buffer)} bytes)")
        self.keys = np.frombuffer(buffer, dtype="<u8", count=nkeys, offset=pos)
        pos += 8 * nkeys
        self._bitmap_offsets = np.frombuffer(buffer, dtype="<u8", count=nkeys + 1, offset=pos)
        pos += 8 * (nkeys + 1)
        text_offsets = np.frombuffer(buffer, dtype="<u8", count=docs + 1, offset=pos)
        pos += 8 * (docs + 1)
        # folded UTF-8 bytes per docnum: BM25's document length
        self.lengths = np.frombuffer(buffer, dtype="<u4", count=docs, offset=pos).astype(np.int64)
        pos += 4 * docs
        self._bitmap_base = pos
        self._text_base = pos + nbitmap
        self.doc_count = docs
        self._starts = text_offsets.astype(np.int64) + self._text_base
        self._always_aligned: dict[bytes, bool] = {}

    @classmethod
    def open(cls, path: Path) -> SegmentGrams:
        with open(path, "rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            buffer = mmap.mmap(fh.fileno(), size, access=mmap.ACCESS_READ) if size else b""
        return cls(buffer, path.name)

    @classmethod
    def of_texts(cls, folded: Sequence[str]) -> SegmentGrams:
        """Built in memory (a segment written before these files existed)."""
        return cls(encode(folded), "memory")

    def __len__(self) -> int:
        return self.doc_count

    def release(self) -> None:
        """Unmap the pages this process has touched (``MADV_DONTNEED``): they stay in
        the page cache, a later read maps them again (a minor fault).  A search touches
        the pages of its candidates' text and bitmaps, and Linux maps 64 KB around each
        touched page, so a long-running server otherwise keeps most of every file in
        its resident set (1M paragraphs: 460 MB of the server's 1.2 GB)."""
        if isinstance(self._buf, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
            self._buf.madvise(mmap.MADV_DONTNEED)

    def __getitem__(self, docnum: int) -> str:
        """The folded text of ``docnum``."""
        a, b = self._starts[docnum], self._starts[docnum + 1]
        return self._buf[a:b].decode("utf-16-le")

    def _bitmap(self, index: int) -> BitMap:
        a = self._bitmap_base + int(self._bitmap_offsets[index])
        b = self._bitmap_base + int(self._bitmap_offsets[index + 1])
        return BitMap.deserialize(self._buf[a:b])

    def posting(self, key: int) -> BitMap:
        """Docnums holding the bigram ``key`` (empty if none)."""
        i = int(np.searchsorted(self.keys, np.uint64(key)))
        if i < len(self.keys) and int(self.keys[i]) == key:
            return self._bitmap(i)
        return BitMap()

    def starting_with(self, char: str) -> BitMap:
        """Docnums holding ``char`` anywhere: the union of every bigram it begins."""
        low = np.uint64(ord(char) << SHIFT)
        high = np.uint64((ord(char) + 1) << SHIFT)
        a, b = np.searchsorted(self.keys, [low, high])
        return BitMap.union(BitMap(), *(self._bitmap(i) for i in range(int(a), int(b))))

    def verified(self, candidates: BitMap | Iterable[int], needle: str, lower: bool = False):
        """The candidates whose folded text holds ``needle`` (ASCII case aside if
        ``lower``: ``needle`` is then lower-case), as an int64 array in their order.

        One ``find`` per candidate between its two offsets, mapped in C over the arrays
        (a Python loop per candidate cost as much again); a byte match at an odd offset
        is not a character match, so the search goes on past it."""
        ids = docnum_array(candidates)
        if not len(ids) or not needle:
            return ids
        if lower:
            keep = [needle in ascii_lower(self[d]) for d in ids.tolist()]
            return ids[np.array(keep, dtype=bool)]
        encoded = needle.encode("utf-16-le")
        starts, ends = self._bounds(ids)
        found = np.fromiter(
            map(self._buf.find, repeat(encoded, len(ids)), starts, ends),
            dtype=np.int64,
            count=len(ids),
        )
        for i in np.flatnonzero((found >= 0) & ((found - starts) % 2 == 1)).tolist():
            found[i] = self._aligned_find(encoded, int(found[i]) + 1, int(ends[i]))
        return ids[found >= 0]

    def _bounds(self, ids: np.ndarray) -> tuple[list[int], list[int]]:
        return self._starts[ids].tolist(), self._starts[ids + 1].tolist()

    def always_aligned(self, encoded: bytes) -> bool:
        """Whether no byte match of ``encoded`` (UTF-16-LE) can start at an odd offset in
        this segment.  Such a match would put, where two of the needle's code units
        meet, the high byte of the first and the low byte of the next into one code
        unit of the text; if one of those units is a character this segment never
        holds (every character starts a bigram key), no such match exists and byte
        counts are character counts.  Decided per needle from the keys alone."""
        known = self._always_aligned.get(encoded)
        if known is None:
            units = np.frombuffer(encoded, dtype="<u2").astype(np.int64)
            straddled = ((units[1:] & 0xFF) << 8) | (units[:-1] >> 8)
            known = any(
                not 0xD800 <= unit <= 0xDFFF and not self._holds(unit)
                for unit in set(straddled.tolist())
            )
            if len(self._always_aligned) > 4096:
                self._always_aligned.clear()
            self._always_aligned[encoded] = known
        return known

    def _holds(self, code: int) -> bool:
        low, high = np.searchsorted(self.keys, [code << SHIFT, (code + 1) << SHIFT])
        return bool(high > low)

    def _aligned_find(self, encoded: bytes, start: int, end: int) -> int:
        """The first match at a code-unit boundary from ``start`` on, or -1."""
        at = self._buf.find(encoded, start, end)
        while at >= 0 and (at - self._text_base) % 2:
            at = self._buf.find(encoded, at + 1, end)
        return at

    def occurrences(self, ids: np.ndarray, needle: str, lower: bool = False) -> np.ndarray:
        """How often ``needle`` occurs (non-overlapping, as ``str.count``) in each of
        ``ids``' folded text: a bare word's tf.  Counted on the bytes; a paragraph where
        a byte match could be misaligned (a second match, or an odd first one) is
        decoded and counted as text."""
        ids = docnum_array(ids)
        if lower:
            return np.array([ascii_lower(self[d]).count(needle) for d in ids.tolist()], np.int64)
        encoded = needle.encode("utf-16-le")
        buf = self._buf
        texts = [buf[a:b] for a, b in zip(*self._bounds(ids), strict=True)]
        counts = np.fromiter(map(bytes.count, texts, repeat(encoded)), np.int64, len(texts))
        if self.always_aligned(encoded):
            return counts
        first = np.fromiter(map(bytes.find, texts, repeat(encoded)), np.int64, len(texts))
        for i in np.flatnonzero((counts > 1) | ((counts == 1) & (first % 2 == 1))).tolist():
            counts[i] = texts[i].decode("utf-16-le").count(needle)
        return counts


def docnum_array(docnums: BitMap | Iterable[int]) -> np.ndarray:
    """Docnums as a sorted-as-given int64 array (a bitmap without a Python int each)."""
    if isinstance(docnums, BitMap):
        return np.frombuffer(docnums.to_array(), dtype=np.uint32).astype(np.int64)
    if isinstance(docnums, np.ndarray):
        return docnums.astype(np.int64, copy=False)
    return np.fromiter(docnums, dtype=np.int64)
