"""What the directory API keeps in memory per process: its fingerprint, and built list pages.

The fingerprint (search.list_fingerprint: one aggregate query) names the directory's
current state and goes into every list ETag. Each process remembers it for
`HELPLINES_FINGERPRINT_SECONDS` (default 1 s; 0 = ask the database every time), so a
repeat request — a 304, or a page already built — costs no query at all. A write committed
in this process forgets it at once (a session hook below); a write from another process is
seen within those seconds, which sits well inside the `max-age` the API already gives
caches. Writes never rely on it: If-Match is checked against the line's row.

A strong ETag names exactly one body (it is built from the fingerprint, the normalised
filters and the language: see api.py), so a body found under an ETag is always the right
one, and a change to any line gives new ETags that miss. Each app in each web process keeps
its own small LRU; `HELPLINES_LIST_CACHE_SIZE` (default 128 pages, 0 = off) bounds it.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

DEFAULT_SIZE = 128
HELPLINE_TABLES = {"helplines", "helpline_contacts"}


class ListCache:
    """A thread-safe LRU of (body bytes, headers) by ETag, and of the ETag (with its
    Cache-Control) each request seen before gets, by that request's raw query, language and
    the fingerprint: so a repeat is answered before its filters are parsed again. Its size
    is the setting named by ``size_setting``; backend/page_memory.py keeps pages in one too.
    """

    def __init__(self, size_setting: str = "HELPLINES_LIST_CACHE_SIZE") -> None:
        self._pages: OrderedDict[Hashable, tuple[bytes, dict]] = OrderedDict()
        self._etags: OrderedDict[tuple, tuple[str, str]] = OrderedDict()
        self._lock = Lock()
        self._size_setting = size_setting

    def size(self) -> int:
        return int(current_app.config.get(self._size_setting, DEFAULT_SIZE))

    def get(self, etag: Hashable) -> tuple[bytes, dict] | None:
        """The page stored under ``etag``, or None."""
        with self._lock:
            page = self._pages.get(etag)
            if page is not None:
                self._pages.move_to_end(etag)
            return page

    def put(self, etag: Hashable, body: bytes, headers) -> None:
        """Keep a page, forgetting the least recently used beyond the size."""
        size = self.size()
        if size <= 0:
            return
        with self._lock:
            self._pages[etag] = (body, headers)
            self._pages.move_to_end(etag)
            while len(self._pages) > size:
                self._pages.popitem(last=False)

    def etag_for(self, request_key: tuple) -> tuple[str, str] | None:
        """(ETag, Cache-Control) given before to the request named by ``request_key``."""
        with self._lock:
            return self._etags.get(request_key)

    def remember_etag(self, request_key: tuple, etag: str, cache_control: str) -> None:
        size = self.size()
        if size <= 0:
            return
        with self._lock:
            self._etags[request_key] = (etag, cache_control)
            while len(self._etags) > size:
                self._etags.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._etags.clear()


class RememberedFingerprint:
    """The directory's fingerprint, remembered for a few seconds; forgotten on a write."""

    def __init__(self) -> None:
        self._value: tuple | None = None
        self._until = 0.0
        self._generation = 0
        self._lock = Lock()

    def get(self, read: Callable[[], tuple]) -> tuple:
        seconds = float(current_app.config.get("HELPLINES_FINGERPRINT_SECONDS", 0))
        with self._lock:
            if self._value is not None and time.monotonic() < self._until:
                return self._value
            generation = self._generation
        value = read()
        with self._lock:
            # A write committed while we read may not be in `value`: keep it only if none was.
            if seconds > 0 and generation == self._generation:
                self._value, self._until = value, time.monotonic() + seconds
        return value

    def forget(self) -> None:
        with self._lock:
            self._value, self._generation = None, self._generation + 1


def kept_in_app(name: str, make):
    """The current app's object called ``name``, made by ``make()`` on first use."""
    cache = current_app.extensions.get(name)
    if cache is None:
        cache = current_app.extensions[name] = make()
    return cache


def for_app() -> ListCache:
    """The current app's page cache (made on first use)."""
    return kept_in_app("helplines.list_cache", ListCache)


def fingerprint(read: Callable[[], tuple]) -> tuple:
    """The directory's fingerprint: remembered, or read with ``read`` and remembered."""
    return kept_in_app("helplines.fingerprint", RememberedFingerprint).get(read)


def _touches_helplines(session: Session) -> bool:
    return any(
        getattr(type(row), "__tablename__", None) in HELPLINE_TABLES
        for row in (*session.new, *session.dirty, *session.deleted)
    )


@event.listens_for(Session, "before_flush")
def _note_helpline_writes(session: Session, _context, _instances) -> None:
    if _touches_helplines(session):
        session.info["helplines_written"] = True


@event.listens_for(Session, "after_commit")
def _forget_after_helpline_writes(session: Session) -> None:
    if session.info.pop("helplines_written", False) and has_app_context():
        remembered = current_app.extensions.get("helplines.fingerprint")
        if remembered is not None:
            remembered.forget()


@event.listens_for(Session, "after_rollback")
def _nothing_written(session: Session) -> None:
    session.info.pop("helplines_written", None)
