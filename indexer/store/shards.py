"""Per-report rows in a few dozen compressed shards, so an update rewrites only its own.

``tasks.json`` and ``audit.json`` held one row per report in one file: at 1M
paragraphs (47k reports) 28 and 21 MB that every update parsed and wrote again for
one edited report.  A shard folder holds the same rows split by a stable hash of the
report id into ``SHARDS`` files (zlib-compressed JSON objects, ``NN.z``) and a small
``head.json`` with the fields that are not rows and each shard's size (what a build
checks with a stat, as ``catalog.json``'s ``sizes``)::

    {"head": {...}, "shards": {"00.z": size, ...}}

An update reads and rewrites only the shards holding a changed or removed report; the
rest stay hard links to the previous generation's files.  Every file is written
through a rename (a new inode): the previous generation never sees a change, and a
killed update leaves only files of the generation it was writing.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from . import jsonio

HEAD = "head.json"
SHARDS = 64
LEVEL = 1  # rows are small numbers and repeated keys: level 1 is nearly level 6's size


def shard_of(key: str, count: int = SHARDS) -> str:
    """The shard file holding ``key`` in a table of ``count`` shards (``head.json``
    records the count; a table without one has ``SHARDS``)."""
    return shard_of_number(zlib.crc32(key.encode("utf-8")) % count, count)


def shard_of_number(n: int, count: int) -> str:
    width = 2 if count <= 100 else len(str(count - 1))
    return f"{n:0{width}d}.z"


def count_of(table: dict | None) -> int:
    return int(table.get("count", SHARDS)) if table else SHARDS


class ShardError(ValueError):
    """A shard folder that cannot be read (missing file, bad bytes, wrong shape)."""


def read_head(folder: Path) -> dict | None:
    """``{"head", "shards"}``, or None when the folder has no shard table."""
    try:
        data = jsonio.loads((folder / HEAD).read_bytes())
    except FileNotFoundError:
        return None
    except ValueError as exc:
        raise ShardError(f"{folder / HEAD}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("shards"), dict):
        raise ShardError(f"{folder / HEAD}: not a shard table")
    return data


def _read_shard(folder: Path, name: str) -> dict:
    path = folder / name
    try:
        rows = jsonio.loads(zlib.decompress(path.read_bytes()))
    except (OSError, zlib.error, ValueError) as exc:
        raise ShardError(f"{path}: {exc}") from exc
    if not isinstance(rows, dict):
        raise ShardError(f"{path}: not an object of rows")
    return rows


def read_rows(folder: Path, keys: Iterable[str] | None = None) -> tuple[dict, dict] | None:
    """(head fields, rows): every row, or only the shards holding ``keys``; None when
    the folder holds no table."""
    table = read_head(folder)
    if table is None:
        return None
    count = count_of(table)
    names = sorted(table["shards"]) if keys is None else sorted({shard_of(k, count) for k in keys})
    rows: dict[str, Any] = {}
    for name in names:
        if name in table["shards"]:
            rows.update(_read_shard(folder, name))
    return table.get("head", {}), rows


def read_shard(folder: Path, name: str) -> dict:
    """One shard's rows (``shard_of`` names it); a shard never written holds none."""
    if not (folder / name).exists():
        return {}
    return _read_shard(folder, name)


def write_rows(
    folder: Path,
    head: dict,
    changed: Mapping[str, Any],
    removed: Iterable[str] = (),
    whole: bool = False,
    count: int = SHARDS,
) -> None:
    """Put ``changed`` rows, drop ``removed`` ones; ``whole``: ``changed`` is every row
    (all shards written, whatever the folder held).  ``count``: shards of a new table
    (an existing table keeps its own)."""
    folder.mkdir(parents=True, exist_ok=True)
    table = None if whole else read_head(folder)
    sizes: dict[str, int] = dict(table["shards"]) if table else {}
    touched: dict[str, dict] = {}
    if table is None:
        touched = {shard_of_number(n, count): {} for n in range(count)}
        sizes = {}
    else:
        count = count_of(table)
    gone = list(removed)
    for key in [*changed, *gone]:
        name = shard_of(key, count)
        if name not in touched:
            touched[name] = _read_shard(folder, name) if name in sizes else {}
    for key, row in changed.items():
        touched[shard_of(key, count)][key] = row
    for key in gone:
        touched[shard_of(key, count)].pop(key, None)
    for name, rows in touched.items():
        blob = zlib.compress(jsonio.dumps(rows), LEVEL)
        tmp = folder / f"{name}.tmp"
        tmp.write_bytes(blob)
        os.replace(tmp, folder / name)
        sizes[name] = len(blob)
    tmp = folder / f"{HEAD}.tmp"
    shards = dict(sorted(sizes.items()))
    body = {"head": head, "shards": shards} | ({} if count == SHARDS else {"count": count})
    tmp.write_bytes(jsonio.dumps(body))
    os.replace(tmp, folder / HEAD)


def damage(folder: Path) -> str | None:
    """The first file of the table that is missing or not the size it was written
    with, or None (a folder without a table is not damaged: it is rebuilt)."""
    try:
        table = read_head(folder)
    except ShardError as exc:
        return str(exc)
    if table is None:
        return None
    for name, size in table["shards"].items():
        path = folder / name
        try:
            if path.stat().st_size != size:
                return f"{path} (not the size it was written with)"
        except OSError:
            return f"{path} (missing)"
    return None
