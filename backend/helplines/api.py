"""`/api/v1/helplines`: the directory for other services to read and operators' scripts to edit.

Reads are public and cacheable: strong ETags and `Cache-Control: public, max-age=300`. The
list's ETag comes from the directory's fingerprint (one aggregate query — count, newest
change, sum of versions: search.list_fingerprint — remembered for a second per process),
the normalised filters and the language, so a repeat request with `If-None-Match` is
answered 304 without building the list, usually without any query; a page already built
under the same ETag is served from memory (list_cache.py); and a request seen before (same
raw query, language and directory) is answered before its filters are parsed again. A single
line's ETag is its version, `"3"`, which is what a write sends back in `If-Match`.

Writes need `Authorization: Bearer <operator API token>`: 401 without a valid token (with
`WWW-Authenticate: Bearer`), 403 for an operator who may not write. PATCH and DELETE need
`If-Match: "<version>"`: 428 without it, 412 when the line has changed since. Writes are
rate-limited per address (`HELPLINES_WRITE_RATE_LIMIT`, all write routes together): 429
with Retry-After beyond it.
"""

from __future__ import annotations

import hashlib
import json
from functools import wraps

from flask import Response, current_app, g, jsonify, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.http import quote_etag

from backend.database import utcnow
from backend.extensions import limiter
from backend.helplines import list_cache, service
from backend.helplines.schemas import HelplineQuerySchema, HelplineSchema, PublicHelplineSchema

blp = Blueprint(
    "helplines_api",
    __name__,
    url_prefix="/api/v1/helplines",
    description="Helplines by country, topic, contact method, language and opening hours.",
)

CACHE_CONTROL = "public, max-age=300"
OPEN_NOW_CACHE_CONTROL = "public, max-age=60"  # "open now" changes with the clock
ETAG_VERSION = "helplines-1"  # change when the representation changes
PAGINATION_HEADER = {
    "X-Pagination": {
        "description": 'JSON: {"total", "total_pages", "page", "per_page", "previous_page", '
        '"next_page"}',
        "schema": {"type": "string"},
    },
    "ETag": {"description": "Strong validator for If-None-Match.", "schema": {"type": "string"}},
}
READ_ONLY = (
    "id",
    "verified_on",
    "verified_by",
    "archived_at",
    "version",
    "created_at",
    "modified_at",
)
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": 'The version you read, as its ETag: `"3"`.',
    "schema": {"type": "string"},
}
public_schema = PublicHelplineSchema()
public_list_schema = PublicHelplineSchema(many=True)


class ExportQuerySchema(Schema):
    """Which export to download."""

    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv", "hsds")))


def _etag(*parts) -> str:
    raw = json.dumps([ETAG_VERSION, *parts], default=str, sort_keys=True)
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def _not_modified(etag: str, cache_control: str) -> Response | None:
    """A bodiless 304 when the client already holds this representation."""
    if not request.if_none_match.contains_weak(etag) and not request.if_none_match.star_tag:
        return None
    response = Response(status=304)
    response.set_etag(etag)
    response.headers["Cache-Control"] = cache_control
    return response


def _pagination(page) -> str:
    meta = {
        "total": page.total,
        "total_pages": page.pages,
        "page": page.page,
        "per_page": page.per_page,
    }
    if page.page > 1:
        meta["previous_page"] = page.page - 1
    if page.page < page.pages:
        meta["next_page"] = page.page + 1
    return json.dumps(meta)


def operator_required(view):
    """Let a request through only with a valid token of an active operator (as g.actor)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        from backend.accounts.auth import operator_from_bearer
        from backend.accounts.service import actor_for

        operator = operator_from_bearer(request.headers.get("Authorization"))
        if operator is None:
            abort(
                401,
                message="Send a valid operator API token: Authorization: Bearer <token>.",
                headers={"WWW-Authenticate": 'Bearer realm="steady"'},
            )
        if not operator.active or operator.role not in ("editor", "admin"):
            abort(403, message="This operator may not change helplines.")
        g.actor = actor_for(operator)
        return view(*args, **kwargs)

    return wrapped


def _line_or_404(helpline_id):
    try:
        return service.get_helpline(helpline_id)
    except service.HelplineNotFound:
        abort(404, message="No helpline has this id.")


def _expected_version(line) -> int:
    """The version named by If-Match: 428 without one, 412 when it is not the current one."""
    if "If-Match" not in request.headers:
        abort(428, message='Send If-Match: "<version>" with the version you read (its ETag).')
    tags = [tag for tag in request.if_match.as_set() if tag]
    # Anything but exactly one strong, numeric version can never match: 412, never a 500.
    if len(tags) != 1 or not tags[0].isdigit() or len(tags[0]) > 9:
        _stale(line.version)
    return int(tags[0])


def _stale(current: int):
    abort(
        412,
        message=f"This helpline changed since you read it (it is now version {current}). "
        "Read it again and re-apply your change.",
        headers={"ETag": quote_etag(str(current))},
    )


def _write_limit() -> str:
    return current_app.config["HELPLINES_WRITE_RATE_LIMIT"]


# On the write methods only, so that reads (the API's busiest path) never pay for a check.
write_limit = limiter.shared_limit(_write_limit, scope="helplines-write")


def _written(line, status: int):
    headers = {
        "ETag": quote_etag(str(line.version)),
        "Location": url_for("helplines_api.HelplineById", helpline_id=line.id),
    }
    return line, status, headers


def _request_key() -> tuple:
    """What decides a list request's answer, before parsing: the directory's fingerprint,
    the raw query, the language and country chosen, and the minute for `open_now`."""
    query = tuple(sorted(request.args.items(multi=True)))
    minute = utcnow().strftime("%Y%m%d%H%M") if "open_now" in request.args else None
    fingerprint = list_cache.fingerprint(service.list_fingerprint)
    return fingerprint, query, g.get("lang"), g.get("country"), minute  # minute stays last


def _answered_from_memory(view):
    """Answer a request seen before — same raw query, language and directory — before its
    filters are parsed and checked again (they were, the first time): a 304 when the client
    holds the list, else the page kept in memory. Anything else goes on to the view."""

    @wraps(view)
    def answered(*args, **kwargs):
        cache = list_cache.for_app()
        g.helplines_request_key = request_key = _request_key()
        known = cache.etag_for(request_key)
        if known is not None:
            etag, cache_control = known
            not_modified = _not_modified(etag, cache_control)
            if not_modified is not None:
                return not_modified
            page = cache.get(etag)
            if page is not None:
                return _page_response(page, etag, cache_control)
        return view(*args, **kwargs)

    return answered


def _page_response(page: tuple[bytes, dict], etag: str, cache_control: str) -> Response:
    response = Response(page[0], mimetype="application/json", headers=page[1])
    response.set_etag(etag)
    response.headers["Cache-Control"] = cache_control
    return response


@blp.route("")
class Helplines(MethodView):
    @_answered_from_memory
    @blp.arguments(HelplineQuerySchema(), location="query")
    @blp.response(200, PublicHelplineSchema(many=True), headers=PAGINATION_HEADER)
    @blp.alt_response(304, description="Not modified: the list you hold is current.")
    def get(self, args):
        """List helplines

        Filters: `country`, `region` (ISO 3166-2; lines without regions serve the whole
        country), `topic`, `contact` (call, text, chat, web, email), `language` (lines whose
        contact languages are unknown are kept, after the others), `open_now`, `q`,
        `modified_after` (for syncing: then archived and inactive lines are included, so a
        copy can drop them). Paginated by `page` and `per_page` (at most 100).
        """
        cache_control = OPEN_NOW_CACHE_CONTROL if args.get("open_now") else CACHE_CONTROL
        request_key = g.helplines_request_key  # set by @_answered_from_memory
        fingerprint = request_key[0]
        minute = request_key[-1] if args.get("open_now") else None
        etag = _etag(fingerprint, sorted(args.items()), g.get("lang"), minute)
        cache = list_cache.for_app()
        cache.remember_etag(request_key, etag, cache_control)
        not_modified = _not_modified(etag, cache_control)
        if not_modified is not None:
            return not_modified
        cached = cache.get(etag)
        if cached is None:
            syncing = args.get("modified_after") is not None
            lang = g.get("lang", "en")
            page = service.search_helplines(**args, include_inactive=syncing, lang=lang)
            body = current_app.json.response(public_list_schema.dump(page.items)).get_data()
            cached = (body, {"X-Pagination": _pagination(page)})
            cache.put(etag, *cached)
        return _page_response(cached, etag, cache_control)

    @write_limit
    @operator_required
    @blp.arguments(HelplineSchema())
    @blp.response(201, HelplineSchema)
    @blp.alt_response(401, description="No valid operator API token (Bearer).")
    @blp.alt_response(403, description="The operator may not change helplines.")
    @blp.alt_response(409, description="A helpline with that id exists.")
    def post(self, data):
        """Add a helpline (operator token)"""
        try:
            line = service.create_helpline(data, g.actor)
        except service.HelplineExists:
            abort(409, message="A helpline with this id already exists.")
        return _written(line, 201)


@blp.route("/<uuid:helpline_id>")
class HelplineById(MethodView):
    @blp.response(200, PublicHelplineSchema)
    @blp.alt_response(304, description="Not modified.")
    @blp.alt_response(404, description="No helpline has this id.")
    def get(self, helpline_id):
        """One helpline (archived ones too, with `archived_at`)

        The ETag is the line's version; send it back in `If-Match` to change the line.
        """
        line = _line_or_404(helpline_id)
        etag = str(line.version)
        not_modified = _not_modified(etag, CACHE_CONTROL)
        if not_modified is not None:
            return not_modified
        return line, 200, {"ETag": quote_etag(etag), "Cache-Control": CACHE_CONTROL}

    @write_limit
    @operator_required
    @blp.doc(
        requestBody={"content": {"application/json": {"schema": "Helpline"}}},
        parameters=[IF_MATCH],
    )
    @blp.response(200, HelplineSchema)
    @blp.alt_response(412, description="The line changed since you read it.")
    @blp.alt_response(428, description='If-Match: "<version>" is required.')
    def patch(self, helpline_id):
        """Change some fields of a helpline (operator token, If-Match)

        Send only the fields to change; `contacts`, when sent, replaces the list. The whole
        line is validated as it would be after the change.
        """
        line = _line_or_404(helpline_id)
        expected = _expected_version(line)
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not body:
            abort(422, message="Send a JSON object with the fields to change.")
        current = {k: v for k, v in public_schema.dump(line).items() if k not in READ_ONLY}
        if "source" in body:
            for name in ("source_url", "source_status", "checked_on"):
                current.pop(name, None)
        if "id" in body and str(body["id"]) != str(line.id):
            abort(422, message="The id cannot change.", errors={"id": ["The id cannot change."]})
        try:
            data = HelplineSchema().load(
                {**current, **{k: v for k, v in body.items() if k != "id"}}
            )
        except ValidationError as error:
            abort(422, message="Some fields are not valid.", errors=error.messages)
        sent = set(body) | (
            {"source_url", "source_status", "checked_on"} if "source" in body else set()
        )
        changes = {name: value for name, value in data.items() if name in sent}
        try:
            line = service.update_helpline(line.id, changes, expected, g.actor)
        except service.StaleVersion as stale:
            _stale(stale.current_version)
        return _written(line, 200)

    @write_limit
    @operator_required
    @blp.doc(parameters=[IF_MATCH])
    @blp.response(204)
    @blp.alt_response(412, description="The line changed since you read it.")
    @blp.alt_response(428, description='If-Match: "<version>" is required.')
    def delete(self, helpline_id):
        """Archive a helpline (operator token, If-Match)

        The line leaves the public list but is kept, with its history; operators can
        restore it from the console.
        """
        line = _line_or_404(helpline_id)
        expected = _expected_version(line)
        try:
            service.archive_helpline(line.id, expected, g.actor)
        except service.StaleVersion as stale:
            _stale(stale.current_version)
        return None


@blp.route("/export")
class HelplinesExport(MethodView):
    @blp.arguments(ExportQuerySchema(), location="query")
    @blp.response(200, description="The public list as JSON, CSV or HSDS 3.0 JSON.")
    def get(self, args):
        """Download the public list (JSON, CSV or HSDS-compatible JSON)"""
        fmt = args["format"]
        etag = _etag(list_cache.fingerprint(service.list_fingerprint), "export", fmt)
        not_modified = _not_modified(etag, CACHE_CONTROL)
        if not_modified is not None:
            return not_modified
        if fmt == "csv":
            response = Response(service.export_csv(public=True), mimetype="text/csv")
            response.headers["Content-Disposition"] = 'attachment; filename="helplines.csv"'
        elif fmt == "hsds":
            response = jsonify(service.export_hsds(public=True))
        else:
            response = jsonify(service.export_json(public=True))
        response.set_etag(etag)
        response.headers["Cache-Control"] = CACHE_CONTROL
        return response
