"""Reading JSON that someone sent: every way it can be unreadable becomes a clear message.

Python's `json` refuses an integer of more than 4,300 digits with a plain ValueError (the
int conversion limit of CVE-2020-10735, not a JSONDecodeError) and deep nesting with a
RecursionError; callers that expect only JSONDecodeError (webargs, Flask's `get_json`) then
answer 500 (M6, issue 9). `load_json` turns both, and nesting deeper than MAX_DEPTH, into
`UnreadableJSON` with words a person can act on. `init_app` applies it to every JSON
request body before any view reads it: such a body is a 400 everywhere, under /api as JSON
({code, status, message, errors}) and elsewhere as a page.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, abort, request

# Far deeper than anything Steady reads (a helpline's hours are 4 levels down), far
# shallower than the interpreter's recursion limit.
MAX_DEPTH = 32


class UnreadableJSON(ValueError):
    """JSON that is valid text but cannot be read safely; the message says why."""


def _deeper_than(value: Any, limit: int) -> bool:
    """Is `value` nested more than `limit` levels deep? (no recursion: it may be very deep)"""
    level = [value]
    for _ in range(limit):
        level = [
            child
            for item in level
            if isinstance(item, dict | list)
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return False
    return any(isinstance(item, dict | list) for item in level)


def load_json(text: str | bytes) -> Any:
    """Parse `text`; raise json.JSONDecodeError for bad syntax (as `json.loads` does) and
    UnreadableJSON for nesting or numbers too large to read."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise UnreadableJSON(
            f"The JSON is nested too deeply: at most {MAX_DEPTH} levels of [ ] and {{ }}."
        ) from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:  # the int digit limit; a decoding error is a ValueError too
        if isinstance(error, UnicodeDecodeError):
            raise
        raise UnreadableJSON(
            "A number in the JSON is too long to read (more than 4,300 digits)."
        ) from None
    if _deeper_than(value, MAX_DEPTH):
        raise UnreadableJSON(
            f"The JSON is nested too deeply: at most {MAX_DEPTH} levels of [ ] and {{ }}."
        )
    return value


def init_app(app: Flask) -> None:
    """Refuse a JSON request body that cannot be read safely, before any view reads it."""

    @app.before_request
    def _readable_json_body():
        if not request.is_json:
            return None
        body = request.get_data(cache=True)  # bounded by MAX_CONTENT_LENGTH
        if not body:
            return None
        try:
            load_json(body)
        except UnreadableJSON as error:
            abort(400, description=str(error))
        except ValueError:  # bad syntax: the view's own parser says so, as before
            return None
        return None
