"""Reuse detection that an incremental build updates instead of redoing.

``reuse`` finds passages shared between reports from anchored windows (see there).  At
a province's size redoing that over every report for one edited report was most of an
update's time, so the window table is kept in the generation (``reuse-windows/``: the
sorted window hashes and, beside each, the code of a report holding it) and an update:

1. drops the changed and removed reports' rows and inserts the fresh reports' rows;
2. finds the *neighbours*: reports sharing a window with the old or new text of a
   changed report whose status could change — a window held, apart from the changed
   reports, by reports of fewer than ``BOILERPLATE_UNITS`` units.  A window that other
   reports of three or more units hold stays boilerplate for them whatever one report
   does, so a 套话 in 5,000 reports does not make 5,000 neighbours;
3. recomputes the spans of the fresh reports and the neighbours only, and the passages
   their old and new spans name (dropping those no report uses any more); passages are
   named by a hash of their text, so no other report's rows change
   (``store.reuse_rows`` stores them per report and per passage).

Windows and their hashes: ``reuse_windows``; a passage's row from its users:
``reuse_listing``.  A full build is the same update from an empty table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from ..model import Report
from ..store.reuse_rows import Users, passage_key
from .reuse import (
    BOILERPLATE_UNITS,
    CAP,
    MIN_CHARS,
    SAMPLE,
    _kind,
    _runs,
    normal,
)
from .reuse_listing import Listing
from .reuse_windows import Windows, report_windows, unique_hashes
from .units import group_of
from .window_table import STATE, WindowTable

__all__ = ["STATE", "WindowTable", "report_windows", "unique_hashes", "update_reuse"]


KEEP_WINDOWS = 500  # reports whose windows the two passes share (see update_reuse)


PEEK = 64  # codes read per window first: a 套话's 10⁴ holders decide in a few


def _neighbours(table: WindowTable, touched: np.ndarray, changed: set[int], unit_of) -> set[int]:
    """Codes of reports whose spans may change because the ``touched`` windows changed.

    A window's holders are read ``PEEK`` at a time: most windows an edit touches are
    套话 held by thousands, decided by their first three units (reading every holder
    was most of an edit's neighbour search at 1M paragraphs)."""
    out: set[int] = set()
    for k, codes in enumerate(table.codes_of(touched, PEEK)):
        others, units = _holders(codes, changed, unit_of)
        if len(units) < BOILERPLATE_UNITS and len(codes) == PEEK:  # not decided: all
            others, units = _holders(table.codes_of(touched[k : k + 1])[0], changed, unit_of)
        if len(units) < BOILERPLATE_UNITS:
            out.update(others)
    return out


def _holders(codes: list[int], changed: set[int], unit_of) -> tuple[list[int], set[str]]:
    """A window's unchanged holders and their units, until three units are seen."""
    others, units = [], set()
    for code in codes:
        if code in changed:
            continue
        others.append(code)
        units.add(unit_of(code))
        if len(units) >= BOILERPLATE_UNITS:
            break
    return others, units


def _originals(segs: list, starts: list[int], at: np.ndarray) -> np.ndarray:
    """``reuse._orig`` for many normalised positions at once."""
    k = np.searchsorted(np.asarray(starts), at, "right") - 1
    ostart = np.fromiter((seg[0] for seg in segs), dtype=np.int64, count=len(segs))[k]
    oend = np.fromiter((seg[1] for seg in segs), dtype=np.int64, count=len(segs))[k]
    return np.minimum(ostart + at - np.asarray(starts)[k], oend - 1)


def _spans_of(
    code: int,
    windows: Windows,
    table: WindowTable,
    unit_of: Callable[[int], str],
    passages: dict[str, dict],
    min_chars: int,
) -> dict[str, list[list]]:
    """A report's runs of shared windows; each run's passage keyed by normalised text."""
    own = unit_of(code)
    spans: dict[str, list[list]] = {}
    if not windows:
        return spans
    found, samples = table.shared(np.concatenate([w[3] for w in windows]), SAMPLE)
    bounds = np.cumsum([0] + [len(w[3]) for w in windows])
    cut = np.searchsorted(found, bounds).tolist()  # each paragraph's share of ``found``
    for k, (number, text, anchors, _hashes, segs, starts) in enumerate(windows):
        if cut[k] == cut[k + 1]:
            continue
        mine = slice(cut[k], cut[k + 1])
        at = anchors[found[mine] - int(bounds[k])]
        begins = _originals(segs, starts, at).tolist()
        ends = (_originals(segs, starts, at + (min_chars - 1)) + 1).tolist()
        marked = list(zip(begins, ends, samples[mine], strict=True))
        for start, end, where in _runs(text, marked):
            where.add(code)
            units = {unit_of(k) for k in where}
            key = normal(text[start:end])
            entry = passages.setdefault(key, {"text": text[start:end], "members": set()})
            if len(entry["members"]) < CAP:
                entry["members"].update(where)
            spans.setdefault(str(number), []).append([start, end, key, _kind(units, own)])
    return spans


@dataclass
class ReuseUpdate:
    """What an update changes in the stored reuse tables (``store.reuse_rows``):
    the redone reports' span rows and the passages they name (or named), by key.
    ``whole``: ``spans`` and ``passages`` are every row (a build from scratch)."""

    spans: dict[str, dict]
    passages: dict[str, dict]
    users: Users
    gone_spans: set[str] = field(default_factory=set)
    gone_passages: set[str] = field(default_factory=set)
    whole: bool = False


class Previous(Protocol):
    """The last build's stored reuse: spans and passages read by key, and the users."""

    users: Users

    def spans_of(self, report_ids: Iterable[str]) -> dict[str, dict]: ...

    def passages_of(self, keys: Iterable[str]) -> dict[str, dict]: ...


class HeldReuse:
    """Reuse tables held in memory (a previous ``ReuseUpdate`` applied): what an update
    reads from a generation's shards, for tests and callers without a generation."""

    def __init__(self, update: ReuseUpdate) -> None:
        self.users = update.users
        self.spans, self.passages = dict(update.spans), dict(update.passages)

    def spans_of(self, report_ids: Iterable[str]) -> dict[str, dict]:
        return {rid: self.spans[rid] for rid in report_ids if rid in self.spans}

    def passages_of(self, keys: Iterable[str]) -> dict[str, dict]:
        return {key: self.passages[key] for key in keys if key in self.passages}

    def apply(self, update: ReuseUpdate) -> HeldReuse:
        """The tables after ``update`` (which shares, and changed, ``users``)."""
        for rid in update.gone_spans:
            self.spans.pop(rid, None)
        for key in update.gone_passages:
            self.passages.pop(key, None)
        self.spans.update(update.spans)
        self.passages.update(update.passages)
        self.users = update.users
        return self


def update_reuse(
    reports: list[Report],
    fresh: set[str],
    table: WindowTable | None = None,
    previous: Previous | None = None,
    min_chars: int = MIN_CHARS,
    unit: dict[str, str] | None = None,
) -> tuple[ReuseUpdate, WindowTable, set[str]]:
    """The changes to the reuse tables after ``fresh`` reports changed.

    ``table`` and ``previous`` are the last build's window table and stored reuse;
    without them every report counts as fresh.  Returns the changes, the updated table,
    and the ids whose spans were recomputed (fresh reports and neighbours).  ``unit``:
    report id → unit group (``units.group_of``), when the caller has it already.
    """
    by_id = {r.meta.id: r for r in reports}
    position = {rid: n for n, rid in enumerate(by_id)}  # the caller's order of reports
    if table is not None and previous is not None:
        known = set(table.ids)
        fresh = set(fresh) | {rid for rid in by_id if rid not in known}  # never tabled
    else:
        table, previous, fresh = WindowTable(), None, set(by_id)
    full = fresh == set(by_id)
    if full:  # every row goes: the new table is what a table without rows becomes
        table, previous = WindowTable(), None
    if unit is None:
        unit = group_of(r.meta for r in reports)
    code_of = {rid: k for k, rid in enumerate(table.ids) if rid is not None}
    gone = {code_of[rid] for rid in code_of if rid not in by_id or rid in fresh}
    for k in gone:
        table.ids[k] = None
    computed: dict[str, Windows] = {}
    done: list[str] = []
    # A report's windows are kept for the second pass when few changed (an update); a
    # whole build recomputes them there instead: holding every report's windows at once
    # was most of a 1M-paragraph build's peak memory.
    keep = len(fresh) <= KEEP_WINDOWS
    add = []
    for rid in sorted(fresh & by_id.keys(), key=position.__getitem__):
        windows = report_windows(by_id[rid], min_chars)
        if keep:
            computed[rid] = windows
        done.append(rid)
        code_of[rid] = len(table.ids)
        table.ids.append(rid)
        add.append((code_of[rid], unique_hashes(windows)))
    if full:
        table.fill(add)  # a whole build: the base at once, no delta (empties ``add``)
        touched = np.zeros(0, dtype=np.uint64)
    else:
        touched = table.update(gone, add)  # the rows dropped: their hashes
        if add:
            touched = np.union1d(touched, np.concatenate([h for _, h in add]))
    ids = table.ids

    def unit_of(code: int) -> str:
        rid = ids[code]
        return unit.get(rid, rid) if rid is not None else ""

    fresh_codes = {code_of[rid] for rid in done}
    redo = set(done)
    if not full:
        redo |= {ids[k] for k in _neighbours(table, touched, fresh_codes, unit_of)}
    redo.discard(None)
    spans: dict[str, dict[str, list]] = {}
    found_passages: dict[str, dict] = {}  # normalised text → text, member codes
    for rid in sorted(redo, key=position.__getitem__):
        windows = computed.get(rid)
        if windows is None:
            windows = report_windows(by_id[rid], min_chars)
        found = _spans_of(code_of[rid], windows, table, unit_of, found_passages, min_chars)
        if found:
            spans[rid] = found
    key_of = {text: passage_key(text) for text in found_passages}
    for rows in (row for paragraphs in spans.values() for row in paragraphs.values()):
        for row in rows:
            row[2] = key_of[row[2]]
    new = {key_of[text]: entry for text, entry in found_passages.items()}
    users = previous.users if previous is not None else Users()
    removed = users.reports() - by_id.keys()
    old_spans = previous.spans_of(redo | removed) if previous is not None else {}
    touched_keys = set(new)
    for paragraphs in old_spans.values():
        touched_keys.update(row[2] for rows in paragraphs.values() for row in rows)
    users.drop(redo | removed)
    for rid, paragraphs in spans.items():
        users.add(rid, (row[2] for rows in paragraphs.values() for row in rows))
    holders = users.codes_of(touched_keys)
    listing = Listing(users, unit)
    old = previous.passages_of(touched_keys) if previous is not None else {}
    passages: dict[str, dict] = {}
    for key in touched_keys:
        who = holders.get(key)
        if who is None:
            continue
        members: set[str] = set()
        text = None
        if key in old:
            text = old[key]["text"]
            # a neighbour's text is unchanged: it still holds the windows that made it a
            # member (dropping it lost members a fresh build has); changed reports go
            members = {m for m in old[key].get("members", []) if m in by_id and m not in fresh}
        if key in new:
            text = text if text is not None else new[key]["text"]
            if len(members) < CAP:
                members.update(ids[k] for k in new[key]["members"] if ids[k] is not None)
        passages[key] = listing.listed(text or "", members, who)
    update = ReuseUpdate(
        spans,
        passages,
        users,
        gone_spans=(redo | removed) - spans.keys(),
        gone_passages=touched_keys - passages.keys(),
        whole=previous is None,
    )
    return update, table, redo
