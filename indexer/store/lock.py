"""One builder per index directory, and the leftovers of builders that were killed.

Two ``fazhi index`` runs on one index would each write a generation and the last to
publish would silently win.  The builder holds an exclusive ``flock`` on
``index/LOCK`` for the whole build; a second one says who holds it and waits (or, with
``wait=False``, refuses).  The kernel releases the lock when its holder dies, even by
``kill -9``, so a stale lock can never block the index.  Once the lock is held, any
generation folder newer than the published one is the remains of a killed build and is
removed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import FazhiError
from . import catalog

LOCK_NAME = "LOCK"


class IndexBusy(FazhiError):
    """Another build holds the index and the caller chose not to wait."""


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 64, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (pid {text})" if text.isdigit() else ""


@contextmanager
def build_lock(
    index_dir: Path, on_wait: Callable[[str], None] | None = None, wait: bool = True
) -> Iterator[None]:
    """Hold the index's build lock for the block; report and wait if another build has it."""
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            message = f"another `fazhi index`{_holder(fd)} is updating {index_dir}"
            if not wait:
                raise IndexBusy(f"{message}; try again when it has finished") from None
            if on_wait is not None:
                on_wait(f"{message}; waiting for it to finish …")
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        remove_unpublished(index_dir)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def remove_unpublished(index_dir: Path) -> list[Path]:
    """Delete generation folders a killed build left (newer than the live one)."""
    live = catalog.current_generation(index_dir)
    live_number = _number(live) if live is not None else 0
    removed = []
    for gen in index_dir.glob("gen-*"):
        number = _number(gen)
        if gen.is_dir() and number is not None and number > (live_number or 0):
            shutil.rmtree(gen, ignore_errors=True)
            removed.append(gen)
    return removed


def _number(gen: Path) -> int | None:
    digits = gen.name[4:]
    return int(digits) if digits.isdigit() else None
