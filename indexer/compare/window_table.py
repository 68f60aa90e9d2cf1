"""The reuse window table, kept in the generation so an update does not redo detection.

Every (window hash, report) pair of the corpus is one row: 2.7M rows at 100k
paragraphs.  Loading, changing and writing all of them for one edited report grew with
the corpus (0.4 s of a 100k edit, 32 MB written), so the table is a log-structured pair:

- the **base**, written when the table is merged: the distinct hashes (``keys.npy``,
  sorted), where each one's reports start (``starts.npy``) and the report codes
  (``codes.npy``, ``uint16`` below 65,536 reports).  Hashes that several reports share
  are stored once.  An update memory-maps it and never rewrites it;
- the **delta**: rows added since (``delta-h.npy``, ``delta-r.npy``), sorted by hash;
- **dead** base rows: the hashes of base rows whose report was dropped
  (``dead.npy``), so counts stay exact without touching the base.

A code indexes ``ids``; a dropped report's code maps to ``None`` and is never reused,
so within a hash the codes are in the order their reports were added (base first).
When the delta and the dead rows reach a quarter of the base, the next save merges
them (and renumbers the codes densely): amortised, each row is rewritten O(1) times.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..store import jsonio

STATE = "reuse-windows"
BASE = ("keys", "starts", "codes")
DELTA = ("delta-h", "delta-r", "dead")
MERGE_SHARE = 4  # merge when delta + dead rows exceed 1/4 of the base rows
SLICE_BITS = 4  # a whole build's rows are sorted 2**SLICE_BITS hash ranges at a time
FILL_SLICES = 1 << SLICE_BITS
U64, I32 = np.uint64, np.int32


def _empty(dtype) -> np.ndarray:
    return np.zeros(0, dtype=dtype)


def _range_counts(sorted_values: np.ndarray, values: np.ndarray) -> np.ndarray:
    if not len(sorted_values):
        return np.zeros(len(values), dtype=np.int64)
    return np.searchsorted(sorted_values, values, "right") - np.searchsorted(
        sorted_values, values, "left"
    )


class WindowTable:
    """Window hash → codes of the reports holding it (see the module docstring)."""

    def __init__(self, ids: list[str | None] | None = None) -> None:
        self.ids: list[str | None] = ids if ids is not None else []
        self.keys, self.starts, self.codes = _empty(U64), np.zeros(1, np.int64), _empty(I32)
        self.dh, self.dr, self.dead = _empty(U64), _empty(I32), _empty(U64)
        self.base_codes = 0  # codes below this may have rows in the base
        self.unsaved_base = False  # filled in memory, not written yet
        self._alive_of: np.ndarray | None = None

    # -- storage ---------------------------------------------------------------------

    @classmethod
    def load(cls, gen: Path, version: int, min_chars: int) -> WindowTable | None:
        folder = gen / STATE
        try:
            meta = jsonio.loads((folder / "ids.json").read_bytes())
            if meta.get("version") != version or meta.get("min_chars") != min_chars:
                return None
            if meta.get("layout") != 2:
                return None  # the one-array table of before: rebuilt once
            table = cls(meta["ids"])
            table.base_codes = int(meta["base_codes"])
            table.keys, table.starts, table.codes = (  # mapped: pages read when looked up
                np.asarray(np.load(folder / f"{n}.npy", mmap_mode="r")) for n in BASE
            )
            if (folder / "delta-h.npy").is_file():
                table.dh, table.dr, table.dead = (np.load(folder / f"{n}.npy") for n in DELTA)
            return table
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, gen: Path, version: int, min_chars: int) -> None:
        """Write the delta (or, past ``MERGE_SHARE``, a merged base) as new files: the
        previous generation's hard-linked files are never written."""
        folder = gen / STATE
        folder.mkdir(exist_ok=True)
        merge = (len(self.dh) + len(self.dead)) * MERGE_SHARE > len(self.codes)
        if merge or not len(self.keys):
            self._merge()
        if merge or not len(self.keys) or self.unsaved_base:
            for name, array in zip(BASE, (self.keys, self.starts, self.codes), strict=True):
                _save(folder, name, array)
            for name in DELTA:
                (folder / f"{name}.npy").unlink(missing_ok=True)
            self.unsaved_base = False
        else:
            for name, array in zip(DELTA, (self.dh, self.dr, self.dead), strict=True):
                _save(folder, name, array)
        for old in ("h.npy", "r.npy"):  # the one-array table of before
            (folder / old).unlink(missing_ok=True)
        meta = {
            "version": version,
            "min_chars": min_chars,
            "layout": 2,
            "base_codes": self.base_codes,
            "ids": self.ids,
        }
        tmp = folder / "ids.json.tmp"
        tmp.write_bytes(jsonio.dumps(meta))
        tmp.replace(folder / "ids.json")

    def _merge(self) -> None:
        """Base rows of live reports + delta rows → a new base; codes renumbered densely.

        Both inputs are sorted by hash, so the merged order comes from two searchsorted
        passes (base rows first among equal hashes: codes stay in added order) instead
        of sorting all rows again; the distinct hashes are where a row's hash differs
        from the one before it.  ``tests/test_build_memory`` checks it against the
        argsort-and-unique formulation this replaced."""
        alive = np.fromiter((i is not None for i in self.ids), dtype=bool, count=len(self.ids))
        renumber = (np.cumsum(alive) - 1).astype(I32)
        codes = np.asarray(self.codes)
        keep = alive[codes] if len(codes) else _empty(bool)
        base_h = np.repeat(np.asarray(self.keys), np.diff(np.asarray(self.starts)))[keep]
        base_r = renumber[codes[keep]] if len(base_h) else _empty(I32)
        del keep
        delta_r = renumber[self.dr] if len(self.dr) else _empty(I32)
        self.ids = [i for i in self.ids if i is not None]
        h = np.empty(len(base_h) + len(self.dh), dtype=U64)
        r = np.empty(len(h), dtype=_code_type(len(self.ids)))
        at = np.searchsorted(self.dh, base_h, "left") + np.arange(len(base_h))
        h[at], r[at] = base_h, base_r
        del at, base_r
        at = np.searchsorted(base_h, self.dh, "right") + np.arange(len(self.dh))
        h[at], r[at] = self.dh, delta_r
        del at, base_h, delta_r
        self.keys, self.starts = _distinct(h)
        self.codes = r
        self.dh, self.dr, self.dead = _empty(U64), _empty(I32), _empty(U64)
        self.base_codes = len(self.ids)

    def fill(self, add: list[tuple[int, np.ndarray]]) -> None:
        """The base of a table without rows from (code, sorted unique hashes) pairs in
        code order — what ``update`` and then ``_merge`` make of them — emptying
        ``add`` as it goes.  A whole build's rows (27M at 1M paragraphs) are sorted a
        sixteenth of the hash range at a time: sorting them at once, then finding the
        distinct hashes, took several times their size and was a 1M build's peak."""
        if len(self.keys) or len(self.dh) or len(self.dead):
            raise ValueError("fill() builds the base of an empty table only")
        codes = np.fromiter((code for code, _ in add), dtype=np.int64, count=len(add))
        edges = np.arange(1, FILL_SLICES, dtype=U64) << U64(64 - SLICE_BITS)
        cuts = [np.concatenate([[0], np.searchsorted(h, edges), [len(h)]]) for _, h in add]
        arrays = [h for _, h in add]
        add.clear()  # the caller's list no longer holds the per-report arrays
        code_type = _code_type(len(self.ids))
        keys, starts, rows, offset = [], [], [], 0
        for part in range(FILL_SLICES):
            pieces = [h[c[part] : c[part + 1]] for h, c in zip(arrays, cuts, strict=True)]
            sizes = np.fromiter((len(p) for p in pieces), dtype=np.int64, count=len(pieces))
            h = np.concatenate(pieces) if pieces else _empty(U64)
            r = np.repeat(codes, sizes).astype(code_type)
            order = np.argsort(h, kind="stable")  # equal hashes: codes in added order
            h, r = h[order], r[order]
            del order, pieces
            part_keys, part_starts = _distinct(h)
            keys.append(part_keys)
            starts.append(part_starts[:-1] + offset)
            rows.append(r)
            offset += len(h)
        del arrays, cuts
        self.keys = np.concatenate(keys) if keys else _empty(U64)
        self.starts = np.append(np.concatenate(starts), offset).astype(np.int64)
        self.codes = np.concatenate(rows) if rows else _empty(code_type)
        self.base_codes = len(self.ids)
        self.unsaved_base = True

    # -- lookups ---------------------------------------------------------------------

    def _ranges(self, values: np.ndarray):
        """Per value: its base rows [blo, bhi), dead rows among them, delta rows [dlo, dhi)."""
        values = np.asarray(values, dtype=U64)
        blo = bhi = np.zeros(len(values), dtype=np.int64)
        if len(self.keys):
            i = np.minimum(np.searchsorted(self.keys, values), len(self.keys) - 1)
            found = self.keys[i] == values
            blo = np.where(found, self.starts[i], 0)
            bhi = np.where(found, self.starts[i + 1], 0)
        dead = _range_counts(self.dead, values)
        dlo = np.searchsorted(self.dh, values, "left")
        dhi = np.searchsorted(self.dh, values, "right")
        return blo, bhi, dead, dlo, dhi

    def counts(self, values: np.ndarray) -> np.ndarray:
        """How many live reports hold each window hash of ``values``."""
        blo, bhi, dead, dlo, dhi = self._ranges(values)
        return (bhi - blo) - dead + (dhi - dlo)

    def shared(self, values: np.ndarray, limit: int) -> tuple[np.ndarray, list[list[int]]]:
        """Positions of the ``values`` two or more live reports hold, and the first
        ``limit`` codes of each: one vectorised lookup for a whole report."""
        ranges = self._ranges(values)
        blo, bhi, dead, dlo, dhi = ranges
        at = np.flatnonzero((bhi - blo) - dead + (dhi - dlo) >= 2)
        return at, self._codes([r[at] for r in ranges], limit)

    def codes_of(self, values: np.ndarray, limit: int | None = None) -> list[list[int]]:
        """Per value, the codes of the live reports holding it, oldest first (at most
        ``limit``): one vectorised lookup, then a slice each."""
        return self._codes(self._ranges(values), limit)

    def _codes(self, ranges, limit: int | None) -> list[list[int]]:
        blo, bhi, dead, dlo, dhi = (a.tolist() for a in ranges)
        codes, dr = self.codes, self.dr
        alive = self._alive() if len(self.dead) else None
        cap = limit if limit is not None else len(self.ids) + 1
        out = []
        for lo, hi, d, a, b in zip(blo, bhi, dead, dlo, dhi, strict=True):
            if d:  # some of this hash's base rows are dead: keep the live codes
                rows = codes[lo:hi]
                found = rows[alive[rows]][:cap].tolist()
            else:
                found = codes[lo : min(hi, lo + cap)].tolist() if hi > lo else []
            if b > a and len(found) < cap:
                found += dr[a : min(b, a + cap - len(found))].tolist()
            out.append(found)
        return out

    def _alive(self) -> np.ndarray:
        """Code → live?, made once per state of ``ids`` (``update`` changes it)."""
        if self._alive_of is None or len(self._alive_of) != len(self.ids):
            self._alive_of = np.fromiter(
                (i is not None for i in self.ids), dtype=bool, count=len(self.ids)
            )
        return self._alive_of

    # -- changes ---------------------------------------------------------------------

    def update(self, drop: set[int], add: list[tuple[int, np.ndarray]]) -> np.ndarray:
        """Drop the rows of codes ``drop``, add (code, unique hashes) rows; returns the
        dropped rows' hashes.  The base is only read: its dropped rows become dead."""
        parts = []
        self._alive_of = None  # the caller has just changed ``ids``
        if drop:
            codes = np.fromiter(drop, dtype=np.int64)
            if len(self.codes) and (codes < self.base_codes).any():
                rows = np.flatnonzero(np.isin(self.codes, codes[codes < self.base_codes]))
                if len(rows):  # one vectorised pass over the mapped codes
                    key = np.searchsorted(np.asarray(self.starts), rows, "right") - 1
                    hashes = np.asarray(self.keys)[key]
                    self.dead = np.sort(np.concatenate([self.dead, hashes]))
                    parts.append(hashes)
            gone = np.isin(self.dr, codes)
            if gone.any():
                parts.append(self.dh[gone])
                self.dh, self.dr = self.dh[~gone], self.dr[~gone]
        if add:
            h = np.concatenate([hs for _, hs in add]).astype(U64)
            r = np.concatenate([np.full(len(hs), code, dtype=I32) for code, hs in add])
            order = np.argsort(h, kind="stable")
            h, r = h[order], r[order]
            at = np.searchsorted(self.dh, h, "right")  # after older codes of the same hash
            self.dh, self.dr = np.insert(self.dh, at, h), np.insert(self.dr, at, r)
        return np.unique(np.concatenate(parts)) if parts else _empty(U64)


def _code_type(reports: int) -> type:
    return np.uint16 if reports < 2**16 else I32


def _distinct(sorted_hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a sorted array and where each starts (plus its length)."""
    if not len(sorted_hashes):
        return _empty(U64), np.zeros(1, np.int64)
    new = np.empty(len(sorted_hashes), dtype=bool)
    new[0] = True
    np.not_equal(sorted_hashes[1:], sorted_hashes[:-1], out=new[1:])
    first = np.flatnonzero(new)
    del new
    return sorted_hashes[first], np.append(first, len(sorted_hashes)).astype(np.int64)


def _save(folder: Path, name: str, array: np.ndarray) -> None:
    tmp = folder / f"{name}.tmp.npy"
    np.save(tmp, np.asarray(array))
    tmp.replace(folder / f"{name}.npy")  # a new file: never the linked one
