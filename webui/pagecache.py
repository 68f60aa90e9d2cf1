"""Rendered pages kept for as long as the index generation they were made from is live.

Every page is a function of its URL, two htmx request headers and the index
generation — and a generation never changes once published.  So a page rendered
once can be sent again as it is until ``fazhi index`` publishes a new generation:
the key holds the generation's name, and a new generation simply misses.  Paging
back and forth, the htmx fragment after the full page, a search many colleagues run,
a task comparison — these then cost a dictionary lookup instead of a search, a
comparison and a template.  The cache is bounded (entries and bytes, least recently
used first out), keeps only successful GET responses, and lives in the app
(``app.extensions``), not in the module.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

from flask import Flask, Response, current_app, g, request

from indexer.store import catalog
from indexer.store.generation import folder_identity

MAX_ENTRIES = 1024
MAX_BYTES = 128 * 1024 * 1024
MAX_ENTRY_BYTES = 4 * 1024 * 1024
KEY_HEADERS = ("HX-Request", "HX-History-Restore-Request")


class PageCache:
    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._lock = threading.Lock()
        self._pages: OrderedDict[tuple, tuple[int, list, bytes]] = OrderedDict()
        self._bytes = 0
        self.hits = self.misses = 0

    def get(self, key: tuple) -> tuple[int, list, bytes] | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return page

    def put(self, key: tuple, page: tuple[int, list, bytes]) -> None:
        size = len(page[2])
        if size > MAX_ENTRY_BYTES:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old[2])
            self._pages[key] = page
            self._bytes += size
            while self._pages and (
                len(self._pages) > self.max_entries or self._bytes > self.max_bytes
            ):
                _, dropped = self._pages.popitem(last=False)
                self._bytes -= len(dropped[2])


def _key() -> tuple | None:
    if request.method != "GET":
        return None
    gen = catalog.current_generation(Path(current_app.config["INDEX_DIR"]))
    if gen is None:
        return None  # no index yet: the error page must not outlive the first build
    headers = tuple(request.headers.get(name, "") for name in KEY_HEADERS)
    # the folder's identity too: an index deleted and built again reuses gen-000001
    return (gen.name, folder_identity(gen), request.full_path, headers)


def serve_cached() -> Response | None:
    cache: PageCache = current_app.extensions["fazhi_page_cache"]
    key = _key()
    g.page_cache_key = key
    page = cache.get(key) if key is not None else None
    if page is None:
        return None
    g.page_cache_hit = True
    status, headers, body = page
    return Response(body, status=status, headers=headers)


def keep_page(response: Response) -> Response:
    key = g.get("page_cache_key")
    if (
        key is None
        or g.get("page_cache_hit")
        or response.status_code != 200
        or response.direct_passthrough
        or response.is_streamed
    ):
        return response
    headers = [(k, v) for k, v in response.headers.items() if k.lower() != "content-length"]
    current_app.extensions["fazhi_page_cache"].put(
        key, (response.status_code, headers, response.get_data())
    )
    return response


def init_app(app: Flask) -> None:
    if not app.config.get("PAGE_CACHE", True):
        return
    app.extensions["fazhi_page_cache"] = PageCache(
        app.config.get("PAGE_CACHE_ENTRIES", MAX_ENTRIES)
    )
    app.before_request(serve_cached)
    app.after_request(keep_page)
