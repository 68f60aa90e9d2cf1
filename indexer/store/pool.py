"""Open stores kept between requests, one generation at a time.

Opening a Whoosh store reads its table of contents and opens every segment file;
building its query parser costs as much again — about a quarter of a search page's
time on a 300-report index.  A generation never changes, so a store opened on it can
serve any later request: the web app's handles borrow an idle store of their
generation and give it back at teardown.  A store is only ever used by one request
at a time (Whoosh readers are not shared between threads), and the pool is closed
when its generation leaves the ``IndexCache``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

MAX_IDLE = 16  # more than the server's threads: every thread finds one idle


class StorePool:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[Any] = []
        self._closed = False

    def borrow(self, open_store: Callable[[], Any]) -> Any:
        """An idle store, or a new one from ``open_store``."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return open_store()

    def give_back(self, store: Any) -> None:
        """Keep ``store`` for the next request, or close it if it cannot be reused."""
        with self._lock:
            if (
                not self._closed
                and getattr(store, "reusable", False)
                and len(self._idle) < MAX_IDLE
            ):
                self._idle.append(store)
                return
        store.close()

    def close(self) -> None:
        """Close the idle stores; stores still lent out are closed when given back."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for store in idle:
            store.close()
