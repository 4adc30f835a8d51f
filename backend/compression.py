"""gzip for the public pages and the files they load, when the browser accepts it.

A first visit is a page, one stylesheet and a few small scripts, all text: gzipped they are
about a quarter of their size, which is what a slow phone connection waits for before it
can draw anything (Lighthouse's "Enable text compression", issue 15). Compressed here, so it
holds without a proxy that does it.

Only what is the same for everyone is compressed: public pages and static files. Never the
console (`/admin`: CSRF tokens) nor the API (`/api`: manage tokens, ETags of their own),
since compressing a secret next to text a visitor can choose lets an attacker who sees only
the sizes guess it (BREACH). Responses that set a cookie, partial or empty ones, and small
ones are left alone. Repeated answers (pages kept in memory, the same stylesheet) are
compressed once per process: the result is kept, by body, in a small LRU.
"""

from __future__ import annotations

import gzip
from collections import OrderedDict
from threading import Lock

from flask import Flask, Response, request

COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "image/svg+xml",
        "text/plain",
    }
)
NEVER = ("/admin", "/api")
MIN_BYTES = 1024
LEVEL = 6
KEPT = 64


class Compressed:
    """gzip bytes by body, the last KEPT bodies (thread-safe)."""

    def __init__(self, size: int = KEPT) -> None:
        self._kept: OrderedDict[bytes, bytes] = OrderedDict()
        self._lock = Lock()
        self._size = size

    def __call__(self, body: bytes) -> bytes:
        with self._lock:
            if (found := self._kept.get(body)) is not None:
                self._kept.move_to_end(body)
                return found
        packed = gzip.compress(body, compresslevel=LEVEL, mtime=0)
        with self._lock:
            self._kept[body] = packed
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return packed


def accepts_gzip() -> bool:
    """Does the request accept gzip (and not refuse it with q=0)?"""
    return request.accept_encodings["gzip"] > 0


def may_compress(response: Response) -> bool:
    """Is this an answer that is compressed for a browser that accepts gzip?"""
    return (
        response.status_code == 200
        and request.method == "GET"
        and not request.path.startswith(NEVER)
        and response.mimetype in COMPRESSIBLE
        and "Content-Encoding" not in response.headers
        and "Set-Cookie" not in response.headers
    )


def init_app(app: Flask) -> None:
    """Compress what may be compressed, after every other hook has had its say."""
    compressed = Compressed()

    @app.after_request
    def _gzip(response: Response) -> Response:
        if not may_compress(response):
            return response
        response.vary.add("Accept-Encoding")
        if not accepts_gzip():
            return response
        response.direct_passthrough = False  # a static file: read it whole
        body = response.get_data()
        if len(body) < MIN_BYTES:
            return response
        response.set_data(compressed(body))
        response.headers["Content-Encoding"] = "gzip"
        etag, weak = response.get_etag()
        if etag and not weak:  # the same ETag for both encodings, so only weakly equal
            response.set_etag(etag, weak=True)
        return response
