"""What the directory API keeps in memory per process: built list pages by ETag, and the ETag
each request seen before got.

The directory's fingerprint (search.list_fingerprint: one aggregate query) names its current
state and goes into every list ETag and every request key. It is registered with the app's
memory at start-up (`watch_directory`, called by create_app), which remembers it for
`HELPLINES_FINGERPRINT_SECONDS` (default 1 s; 0 = ask the database every time) and forgets it
at once after a write in this process; a write from another process is seen within those
seconds, well inside the `max-age` the API gives caches. Writes never rely on it.

A request seen before — same raw query, language, country and fingerprint (and minute, for
`open_now`) — is answered before its filters are parsed again: a 304 when the client holds
the list, else the page kept under its ETag. A strong ETag names exactly one body, so a body
found under one is always right, and a change to any line gives new ETags that miss.
`HELPLINES_LIST_CACHE_SIZE` (default 128 pages, 0 = off) bounds what each app keeps.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, Response, g, request

from backend import memory
from backend.database import utcnow
from backend.helplines import conditional
from backend.helplines.models import Helpline, HelplineContact
from backend.helplines.search import list_fingerprint

DIRECTORY = "helplines"
DIRECTORY_TABLES = {Helpline.__tablename__, HelplineContact.__tablename__}

Page = tuple[bytes, dict]


def watch_directory(app: Flask) -> None:
    """Register the directory's fingerprint with the app's memory (at start-up)."""
    memory.watch(
        app, DIRECTORY, list_fingerprint, DIRECTORY_TABLES, "HELPLINES_FINGERPRINT_SECONDS"
    )


def directory_fingerprint() -> tuple:
    """The directory's current fingerprint, as this process may trust it."""
    return memory.fingerprint(DIRECTORY)


def lists() -> memory.PageMemory:
    """The current app's built list pages."""
    return memory.kept_in_app(
        "helplines.lists", lambda: memory.PageMemory("HELPLINES_LIST_CACHE_SIZE")
    )


def request_key() -> tuple:
    """What decides a list request's answer, before parsing: the directory's fingerprint,
    the raw query as sent, the language chosen, and the minute for `open_now`. (The country
    a person's language names does not: the list's country is a filter in the query.)"""
    query = request.query_string
    minute = utcnow().strftime("%Y%m%d%H%M") if b"open_now" in query else None
    return directory_fingerprint(), query, g.get("lang"), minute


def answered_from_memory(view):
    """Answer a request seen before before its filters are parsed and checked again (they
    were, the first time): a 304 when the client holds the list, else the page kept in
    memory. Anything else goes on to the view."""

    @wraps(view)
    def answered(*args, **kwargs):
        key = request_key()
        kept = lists()
        known = kept.etag_for(key)
        if known is not None:
            tag, cache_control = known
            not_modified = conditional.not_modified(tag, cache_control)
            if not_modified is not None:
                return not_modified
            page = kept.get(tag)
            if page is not None:
                return page_response(page, tag, cache_control)
        g.helplines_request_key = key
        return view(*args, **kwargs)

    return answered


def answer(args: dict, cache_control: str, build: Callable[[], Page]) -> Response:
    """The list for parsed `args`: 304, the page kept under its ETag, or `build()`'s page
    (kept). Runs under @answered_from_memory, which named the request."""
    key = g.helplines_request_key
    minute = key[-1] if args.get("open_now") else None
    tag = conditional.etag(key[0], sorted(args.items()), g.get("lang"), minute)
    kept = lists()
    kept.remember_etag(key, tag, cache_control)
    not_modified = conditional.not_modified(tag, cache_control)
    if not_modified is not None:
        return not_modified
    page = kept.get(tag)
    if page is None:
        page = build()
        kept.put(tag, *page)
    return page_response(page, tag, cache_control)


def page_response(page: Page, tag: str, cache_control: str) -> Response:
    response = Response(page[0], mimetype="application/json", headers=page[1])
    response.set_etag(tag)
    response.headers["Cache-Control"] = cache_control
    return response
