"""What a web process keeps in memory: rendered public pages, built list pages, and the
fingerprints that say when they are out of date.

Generic on purpose: no module here imports an area. At start-up the app registers each
fingerprint (`watch(app, name, read, tables, seconds_setting)`; the directory's is registered
in backend/__init__.py). `read()` names the area's current state in one query; the process
trusts the value for the setting's seconds, so a repeat request costs no query. A commit in
this process that wrote to one of `tables` forgets it at once (the session hooks below); a
write from another process is seen within those seconds. Writes never rely on it.

A public page is the same for everyone who asks for it the same way: it depends only on its
URL, the language and country chosen, every registered fingerprint and the clock to the
minute ("open now", "checked on"). `@remembered` keeps the bytes a view rendered under exactly
those, so a repeat is answered without rendering. Only a 200 that sets no cookie is kept; the
headers added after a view (security headers, Vary, the request log) are added to every answer
as usual. Nothing a person sends is ever part of a public page, so nothing private is kept.
`PAGE_CACHE_SIZE` bounds the pages kept per process (0 = render every time). When a
fingerprint cannot be read, the page is rendered, never kept.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import wraps
from threading import Lock

from flask import Flask, Response, current_app, g, has_app_context, request
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from backend.database import utcnow
from backend.extensions import db

DEFAULT_SIZE = 128
WATCHED = "memory.watched"


class PageMemory:
    """A thread-safe LRU of (body bytes, headers) by key, and of the ETag (with its
    Cache-Control) each request seen before got, by a key naming that request. Its size is
    the setting named by ``size_setting``."""

    def __init__(self, size_setting: str) -> None:
        self._pages: OrderedDict[Hashable, tuple[bytes, list | dict]] = OrderedDict()
        self._etags: OrderedDict[Hashable, tuple[str, str]] = OrderedDict()
        self._lock = Lock()
        self._size_setting = size_setting

    def size(self) -> int:
        return int(current_app.config.get(self._size_setting, DEFAULT_SIZE))

    def __len__(self) -> int:
        return len(self._pages)

    def get(self, key: Hashable) -> tuple[bytes, list | dict] | None:
        """The page stored under ``key``, or None."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: Hashable, body: bytes, headers) -> None:
        """Keep a page, forgetting the least recently used beyond the size."""
        size = self.size()
        if size <= 0:
            return
        with self._lock:
            self._pages[key] = (body, headers)
            self._pages.move_to_end(key)
            while len(self._pages) > size:
                self._pages.popitem(last=False)

    def etag_for(self, request_key: Hashable) -> tuple[str, str] | None:
        """(ETag, Cache-Control) given before to the request named by ``request_key``."""
        return self._etags.get(request_key)  # one dict read: atomic, no lock needed

    def remember_etag(self, request_key: Hashable, etag: str, cache_control: str) -> None:
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
    """One fingerprint, trusted for ``seconds``; forgotten on a write."""

    def __init__(self, read: Callable[[], tuple], seconds: float) -> None:
        self._read = read
        self._seconds = seconds
        self._kept: tuple[tuple, float] | None = None  # (value, trusted until), swapped whole
        self._generation = 0
        self._lock = Lock()

    def get(self) -> tuple:
        kept = self._kept
        if kept is not None and time.monotonic() < kept[1]:
            return kept[0]
        with self._lock:
            generation = self._generation
        value = self._read()
        with self._lock:
            # A write committed while we read may not be in `value`: keep it only if none was.
            if self._seconds > 0 and generation == self._generation:
                self._kept = (value, time.monotonic() + self._seconds)
        return value

    def forget(self) -> None:
        with self._lock:
            self._kept, self._generation = None, self._generation + 1


@dataclass(frozen=True)
class Watched:
    """A registered fingerprint: how to read it, the tables whose writes change it, and the
    setting that says how many seconds a process trusts it."""

    read: Callable[[], tuple]
    tables: frozenset[str]
    seconds_setting: str


def watch(
    app: Flask, name: str, read: Callable[[], tuple], tables: set[str], seconds_setting: str
) -> None:
    """Register a fingerprint with the app (at start-up); see the module docstring."""
    app.extensions.setdefault(WATCHED, {})[name] = Watched(read, frozenset(tables), seconds_setting)


def kept_in_app(name: str, make: Callable):
    """The current app's object called ``name``, made by ``make()`` on first use."""
    kept = current_app.extensions.get(name)
    if kept is None:
        kept = current_app.extensions[name] = make()
    return kept


def _remembered(name: str) -> RememberedFingerprint:
    def make() -> RememberedFingerprint:
        registered = current_app.extensions[WATCHED]
        seconds = float(current_app.config.get(registered[name].seconds_setting, 0))
        return RememberedFingerprint(lambda: registered[name].read(), seconds)

    return kept_in_app(f"memory.fingerprint.{name}", make)


def fingerprint(name: str) -> tuple:
    """The fingerprint registered as ``name``: remembered, or read and remembered."""
    return _remembered(name).get()


def fingerprints() -> tuple:
    """Every registered fingerprint, in the order they were registered."""
    return tuple(fingerprint(name) for name in current_app.extensions.get(WATCHED, {}))


def pages() -> PageMemory:
    """The current app's rendered public pages."""
    return kept_in_app("memory.pages", lambda: PageMemory("PAGE_CACHE_SIZE"))


def _page_key() -> tuple | None:
    """What decides the page, or None when a fingerprint cannot be read."""
    try:
        state = fingerprints()
    except SQLAlchemyError:
        db.session.rollback()
        return None
    minute = utcnow().strftime("%Y%m%d%H%M")
    return request.url, g.get("lang"), g.get("country"), state, minute


def remembered(view):
    """Serve the view's page from memory when the same page was rendered this minute."""

    @wraps(view)
    def answer(*args, **kwargs):
        if request.method not in ("GET", "HEAD") or current_app.config["PAGE_CACHE_SIZE"] <= 0:
            return view(*args, **kwargs)
        key = _page_key()
        if key is None:
            return view(*args, **kwargs)
        memory = pages()
        kept = memory.get(key)
        if kept is not None:
            return Response(kept[0], headers=kept[1])
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200 and "Set-Cookie" not in response.headers:
            memory.put(key, response.get_data(), list(response.headers.items()))
        return response

    return answer


def _written_fingerprints(session: Session) -> set[str]:
    """The registered fingerprints a flush is about to change."""
    watched = current_app.extensions.get(WATCHED, {}) if has_app_context() else {}
    if not watched:
        return set()
    tables = {
        getattr(type(row), "__tablename__", None)
        for row in (*session.new, *session.dirty, *session.deleted)
    }
    return {name for name, w in watched.items() if w.tables & tables}


@event.listens_for(Session, "before_flush")
def _note_writes(session: Session, _context, _instances) -> None:
    written = _written_fingerprints(session)
    if written:
        session.info.setdefault("memory_written", set()).update(written)


@event.listens_for(Session, "after_commit")
def _forget_after_writes(session: Session) -> None:
    written = session.info.pop("memory_written", None)
    if written and has_app_context():
        for name in written:
            kept = current_app.extensions.get(f"memory.fingerprint.{name}")
            if kept is not None:
                kept.forget()


@event.listens_for(Session, "after_rollback")
def _nothing_written(session: Session) -> None:
    session.info.pop("memory_written", None)
