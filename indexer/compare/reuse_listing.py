"""A shared passage's row — kind, counts, listed reports — from the reports that name it.

``reuse_index`` lists every passage an update touches; a 套话 is named by tens of
thousands of reports, so past ``MANY_USERS`` the row is made with arrays.
"""

from __future__ import annotations

import heapq

import numpy as np

from ..store.reuse_rows import Users
from .reuse import BOILERPLATE_UNITS, CAP, MAX_LISTED

MANY_USERS = 256  # past this, a passage's row is made with arrays (a 套话 has 10⁴ users)


class Listing:
    """Passage rows from their users' codes (``store.reuse_rows.Users``).  A 套话 named
    by tens of thousands of reports took a set and a sort of all their ids per passage
    (most of an edit's reuse update at 1M paragraphs); with the users' unit numbers
    and id ranks in arrays it is an ``np.unique`` and an ``np.partition``."""

    def __init__(self, users: Users, unit: dict, many: int | None = None) -> None:
        self.users, self.unit = users, unit
        self.many = MANY_USERS if many is None else many
        self._arrays: tuple[np.ndarray, np.ndarray, dict[str, int]] | None = None

    def _ready(self) -> tuple[np.ndarray, np.ndarray, dict[str, int]]:
        if self._arrays is None:
            ids, number = self.users.ids, {}
            units = np.fromiter(
                (number.setdefault(self.unit.get(r, r), len(number)) for r in ids),
                dtype=np.int64,
                count=len(ids),
            )
            order = sorted(range(len(ids)), key=lambda k: (ids[k] is None, ids[k] or ""))
            rank = np.empty(len(ids), dtype=np.int64)
            rank[order] = np.arange(len(ids))
            self._arrays = (units, rank, number)
        return self._arrays

    def listed(self, text: str, members: set[str], who: np.ndarray) -> dict:
        ids = self.users.ids
        if len(who) <= self.many:
            return _listed(text, members, [ids[w] for w in who.tolist()], self.unit)
        units, rank, number = self._ready()
        mine = set(ids[c] for c in _known_members(members, who, self.users.index))
        extra = sorted(members - mine)  # members that do not name it themselves
        unit_codes = np.unique(units[who])
        extra_units = {self.unit.get(m, m) for m in extra}
        coded = np.asarray([number.get(u, -1) for u in extra_units], dtype=np.int64)
        counted = int(np.isin(coded, unit_codes).sum()) if len(coded) else 0
        unit_count = len(unit_codes) + len(extra_units) - counted
        cap = min(CAP, len(who))
        smallest = np.argpartition(rank[who], cap - 1)[:cap]
        ordered = sorted([ids[c] for c in who[smallest].tolist()] + extra)[:CAP]
        return _row(text, unit_count, ordered, len(who) + len(extra), len(who))


def _known_members(members: set[str], who: np.ndarray, index: dict[str, int]) -> list[int]:
    """The codes of the ``members`` that are among the users ``who``."""
    codes = np.fromiter((index.get(m, -1) for m in members), dtype=np.int64, count=len(members))
    return codes[np.isin(codes, who)].tolist()


def _row(text: str, unit_count: int, ordered: list[str], members: int, users: int) -> dict:
    kind = (
        "boilerplate"
        if unit_count >= BOILERPLATE_UNITS
        else ("copied" if unit_count == 2 else "repeated")
    )
    return {
        "text": text,
        "kind": kind,
        "reports": ordered[:MAX_LISTED],
        "report_count": max(members, users),
        "unit_count": unit_count,
        "members": ordered[:CAP],
    }


def _listed(text: str, members: set[str], users: list[str], unit: dict) -> dict:
    """A passage's row: its kind, counts and listed reports from its members and users."""
    members = members | set(users)
    units = {unit.get(m, m) for m in members}
    ordered = heapq.nsmallest(CAP, members)  # sorted
    return _row(text, len(units), ordered, len(members), len(users))
