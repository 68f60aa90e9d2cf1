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
3. recomputes the spans of the fresh reports and the neighbours only, and renumbers the
   passages from the spans (dropping those no report uses any more).

Window hashes must be the same in every process, so they are a 64-bit polynomial
hash of the window's code points (vectorised with numpy), not Python's salted ``hash``.
A full build is the same update from an empty table.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

import numpy as np

from ..model import Report
from .reuse import (
    BOILERPLATE_UNITS,
    CAP,
    MAX_LISTED,
    MIN_CHARS,
    SAMPLE,
    VERSION,
    _anchored,
    _kind,
    _paragraphs,
    _runs,
    normal,
)
from .units import group_of
from .window_table import STATE, WindowTable

__all__ = ["STATE", "WindowTable", "report_windows", "update_reuse"]
BASE = np.uint64(0x9E3779B97F4A7C15)
Windows = list[tuple[int, str, np.ndarray, np.ndarray, list, list[int]]]


KEEP_WINDOWS = 500  # reports whose windows the two passes share (see update_reuse)


def _poly(codes: np.ndarray, n: int) -> np.ndarray:
    """Hash of every run of ``n`` code points (Horner's rule, wrapping at 2⁶⁴)."""
    m = len(codes) - n + 1
    if m <= 0:
        return np.zeros(0, dtype=np.uint64)
    h = np.zeros(m, dtype=np.uint64)
    for k in range(n):
        h = h * BASE + codes[k : k + m]
    return h


def report_windows(report: Report, min_chars: int = MIN_CHARS) -> Windows:
    """Per substantive paragraph: number, text, window starts, their hashes, segments."""
    paras, chunks, offset = [], [], 0
    for number, text in _paragraphs(report):
        anchors, segs, starts, joined = _anchored(text, min_chars)
        if anchors:
            paras.append((number, text, offset, anchors, segs, starts))
        chunks.append(joined)
        offset += len(joined)
    if not paras:
        return []
    codes = np.frombuffer("".join(chunks).encode("utf-32-le"), dtype=np.uint32)
    hashes = _poly(codes.astype(np.uint64), min_chars)
    return [
        (number, text, np.asarray(anchors), hashes[np.asarray(anchors) + at], segs, starts)
        for number, text, at, anchors, segs, starts in paras
    ]


def unique_hashes(windows: Windows) -> np.ndarray:
    if not windows:
        return np.zeros(0, dtype=np.uint64)
    return np.unique(np.concatenate([w[3] for w in windows]))


def _neighbours(table: WindowTable, touched: np.ndarray, changed: set[int], unit_of) -> set[int]:
    """Codes of reports whose spans may change because the ``touched`` windows changed."""
    out: set[int] = set()
    for codes in table.codes_of(touched):
        others, units = [], set()
        for code in codes:
            if code in changed:
                continue
            others.append(code)
            units.add(unit_of(code))
            if len(units) >= BOILERPLATE_UNITS:
                break
        if len(units) < BOILERPLATE_UNITS:
            out.update(others)
    return out


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


def update_reuse(
    reports: list[Report],
    fresh: set[str],
    table: WindowTable | None = None,
    previous: dict | None = None,
    min_chars: int = MIN_CHARS,
) -> tuple[dict, WindowTable, set[str]]:
    """The reuse table (``build_reuse``'s JSON) after ``fresh`` reports changed.

    ``table`` and ``previous`` are the last build's window table and reuse JSON; without
    them every report counts as fresh.  Returns the JSON, the updated table, and the ids
    whose spans were recomputed (fresh reports and neighbours).
    """
    by_id = {r.meta.id: r for r in reports}
    position = {rid: n for n, rid in enumerate(by_id)}  # the caller's order of reports
    if table is not None and previous is not None and previous.get("version") == VERSION:
        known = set(table.ids)
        fresh = set(fresh) | {rid for rid in by_id if rid not in known}  # never tabled
    else:
        table, previous, fresh = WindowTable(), {}, set(by_id)
    full = fresh == set(by_id)
    if full:  # every row goes: the new table is what a table without rows becomes
        table = WindowTable()
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
    old_spans = previous.get("spans", {})
    passages: dict[str, dict] = {}
    old_passages = previous.get("passages", [])
    keys = [normal(p["text"]) for p in old_passages]
    carried = {rid for rid in old_spans if rid in by_id and rid not in redo}
    for rid in carried:  # rows still hold the previous numbers; _finish maps them
        spans[rid] = old_spans[rid]
    for p, key in zip(old_passages, keys, strict=True):
        # a neighbour's text is unchanged: it still holds the windows that made it a
        # member (dropping it lost members a fresh build has); changed reports go
        members = {code_of[m] for m in p.get("members", []) if m in by_id and m not in fresh}
        passages[key] = {"text": p["text"], "members": members}
    for rid in sorted(redo, key=position.__getitem__):
        windows = computed.get(rid)
        if windows is None:
            windows = report_windows(by_id[rid], min_chars)
        found = _spans_of(code_of[rid], windows, table, unit_of, passages, min_chars)
        if found:
            spans[rid] = found
    finished = _finish(spans, passages, ids, unit, min_chars, carried, keys)
    return finished, table, redo


def _finish(
    spans: dict,
    passages: dict,
    ids: list,
    unit: dict,
    min_chars: int,
    carried: set[str] = frozenset(),
    old_keys: list[str] = (),
) -> dict:
    """Number the passages the spans use, in order of first use; list their reports.

    The rows of ``carried`` reports hold the previous table's numbers (``old_keys``
    names them): they are renumbered through an array, not rebuilt through their keys
    (that was half of an edit's reuse update at 1M paragraphs)."""
    number: dict[str, int] = {}
    users: list[set[str]] = []
    renumber = [-1] * len(old_keys)  # previous number -> new number
    for rid in sorted(spans):
        if rid in carried:
            for rows in spans[rid].values():
                for row in rows:
                    n = renumber[row[2]]
                    if n < 0:
                        key = old_keys[row[2]]
                        n = number.get(key)
                        if n is None:
                            n = number[key] = len(users)
                            users.append(set())
                        renumber[row[2]] = n
                    users[n].add(rid)
                    row[2] = n
            continue
        for rows in spans[rid].values():
            for row in rows:
                n = number.get(row[2])
                if n is None:
                    n = number[row[2]] = len(users)
                    users.append(set())
                users[n].add(rid)
                row[2] = n
    listed = []
    for key, n in sorted(number.items(), key=lambda kv: kv[1]):
        entry = passages[key]
        members = {ids[k] for k in entry["members"] if ids[k] is not None} | users[n]
        units = {unit.get(m, m) for m in members}
        kind = (
            "boilerplate"
            if len(units) >= BOILERPLATE_UNITS
            else ("copied" if len(units) == 2 else "repeated")
        )
        ordered = heapq.nsmallest(CAP, members)  # sorted; a 套话's members are 10⁴
        listed.append(
            {
                "text": entry["text"],
                "kind": kind,
                "reports": ordered[:MAX_LISTED],
                "report_count": max(len(members), len(users[n])),
                "unit_count": len(units),
                "members": ordered[:CAP],
            }
        )
    return {"version": VERSION, "min_chars": min_chars, "passages": listed, "spans": spans}
