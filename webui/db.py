"""One index handle per request, opened lazily and closed at teardown.

Opening per request (rather than once per process) means a rebuilt index — the
core swaps generations atomically — is picked up by the next request without a
restart, and no handle outlives the request that used it.  What a generation holds
(reports, columns) is shared through the app's ``IndexCache``, so a request does not
re-read it.  Nothing is kept at module level, so several apps can live in one process.
"""

from __future__ import annotations

from contextlib import ExitStack

from flask import Flask, current_app, g

from indexer.errors import FazhiError
from indexer.query import IndexCache, open_index
from indexer.warmup import warm

from . import memory


def get_index():
    """The open index for this request; raises ``IndexMissing`` if none is built."""
    if "index" not in g:
        stack = ExitStack()
        cache = current_app.extensions["fazhi_index_cache"]
        g.index = stack.enter_context(open_index(current_app.config["INDEX_DIR"], cache))
        g.index_stack = stack
    return g.index


def close_index(_exc: BaseException | None = None) -> None:
    """Release the handle (teardown runs even when the view raised)."""
    index = g.pop("index", None)
    if index is not None:
        index.release_pages()  # the searches' mapped pages: not this process's memory to keep
    stack = g.pop("index_stack", None)
    if stack is not None:
        stack.close()
    if index is not None:
        memory.trim()  # what the request freed, back to the system (``webui.memory``)


def init_app(app: Flask) -> None:
    # one cache per app: requests share what they read from an unchanged index generation
    app.extensions["fazhi_index_cache"] = IndexCache()
    app.teardown_appcontext(close_index)


def warm_up(app: Flask) -> None:
    """Load the live generation into the app's cache (``indexer.warmup``), so that the
    first requests find a warm handle: the server runs this before it serves (its socket
    is already bound; a request that comes meanwhile waits in the listen queue)."""
    with app.app_context():
        try:
            warm(get_index())
        except FazhiError:
            pass  # no index yet, or a damaged one: the first request says which
        finally:
            close_index()
