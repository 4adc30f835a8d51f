"""One JSON line per request: request id, method, path (never the query), status, duration.

Nothing else from a request is ever logged: no query string, body, header, cookie, token,
push endpoint or answer. The request id comes from a trusted proxy's `X-Request-ID` when it
looks like one, else it is made here; it is echoed back so a person reporting a problem
can quote it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, g, request

log = logging.getLogger("steady.request")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_line(status: int) -> str:
    """The JSON log line for the current request."""
    duration_ms = (time.perf_counter() - g.get("started_at", time.perf_counter())) * 1000
    return json.dumps(
        {
            "request_id": g.get("request_id"),
            "method": request.method,
            "path": request.path,
            "status": status,
            "duration_ms": round(duration_ms, 2),
        },
        separators=(",", ":"),
    )


def init_app(app: Flask) -> None:
    """Time every request, give it an id and log one line when it ends."""
    if not app.testing and not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.before_request
    def _start() -> None:
        g.started_at = time.perf_counter()
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex

    @app.after_request
    def _finish(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        log.info(request_line(response.status_code))
        return response
