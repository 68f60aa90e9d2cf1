"""Where a report is in the packs, found without parsing the whole pack index.

A search shows its first hits' text, read from their reports in the packs (``packs``);
finding them meant parsing ``reports/index.json`` — one entry per report, 3 MB and
~0.04 s at 47k reports, before the first answer.  ``index.bin`` beside it holds the
same entries as arrays over the report ids sorted as UTF-8 bytes (the order of Python
strings), so a lookup is a binary search over the file's bytes: nothing per report is
made when it opens.  It records the size and time of the ``index.json`` it was written
with; when that file is not the one it describes (or ``index.bin`` is missing or not
whole: an index written before it), readers parse ``index.json`` as before.
"""

from __future__ import annotations

import logging
import os
import struct
from pathlib import Path

import numpy as np

from . import jsonio

log = logging.getLogger(__name__)
LOOKUP = "index.bin"
MAGIC = b"FZPACKS1"
_HEAD = struct.Struct("<I")


def _stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def write_lookup(folder: Path, index_file: str, packs: dict[str, int], where: dict) -> None:
    """``index.bin`` for the entries ``where`` (id → [pack, offset, length]) just
    written to ``folder / index_file``."""
    names = sorted(packs)
    number = {name: i for i, name in enumerate(names)}
    ids = sorted(where)  # code point order: the order of their UTF-8 bytes too
    keys = [rid.encode("utf-8") for rid in ids]
    n = len(ids)
    ends = np.cumsum(np.fromiter(map(len, keys), np.uint64, n), dtype=np.uint64)
    names_of, offsets, lengths = (
        zip(*map(where.__getitem__, ids), strict=True) if n else ((), (), ())
    )
    pack = np.fromiter(map(number.__getitem__, names_of), "<u4", n)
    offset = np.array(offsets, dtype="<u8")
    length = np.array(lengths, dtype="<u8")
    head = jsonio.dumps({"packs": names, "count": len(keys), "of": _stamp(folder / index_file)})
    body = [ends.astype("<u8"), pack, offset, length]
    data = MAGIC + _HEAD.pack(len(head)) + head + b"".join(a.tobytes() for a in body)
    tmp = folder / f"{LOOKUP}.tmp"
    tmp.write_bytes(data + b"".join(keys))
    os.replace(tmp, folder / LOOKUP)


class PackLookup:
    """The entries of ``index.bin``: ``path_of`` and ``blob`` as ``packs.PackIndex``."""

    def __init__(self, folder: Path, data: bytes, index_file: str) -> None:
        if not data.startswith(MAGIC):
            raise ValueError("not a pack lookup")
        (size,) = _HEAD.unpack_from(data, len(MAGIC))
        start = len(MAGIC) + _HEAD.size
        head = jsonio.loads(data[start : start + size])
        if head["of"] != _stamp(folder / index_file):
            raise ValueError(f"written for another {index_file}")
        n, at = int(head["count"]), start + size
        self.ends = np.frombuffer(data, "<u8", n, at).astype(np.int64)
        self.pack = np.frombuffer(data, "<u4", n, at + 8 * n)
        self.offset = np.frombuffer(data, "<u8", n, at + 12 * n)
        self.length = np.frombuffer(data, "<u8", n, at + 20 * n)
        self.keys = memoryview(data)[at + 28 * n :]
        if len(self.keys) != (int(self.ends[-1]) if n else 0):
            raise ValueError("truncated")
        self.names = list(head["packs"])
        if n and int(self.pack.max()) >= len(self.names):
            raise ValueError("a pack number past the packs")
        self.folder = folder

    @classmethod
    def read(cls, folder: Path, index_file: str) -> PackLookup | None:
        """The folder's lookup, or None (missing, damaged or stale: parse the JSON)."""
        try:
            return cls(folder, (folder / LOOKUP).read_bytes(), index_file)
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            log.warning("pack lookup unusable, reading %s: %s", index_file, exc)
            return None

    def _key(self, i: int) -> bytes:
        start = int(self.ends[i - 1]) if i else 0
        return bytes(self.keys[start : int(self.ends[i])])

    def _find(self, report_id: str) -> tuple[str, int, int] | None:
        key = report_id.encode("utf-8")
        low, high = 0, len(self.ends)
        while low < high:  # bisect_left over the sorted keys
            mid = (low + high) // 2
            if self._key(mid) < key:
                low = mid + 1
            else:
                high = mid
        if low == len(self.ends) or self._key(low) != key:
            return None
        return self.names[self.pack[low]], int(self.offset[low]), int(self.length[low])

    def path_of(self, report_id: str) -> Path | None:
        found = self._find(report_id)
        return self.folder / found[0] if found else None

    def blob(self, report_id: str) -> bytes | None:
        """The report's compressed bytes, or None if the lookup does not hold it."""
        found = self._find(report_id)
        return None if found is None else read_blob(self.folder, *found)


def read_blob(folder: Path, name: str, offset: int, length: int) -> bytes:
    """One report's compressed bytes from pack ``name``; ``packs.PackIndex`` and
    ``PackLookup`` both read them so."""
    with open(folder / name, "rb") as pack:
        pack.seek(offset)
        data = pack.read(length)
    if len(data) != length:
        raise EOFError(f"{name} ends before the report at byte {offset}")
    return data
