"""Serialised helpline list pages, kept in memory by their strong ETag.

A strong ETag names exactly one body (it is built from the directory's fingerprint, the
normalised filters and the language: see api.py), so a body found under an ETag is always
the right one, and a change to any line gives new ETags that miss. Each app in each web
process keeps its own small LRU; `HELPLINES_LIST_CACHE_SIZE` (default 128 pages, 0 = off) bounds it.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from flask import current_app

DEFAULT_SIZE = 128


class ListCache:
    """A thread-safe LRU of (body bytes, headers) by ETag."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, tuple[bytes, dict]] = OrderedDict()
        self._lock = Lock()

    @staticmethod
    def size() -> int:
        return int(current_app.config.get("HELPLINES_LIST_CACHE_SIZE", DEFAULT_SIZE))

    def get(self, etag: str) -> tuple[bytes, dict] | None:
        """The page stored under ``etag``, or None."""
        with self._lock:
            page = self._pages.get(etag)
            if page is not None:
                self._pages.move_to_end(etag)
            return page

    def put(self, etag: str, body: bytes, headers: dict) -> None:
        """Keep a page, forgetting the least recently used beyond the size."""
        size = self.size()
        if size <= 0:
            return
        with self._lock:
            self._pages[etag] = (body, headers)
            self._pages.move_to_end(etag)
            while len(self._pages) > size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def for_app() -> ListCache:
    """The current app's cache (made on first use)."""
    cache = current_app.extensions.get("helplines.list_cache")
    if cache is None:
        cache = current_app.extensions["helplines.list_cache"] = ListCache()
    return cache
