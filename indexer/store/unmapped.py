"""Whoosh's memory-mapped segment files read in place, not copied.

whoosh-reloaded maps each segment's compound file, then wraps every sub-file it opens
(the terms, the postings, each column) in a ``BufferFile`` whose ``BytesIO`` copies the
mapped bytes: every segment was held twice, as a private copy and as mapped pages (at
300k paragraphs, 116 MB of private memory and 118 MB of mapped pages after the first
searches).  ``read_in_place`` gives ``BufferFile`` a buffered reader over the mapped
bytes instead, so only the pages a search reads are ever touched, and nothing is
copied.  Reading ``BufferFile.get`` (postings, columns) was already copy-free of the
rest; search times are unchanged (``bench/bench_pages.py``).
"""

from __future__ import annotations

import io
import mmap

from whoosh.filedb import compound, structfile


class _MappedBytes(io.RawIOBase):
    """A read-only, seekable raw file over a memoryview (no copy)."""

    def __init__(self, buf) -> None:
        super().__init__()
        self._buf = memoryview(buf).cast("B")
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        n = max(0, min(len(b), len(self._buf) - self._pos))
        b[:n] = self._buf[self._pos : self._pos + n]
        self._pos += n
        return n

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._buf)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos


class InPlaceBufferFile(structfile.BufferFile):
    """Whoosh's ``BufferFile`` whose sequential reads go through the mapped bytes."""

    def __init__(self, buf, name=None, onclose=None) -> None:
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = io.BufferedReader(_MappedBytes(buf))


def release_mapped(reader) -> None:
    """Unmap the pages of ``reader``'s segment files this process touched
    (``MADV_DONTNEED``, as ``grams.SegmentGrams.release``): they stay in the page cache
    and are mapped again on the next read (a minor fault).  A served index otherwise
    kept every term, posting and column page any request read: 109 MB at 1M paragraphs
    after bench_scale's pages."""
    for leaf, _ in reader.leaf_readers():
        storage = getattr(leaf, "_storage", None)
        files = getattr(storage, "a", storage)  # OverlayStorage(compound file, folder)
        source = getattr(files, "_source", None)
        if isinstance(source, mmap.mmap) and hasattr(mmap, "MADV_DONTNEED"):
            source.madvise(mmap.MADV_DONTNEED)


def read_in_place() -> None:
    """Make Whoosh's compound storage open sub-files in place (idempotent)."""
    compound.BufferFile = InPlaceBufferFile
