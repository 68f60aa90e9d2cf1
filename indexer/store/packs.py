"""Parsed reports in a few append-only pack files, one zlib member per report.

A generation used to hold one JSON file per report.  At a province's size that is
10⁴–10⁵ files, and every update hard-linked all of them into the new generation and
unlinked them from the one it dropped — work that grows with the corpus for an edit
of one report.  Now ``reports/`` holds a handful of packs and ``index.json``::

    {"packs": {"pack-000007.z": size, …}, "reports": {id: [pack, offset, length], …}}

A pack is never changed once written: an update links the previous generation's
packs, writes one new pack (named by its generation) with the changed reports, and a
new ``index.json``; a killed update leaves only files of the discarded generation.
Packs are folded into the new one when more than half of their bytes are dead, or
when there are more than ``MAX_PACKS`` (then all but the largest): copying
compressed bytes, never re-encoding them.  Each report is its own zlib stream, so a
report page reads and inflates one report, as before.
"""

from __future__ import annotations

import os
import zlib
from pathlib import Path

from . import jsonio
from .packlookup import read_blob, write_lookup

INDEX = "index.json"
LEVEL = 6
MAX_PACKS = 12

Location = tuple[str, int, int]


class PackIndex:
    """Where each report of a generation is: pack name, byte offset, length."""

    def __init__(self, folder: Path, packs: dict[str, int], where: dict[str, list]) -> None:
        self.folder = folder
        self.packs = packs
        self.where = where

    @classmethod
    def read(cls, folder: Path) -> PackIndex | None:
        """The folder's index; None when it has none (an older, file-per-report index).
        A damaged index raises ``ValueError`` (JSON) or ``KeyError``/``TypeError``."""
        try:
            text = (folder / INDEX).read_bytes()
        except FileNotFoundError:
            return None
        data = jsonio.loads(text)
        return cls(folder, dict(data["packs"]), dict(data["reports"]))

    def path_of(self, report_id: str) -> Path | None:
        found = self.where.get(report_id)
        return self.folder / found[0] if found else None

    def blob(self, report_id: str) -> bytes | None:
        """The report's compressed bytes, or None if the index does not hold it."""
        found = self.where.get(report_id)
        return None if found is None else read_blob(self.folder, *found)


def encode(data: dict) -> bytes:
    return zlib.compress(jsonio.dumps(data), LEVEL)


def decode(blob: bytes) -> dict:
    return jsonio.loads(zlib.decompress(blob))


def write_pack(
    folder: Path, name: str, previous: PackIndex | None, keep: set[str], fresh: dict[str, bytes]
) -> PackIndex:
    """The folder's new index after writing pack ``name``.

    ``keep``: ids whose entries carry over from ``previous``; ``fresh``: id → the
    compressed report to write.  Entries of ``previous`` not kept are dropped."""
    where = {rid: previous.where[rid] for rid in keep} if previous else {}
    packs = dict(previous.packs) if previous else {}
    live: dict[str, int] = dict.fromkeys(packs, 0)
    for pack, _, length in where.values():
        live[pack] = live.get(pack, 0) + length
    fold = {p for p in packs if packs[p] - live[p] > live[p]}  # more than half dead
    if len(packs) - len(fold) >= MAX_PACKS:
        largest = max(packs, key=live.__getitem__)
        fold |= set(packs) - {largest}
    moved = [(rid, loc) for rid, loc in where.items() if loc[0] in fold]
    tmp = folder / f"{name}.tmp"
    offset = 0
    with open(tmp, "wb") as out:
        for rid, (pack, start, length) in sorted(moved, key=lambda m: (m[1][0], m[1][1])):
            with open(folder / pack, "rb") as source:
                source.seek(start)
                out.write(source.read(length))
            where[rid] = [name, offset, length]
            offset += length
        for rid, blob in fresh.items():
            out.write(blob)
            where[rid] = [name, offset, len(blob)]
            offset += len(blob)
    if offset:
        os.replace(tmp, folder / name)
        packs[name] = offset
    else:
        tmp.unlink()
    used = {loc[0] for loc in where.values()}
    for pack in set(packs) - used:  # this generation's links only: the previous keeps its own
        (folder / pack).unlink(missing_ok=True)
        del packs[pack]
    index = PackIndex(folder, packs, where)
    tmp = folder / f"{INDEX}.tmp"
    tmp.write_bytes(jsonio.dumps({"packs": packs, "reports": where}))
    os.replace(tmp, folder / INDEX)
    write_lookup(folder, INDEX, packs, where)  # what a search reads instead
    return index
