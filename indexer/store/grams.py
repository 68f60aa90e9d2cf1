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
* the folded text itself, one UTF-8 blob with an offset per docnum, memory-mapped, so
  verification (``bytes.find`` between two offsets) reads only the candidates' pages.

The file is named like Whoosh's own segment files, so Whoosh's cleanup deletes it with
its segment (``whoosh.index.clean_files``); segments never change after they are
written (deletions are a separate list), so neither does the file.

Layout (little-endian): header, keys (uint64, sorted: first code point << 21 | second),
bitmap offsets (uint64, keys + 1), text offsets (uint64, docs + 1), the serialized
bitmaps, the folded text.
"""

from __future__ import annotations

import mmap
import os
import struct
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pyroaring import BitMap

from .analysis import END_MARK

MAGIC = b"FZGRAMS1"
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


def encode(folded: Sequence[str]) -> bytes:
    """The whole file for a segment whose docnum ``d`` holds ``folded[d]``."""
    lengths = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded))
    total = int(lengths.sum())
    keys_out = np.zeros(0, dtype=np.uint64)
    bitmaps: list[bytes] = []
    if total:
        chars = np.frombuffer("".join(folded).encode("utf-32-le"), dtype=np.uint32)
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
    texts = [t.encode("utf-8") for t in folded]
    text_sizes = np.fromiter(map(len, texts), dtype=np.uint64, count=len(texts))
    text_offsets = np.r_[np.uint64(0), np.cumsum(text_sizes, dtype=np.uint64)].astype(np.uint64)
    blob = b"".join(bitmaps)
    text = b"".join(texts)
    header = HEADER.pack(MAGIC, len(folded), len(keys_out), len(blob), len(text))
    return b"".join(
        (
            header,
            keys_out.astype("<u8").tobytes(),
            bitmap_offsets.astype("<u8").tobytes(),
            text_offsets.astype("<u8").tobytes(),
            blob,
            text,
        )
    )


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
    if magic != MAGIC or size != HEADER.size + 8 * (2 * nkeys + docs + 2) + nbitmap + ntext:
        return f"{path.name}: not a whole bigram file"
    return None


class SegmentGrams:
    """Read side of one segment's file: bitmaps by key, folded text by docnum."""

    def __init__(self, buffer: bytes | mmap.mmap, name: str = "") -> None:
        self._buf = buffer
        if len(buffer) < HEADER.size:
            raise GramsError(f"{name}: too short")
        magic, docs, nkeys, nbitmap, ntext = HEADER.unpack_from(buffer, 0)
        pos = HEADER.size
        need = pos + 8 * (nkeys + nkeys + 1 + docs + 1) + nbitmap + ntext
        if magic != MAGIC or len(buffer) != need:
            raise GramsError(f"{name}: not a whole bigram file ({len(buffer)} bytes)")
        self.keys = np.frombuffer(buffer, dtype="<u8", count=nkeys, offset=pos)
        pos += 8 * nkeys
        self._bitmap_offsets = np.frombuffer(buffer, dtype="<u8", count=nkeys + 1, offset=pos)
        pos += 8 * (nkeys + 1)
        self._text_offsets = np.frombuffer(buffer, dtype="<u8", count=docs + 1, offset=pos)
        pos += 8 * (docs + 1)
        self._bitmap_base = pos
        self._text_base = pos + nbitmap
        self.doc_count = docs
        self.lengths = np.diff(self._text_offsets).astype(np.int64)  # folded UTF-8 bytes
        self._starts = (self._text_offsets + self._text_base).tolist()

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

    def __getitem__(self, docnum: int) -> bytes:
        """The folded text of ``docnum`` as UTF-8 (what the old ``folded`` column held)."""
        return self._buf[self._starts[docnum] : self._starts[docnum + 1]]

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

    def contains(self, docnum: int, needle: bytes) -> bool:
        return self._buf.find(needle, self._starts[docnum], self._starts[docnum + 1]) >= 0

    def counts(self, candidates, needle: bytes, lower: bool = False) -> tuple[list, list]:
        """(docnums, occurrences) of ``needle`` in the candidates that hold it: one pass
        that verifies and counts (a bare word's tf) together."""
        buf, starts = self._buf, self._starts
        ids = list(candidates)
        if lower:
            found = [buf[starts[d] : starts[d + 1]].lower().count(needle) for d in ids]
        else:
            found = [buf[starts[d] : starts[d + 1]].count(needle) for d in ids]
        if all(found):
            return ids, found
        kept = [(d, n) for d, n in zip(ids, found, strict=True) if n]
        return [d for d, _ in kept], [n for _, n in kept]

    def verified(self, candidates, needle: bytes, lower: bool = False) -> list[int]:
        """The candidates whose folded text holds ``needle`` (ASCII case aside if ``lower``)."""
        if lower:
            return [d for d in candidates if needle in self[d].lower()]
        find, starts = self._buf.find, self._starts
        return [d for d in candidates if find(needle, starts[d], starts[d + 1]) >= 0]
