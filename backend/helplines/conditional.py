"""Conditional requests for the directory API (RFC 9110 §13): strong ETags, a bodiless 304
for what the client already holds, and `If-Match` on writes (428 without it, 412 when the
line changed since it was read).

A list's ETag is a hash of the directory's fingerprint, the normalised filters and the
language; a single line's ETag is its version, `"3"`, which a write sends back in If-Match.
"""

from __future__ import annotations

import hashlib
import json
from typing import NoReturn

from flask import Response, request
from flask_smorest import abort
from werkzeug.http import quote_etag

ETAG_VERSION = "helplines-1"  # change when the representation changes


class NotModified(Response):
    """A 304: no body, so no Content-Type either (RFC 9110 §15.4.5)."""

    default_mimetype = None


def etag(*parts) -> str:
    """A strong ETag naming exactly the representation `parts` decide."""
    raw = json.dumps([ETAG_VERSION, *parts], default=str, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def not_modified(tag: str, cache_control: str) -> Response | None:
    """A bodiless 304 when the client already holds this representation, else None.

    The usual case, a client sending back exactly the ETag it was given, is a string
    comparison; anything else (several tags, W/, *) goes through the full parser.
    """
    sent = request.headers.get("If-None-Match")
    if sent is None:
        return None
    quoted = quote_etag(tag)
    if sent != quoted:
        condition = request.if_none_match
        if not condition.contains_weak(tag) and not condition.star_tag:
            return None
    return NotModified(None, 304, [("ETag", quoted), ("Cache-Control", cache_control)])


def expected_version(current_version: int) -> int:
    """The version named by If-Match: 428 without one, 412 when it is not the current one."""
    if "If-Match" not in request.headers:
        abort(428, message='Send If-Match: "<version>" with the version you read (its ETag).')
    tags = [tag for tag in request.if_match.as_set() if tag]
    # Anything but exactly one strong, numeric version can never match: 412, never a 500.
    if len(tags) != 1 or not tags[0].isdigit() or len(tags[0]) > 9:
        changed_since_read(current_version)
    return int(tags[0])


def changed_since_read(current_version: int) -> NoReturn:
    """412: the line is no longer at the version the client read."""
    abort(
        412,
        message=f"This helpline changed since you read it (it is now version {current_version}). "
        "Read it again and re-apply your change.",
        headers={"ETag": quote_etag(str(current_version))},
    )
