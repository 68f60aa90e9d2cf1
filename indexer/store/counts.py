"""The build's task × report counts held as one tuple of numbers per report.

``task_rows`` used to hand readers ``{report id: {task id: count}}``: at 1M paragraphs
47k dicts of ~28 keys each, 66 MB of a server's heap kept for as long as the index is
live (the task pages read it on every request).  ``CountTable`` holds the same numbers
as one tuple per report in the task order the build wrote (ints below 256 are shared
objects, so a row is one small tuple), ~13 MB there, and still reads as the mapping
it replaced: ``rows[rid].get(task, 0)``, ``rid in rows``, ``rows.items()``, equality.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping


class CountRow(Mapping[str, int]):
    """One report's counts, by task id (a view: no dict is made per report)."""

    __slots__ = ("_columns", "_values")

    def __init__(self, columns: dict[str, int], values: tuple[int, ...]) -> None:
        self._columns = columns
        self._values = values

    def __getitem__(self, task: str) -> int:
        return self._values[self._columns[task]]

    def get(self, task: str, default=None):  # type: ignore[override]  # Mapping's, faster
        at = self._columns.get(task)
        return default if at is None else self._values[at]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)

    def __repr__(self) -> str:
        return repr(dict(self))


class CountTable(Mapping[str, CountRow]):
    """``{report id: {task id: count}}`` with one tuple per report.

    Rows whose task keys differ from the first row's (a hand-made or partial table)
    are widened to the union of all keys, absent ones held as None and left out of
    the row's view, so every row reads back exactly as it was given."""

    __slots__ = ("_columns", "_rows", "_sparse")

    def __init__(self, rows: Mapping[str, Mapping[str, int]]) -> None:
        columns: dict[str, int] = {}
        for row in rows.values():
            for task in row:
                columns.setdefault(task, len(columns))
        order = tuple(columns)
        self._columns = columns
        self._sparse = any(len(row) != len(order) for row in rows.values())
        self._rows = {
            sys.intern(rid): tuple(row.get(t) for t in order) for rid, row in rows.items()
        }  # ids interned: one copy shared with the metadata and the other tables

    def __getitem__(self, rid: str) -> CountRow:
        values = self._rows[rid]
        if self._sparse and None in values:
            kept = {t: at for t, at in self._columns.items() if values[at] is not None}
            return CountRow(kept, values)
        return CountRow(self._columns, values)

    def __contains__(self, rid: object) -> bool:
        return rid in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __repr__(self) -> str:
        return f"CountTable({len(self)} reports × {len(self._columns)} tasks)"
