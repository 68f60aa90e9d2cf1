"""One index handle per request, opened lazily and closed at teardown.

Opening per request (rather than once per process) means a rebuilt index — the
core swaps generations atomically — is picked up by the next request without a
restart, and no handle outlives the request that used it.  Nothing is kept at
module level, so several apps (tests, a server) can live in one process.
"""

from __future__ import annotations

from contextlib import ExitStack

from flask import Flask, current_app, g

from indexer.query import open_index


def get_index():
    """The open index for this request; raises ``IndexMissing`` if none is built."""
    if "index" not in g:
        stack = ExitStack()
        g.index = stack.enter_context(open_index(current_app.config["INDEX_DIR"]))
        g.index_stack = stack
    return g.index


def close_index(_exc: BaseException | None = None) -> None:
    """Release the handle (teardown runs even when the view raised)."""
    g.pop("index", None)
    stack = g.pop("index_stack", None)
    if stack is not None:
        stack.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(close_index)
