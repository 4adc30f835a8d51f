"""One error policy for the whole app.

Under /api every error is JSON shaped `{code, status, message, errors}`; everywhere else
it is a page in the person's language. flask-smorest registers a JSON handler for every
HTTP error on `api.init_app`; the handlers here are registered after it and replace it,
so HTML 404s stay HTML. Unexpected errors are logged (type and path only) and answered
calmly; bad input never reaches that branch because every view validates first.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """API paths answer JSON; pages answer HTML."""
    return request.path.startswith("/api/") and not request.path.startswith("/api/docs")


def _message(error: HTTPException) -> str:
    data = getattr(error, "data", None) or {}
    return data.get("message") or error.description or error.name


def _field_errors(error: HTTPException) -> dict:
    data = getattr(error, "data", None) or {}
    errors = data.get("messages") or data.get("errors") or {}
    # webargs nests messages by location ({"json": {...}}); one location is flattened.
    if isinstance(errors, dict) and len(errors) == 1:
        ((location, inner),) = errors.items()
        if location in ("json", "query", "form", "headers", "files", "view_args") and isinstance(
            inner, dict
        ):
            return inner
    return errors if isinstance(errors, dict) else {"_schema": errors}


def _string_keys(value):
    """marshmallow keys list items by int index; JSON objects (sorted) need str keys."""
    if isinstance(value, dict):
        return {str(key): _string_keys(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_string_keys(item) for item in value]
    return value


def api_error(error: HTTPException):
    """The JSON body and status for an API error."""
    body = {
        "code": error.code,
        "status": error.name,
        "message": _message(error),
        "errors": _string_keys(_field_errors(error)),
    }
    response = jsonify(body)
    response.status_code = error.code or 500
    data = getattr(error, "data", None) or {}
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def page_error(error: HTTPException):
    """A calm page for a browser, in the person's language."""
    titles = {
        400: _("Something in that request was not right"),
        403: _("You cannot open this page"),
        404: _("Page not found"),
        405: _("That is not something this page can do"),
        413: _("That was too much to send"),
        429: _("Too many tries for now"),
        503: _("Steady is resting for a moment"),
    }
    code = error.code or 500
    title = titles.get(code, _("Sorry, something went wrong on our side"))
    try:
        response = render_template("errors/error.html", title=title, code=code)
    except Exception:  # the error page itself failed (e.g. no database): plain words
        log.exception("error page failed for %s", request.path)
        response = f"<!doctype html><title>{code}</title><h1>{escape(title)}</h1>"
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    return response, code, headers


def handle_http_exception(error: HTTPException):
    """Route every HTTP error to JSON or a page."""
    return api_error(error) if wants_json() else page_error(error)


def handle_unexpected(error: Exception):
    """Log the error's type and path (never a body or query) and answer 500."""
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    if isinstance(error, OperationalError):
        # The database went away: a calm 503 that tells clients to try again soon.
        log.warning("database unavailable on %s %s", request.method, request.path)
        unavailable = ServiceUnavailable()
        unavailable.retry_after = 30
        return handle_http_exception(unavailable)
    log.exception("unhandled %s on %s %s", type(error).__name__, request.method, request.path)
    return handle_http_exception(InternalServerError())


def init_app(app: Flask) -> None:
    """Register the handlers, replacing flask-smorest's JSON-for-everything handler, and
    refuse unreadable JSON bodies with a 400 before any view parses them (json_input.py)."""
    from backend import json_input

    json_input.init_app(app)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
