"""Public pages, rendered once and kept in memory by each web process for up to a minute.

A public page is the same for everyone who asks for it the same way. It depends only on its
URL (scheme, host, path and query), the language and country chosen (from the query or
Accept-Language), the helpline directory (through its fingerprint: helplines/list_cache.py)
and the clock to the minute ("open now", "checked on"). So the bytes a view rendered are
kept under exactly those, and a repeat is answered without rendering: the home page then
costs about what /healthz does. Only a 200 that sets no cookie is kept; the headers added
after a view (security headers, Vary, the request log) are added to every answer as usual.
Nothing a person sends is ever part of a public page, so nothing private can be kept.

`PAGE_CACHE_SIZE` bounds the pages kept per process (default 256; 0 = render every time).
When the database cannot be asked for the fingerprint, the page is rendered, never kept.
"""

from __future__ import annotations

from functools import wraps

from flask import Response, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from backend.database import utcnow
from backend.extensions import db
from backend.helplines import list_cache, service


def _memory() -> list_cache.ListCache:
    return list_cache.kept_in_app("pages.memory", lambda: list_cache.ListCache("PAGE_CACHE_SIZE"))


def _page_key() -> tuple | None:
    """What decides the page, or None when the directory cannot be asked."""
    try:
        fingerprint = list_cache.fingerprint(service.list_fingerprint)
    except SQLAlchemyError:
        db.session.rollback()
        return None
    minute = utcnow().strftime("%Y%m%d%H%M")
    return request.url, g.get("lang"), g.get("country"), fingerprint, minute


def remembered(view):
    """Serve the view's page from memory when the same page was rendered this minute."""

    @wraps(view)
    def answer(*args, **kwargs):
        if request.method not in ("GET", "HEAD") or current_app.config["PAGE_CACHE_SIZE"] <= 0:
            return view(*args, **kwargs)
        key = _page_key()
        if key is None:
            return view(*args, **kwargs)
        memory = _memory()
        kept = memory.get(key)
        if kept is not None:
            return Response(kept[0], headers=kept[1])
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200 and "Set-Cookie" not in response.headers:
            memory.put(key, response.get_data(), list(response.headers.items()))
        return response

    return answer
