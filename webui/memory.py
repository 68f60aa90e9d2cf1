"""Give the C heap's free pages back to the system after a request.

CPython keeps small objects in its own arenas but takes large blocks (a parsed JSON
file, numpy arrays of a search) from the C library's ``malloc``.  glibc returns freed
memory at the top of a heap only; what a request freed below a live block stays in the
process's resident set.  At 1M paragraphs a served index held ~50 MB of such free pages
after the task pages (553 instead of 606 MB).  ``malloc_trim(0)`` hands them back
(every arena's; a few ms at that size).  Elsewhere than glibc it is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading

M_ARENA_MAX = -8  # mallopt parameter (glibc malloc.h)
ARENAS = 2  # request threads share two heaps, not one per thread (8 × cores by default)


def _libc():
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None
    except OSError:
        return None


_LIBC = _libc()
_trimming = threading.Lock()


def limit_arenas() -> bool:
    """Fewer malloc arenas (before the server's threads start); False if not glibc."""
    return bool(_LIBC is not None and _LIBC.mallopt(M_ARENA_MAX, ARENAS))


def trim() -> bool:
    """Return free heap pages to the system; False if nothing was released or no glibc.
    One thread at a time trims (the others' requests need not wait for it)."""
    if _LIBC is None or not _trimming.acquire(blocking=False):
        return False
    try:
        return bool(_LIBC.malloc_trim(0))
    finally:
        _trimming.release()
