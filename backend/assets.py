"""Versioned static asset URLs: `asset("css/app.css")` → `/static/css/app.css?v=<hash>`.

A versioned URL never changes content, so it is cached for a year and the service worker
serves it cache-first; a new deploy changes the hash and so the URL.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from flask import Flask, current_app, request, url_for

LONG_CACHE = "public, max-age=31536000, immutable"


@cache
def _digest(path: str, _mtime: float) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


def version(filename: str) -> str:
    """The short content hash of a file under the static folder."""
    path = Path(current_app.static_folder) / filename
    return _digest(str(path), path.stat().st_mtime)


def asset(filename: str) -> str:
    """The versioned URL of a static file."""
    return url_for("static", filename=filename, v=version(filename))


def init_app(app: Flask) -> None:
    """Expose `asset()` to templates and cache versioned files for a year."""
    app.jinja_env.globals["asset"] = asset

    @app.after_request
    def _cache_static(response):
        if request.endpoint == "static":
            if request.args.get("v"):
                response.headers["Cache-Control"] = LONG_CACHE
            else:
                response.headers["Cache-Control"] = "no-cache"
        return response
