"""The reuse table stored per report and per passage (``compare.reuse`` finds it).

``reuse.json`` held the whole table in one file — at 1M paragraphs 3.8 MB compressed,
23 MB parsed, its passages numbered by first use across all reports — so one edited
report meant parsing it, renumbering every other report's spans and writing it all
again, and a server held all of it to dim the spans of the few reports a page shows.
It is now three tables in the generation:

- ``reuse-spans/`` (shards, ``store.shards``): report id → ``{paragraph: [[start, end,
  passage key, kind]]}``.  A passage key is a hash of the passage's normalised text
  (``passage_key``): stable, so an unchanged report's rows never change;
- ``reuse-passages/`` (shards): passage key → ``{"text", "kind", "reports",
  "report_count", "unit_count", "members"}``;
- ``reuse-users/``: which reports' spans name each passage, as sorted arrays of
  (passage hash, report index) with the report ids in ``ids.json`` — what an update
  needs to redo a passage's counts and kind without reading every report's spans.

An update rewrites only the shards of the redone reports and of the passages they
name.  ``whole_table`` assembles the table of before (passages numbered by first use
in the order of report ids) for the CLI, benchmarks and tests; ``ShardRows`` reads a
report's spans from its shard only, so a page costs the reports it shows.  An index
built before keeps its ``reuse.json``: readers use it, and the next update converts it.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from . import catalog, jsonio, shards

SPANS, PASSAGES, USERS = "reuse-spans", "reuse-passages", "reuse-users"
LEGACY = "reuse.json"
SPAN_SHARDS = 512  # ~100 reports each at 1M paragraphs: a page reads a few small files
PASSAGE_SHARDS = 512
KEPT_SHARDS = 64  # shards a reader keeps parsed (least recently used go first)
U64, I32 = np.uint64, np.int32


def passage_key(normal_text: str) -> str:
    """A passage's stable name: 64 bits of a hash of its normalised text, in hex."""
    return hashlib.blake2b(normal_text.encode("utf-8"), digest_size=8).hexdigest()


def _hashes(keys: Iterable[str]) -> np.ndarray:
    return np.fromiter((int(k, 16) for k in keys), dtype=U64)


def has_tables(gen: Path) -> bool:
    return (gen / SPANS / shards.HEAD).is_file()


class Users:
    """Passage → the reports whose spans name it, as (hash, report index) rows sorted
    by hash; a dropped report's index maps to None until the next compaction."""

    def __init__(self, ids: list[str | None] | None = None, h=None, who=None) -> None:
        self.ids: list[str | None] = ids if ids is not None else []
        self.h = h if h is not None else np.zeros(0, dtype=U64)
        self.who = who if who is not None else np.zeros(0, dtype=I32)
        self.index = {rid: n for n, rid in enumerate(self.ids) if rid is not None}
        self._added: list[tuple[np.ndarray, np.ndarray]] = []

    @classmethod
    def load(cls, gen: Path) -> Users | None:
        folder = gen / USERS
        try:
            ids = jsonio.loads((folder / "ids.json").read_bytes())["ids"]
            h, who = np.load(folder / "h.npy"), np.load(folder / "who.npy")
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if len(h) != len(who) or h.dtype != U64 or (len(who) and int(who.max()) >= len(ids)):
            return None
        return cls(ids, h, who.astype(I32, copy=False))

    def reports(self) -> set[str]:
        """Every report with at least one span."""
        return set(self.index)

    def drop(self, report_ids: Iterable[str]) -> None:
        codes = [self.index.pop(rid) for rid in report_ids if rid in self.index]
        if not codes:
            return
        for code in codes:
            self.ids[code] = None
        self._settle()
        keep = ~np.isin(self.who, np.asarray(codes, dtype=I32))
        self.h, self.who = self.h[keep], self.who[keep]

    def add(self, report_id: str, keys: Iterable[str]) -> None:
        code = self.index.get(report_id)
        if code is None:
            code = self.index[report_id] = len(self.ids)
            self.ids.append(report_id)
        h = np.unique(_hashes(keys))
        self._added.append((h, np.full(len(h), code, dtype=I32)))

    def _settle(self) -> None:
        if not self._added:
            return
        h = np.concatenate([a for a, _ in self._added])
        who = np.concatenate([b for _, b in self._added])
        self._added = []
        if len(h) * 8 < len(self.h):  # a few rows into many: insert, do not sort all
            order = np.argsort(h, kind="stable")
            h, who = h[order], who[order]
            at = np.searchsorted(self.h, h, "right")
            self.h, self.who = np.insert(self.h, at, h), np.insert(self.who, at, who)
            return
        h, who = np.concatenate([self.h, h]), np.concatenate([self.who, who])
        order = np.argsort(h, kind="stable")
        self.h, self.who = h[order], who[order]

    def codes_of(self, keys: Iterable[str]) -> dict[str, np.ndarray]:
        """Passage key → the indexes (into ``ids``) of its reports, for passages some
        report names."""
        self._settle()
        keys = list(keys)
        q = _hashes(keys)
        lo = np.searchsorted(self.h, q, "left").tolist()
        hi = np.searchsorted(self.h, q, "right").tolist()
        return {key: self.who[a:b] for key, a, b in zip(keys, lo, hi, strict=True) if b > a}

    def of(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """Passage key → its reports (only passages some report names)."""
        found = self.codes_of(keys)
        return {key: [self.ids[w] for w in codes.tolist()] for key, codes in found.items()}

    def save(self, gen: Path) -> None:
        """New files (renamed into place): the previous generation's links stay as were."""
        self._settle()
        if len(self.index) * 2 < len(self.ids):  # mostly dropped reports: renumber
            alive = [rid for rid in self.ids if rid is not None]
            renumber = np.full(len(self.ids) + 1, -1, dtype=I32)
            for n, rid in enumerate(alive):
                renumber[self.index[rid]] = n
            self.who = renumber[self.who]
            self.ids = alive
            self.index = {rid: n for n, rid in enumerate(alive)}
        folder = gen / USERS
        folder.mkdir(exist_ok=True)
        for name, array in (("h", self.h), ("who", self.who)):
            tmp = folder / f"{name}.tmp.npy"
            np.save(tmp, array)
            os.replace(tmp, folder / f"{name}.npy")
        tmp = folder / "ids.json.tmp"
        tmp.write_bytes(jsonio.dumps({"ids": self.ids}))
        os.replace(tmp, folder / "ids.json")


def users_of_spans(spans: Mapping[str, dict]) -> Users:
    users = Users()
    for rid, paragraphs in spans.items():
        users.add(rid, (row[2] for rows in paragraphs.values() for row in rows))
    return users


def damage(gen: Path) -> str | None:
    for folder in (SPANS, PASSAGES):
        problem = shards.damage(gen / folder)
        if problem:
            return problem
    return None


def write_tables(
    gen: Path,
    head: dict,
    spans: Mapping[str, dict],
    passages: Mapping[str, dict],
    users: Users,
    gone_spans: Iterable[str] = (),
    gone_passages: Iterable[str] = (),
    whole: bool = False,
) -> None:
    """Put the changed rows (``whole``: every row) and the users; drop ``reuse.json``."""
    shards.write_rows(gen / SPANS, head, spans, gone_spans, whole, SPAN_SHARDS)
    shards.write_rows(gen / PASSAGES, head, passages, gone_passages, whole, PASSAGE_SHARDS)
    users.save(gen)
    (gen / LEGACY).unlink(missing_ok=True)


class ShardRows(Mapping):
    """A shard table's rows, each shard read when one of its keys is first asked for."""

    def __init__(self, folder: Path, kept: int = KEPT_SHARDS) -> None:
        self.folder = folder
        try:
            self.table = shards.read_head(folder) or {"shards": {}}
        except shards.ShardError as exc:
            raise catalog.damaged(folder / shards.HEAD, exc) from exc
        self.count = shards.count_of(self.table)
        self.kept = kept
        self._shards: OrderedDict[str, dict] = OrderedDict()
        self._lock = threading.Lock()

    def _shard(self, name: str) -> dict:
        with self._lock:
            rows = self._shards.get(name)
            if rows is not None:
                self._shards.move_to_end(name)
                return rows
        if name not in self.table["shards"]:
            rows = {}
        else:
            try:
                rows = shards.read_shard(self.folder, name)
            except shards.ShardError as exc:
                raise catalog.damaged(self.folder / name, exc) from exc
        with self._lock:
            self._shards[name] = rows
            while len(self._shards) > self.kept:
                self._shards.popitem(last=False)
        return rows

    def __getitem__(self, key: str) -> Any:
        return self._shard(shards.shard_of(key, self.count))[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._shard(shards.shard_of(key, self.count)).get(key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._shard(shards.shard_of(key, self.count))

    def many(self, keys: Iterable[str]) -> dict[str, Any]:
        out = {}
        for key in keys:
            row = self.get(key)
            if row is not None:
                out[key] = row
        return out

    def __iter__(self) -> Iterator[str]:
        for name in sorted(self.table["shards"]):
            yield from self._shard(name)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def reader(gen: Path) -> dict:
    """``{"version", "min_chars", "spans", "passages"}``: spans and passages read shard
    by shard as asked for; an index of before gives its ``reuse.json`` (passages a list)."""
    if not has_tables(gen):
        return catalog.read_json(gen / LEGACY, {})
    spans = ShardRows(gen / SPANS)
    head = spans.table.get("head", {})
    return {**head, "spans": spans, "passages": ShardRows(gen / PASSAGES)}


def whole_table(spans: Mapping[str, dict], passages: Mapping[str, dict], head: dict) -> dict:
    """The one-file shape of before: passages listed and numbered in order of first use
    by the spans of the reports in id order (what a fresh build's numbering was)."""
    number: dict[str, int] = {}
    out_spans: dict[str, dict] = {}
    for rid in sorted(spans):
        paragraphs = {}
        for para, rows in spans[rid].items():
            numbered = []
            for start, end, key, kind in rows:
                n = number.setdefault(key, len(number))
                numbered.append([start, end, n, kind])
            paragraphs[para] = numbered
        out_spans[rid] = paragraphs
    listed = [passages[key] for key in number]
    return {**head, "passages": listed, "spans": out_spans}


def read_whole(gen: Path) -> dict:
    """The whole table in the shape of before (``whole_table``), or ``reuse.json``."""
    if not has_tables(gen):
        return catalog.read_json(gen / LEGACY, {})
    view = reader(gen)
    spans, passages = view.pop("spans"), view.pop("passages")
    return whole_table(dict(spans.items()), dict(passages.items()), view)
