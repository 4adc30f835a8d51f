"""`/api/v1/helplines`: the directory for other services to read and operators' scripts to edit.

Each method reads parse → service → answer. Reads are public and cacheable: strong ETags and
`Cache-Control: public, max-age=300` (conditional.py). A repeat list request is answered from
what the process keeps in memory (list_cache.py): a 304, or the page built before, usually
without any query. A single line's ETag is its version, `"3"`, which a write sends back in
`If-Match`.

Writes need `Authorization: Bearer <operator API token>` (accounts.auth.token_required):
401 without a valid token, 403 for an operator who may not write. PATCH and DELETE need
`If-Match: "<version>"`: 428 without it, 412 when the line has changed since. Writes are
rate-limited per address (`HELPLINES_WRITE_RATE_LIMIT`, all write routes together): 429
with Retry-After beyond it. A PATCH to a priority line's contacts is not applied: it is
kept for a second operator, and answered 202 with the proposal (api_proposals.py).
"""

from __future__ import annotations

import json

from flask import Response, current_app, g, jsonify, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, ValidationError, fields, validate
from werkzeug.http import quote_etag

from backend.accounts.auth import token_required
from backend.extensions import limiter
from backend.helplines import conditional, list_cache, service
from backend.helplines.api_proposals import ProposalSchema, proposal_answer
from backend.helplines.models import HelplineProposal
from backend.helplines.schemas import HelplineQuerySchema, HelplineSchema, PublicHelplineSchema

blp = Blueprint(
    "helplines_api",
    __name__,
    url_prefix="/api/v1/helplines",
    description="Helplines by country, topic, contact method, language and opening hours.",
)

CACHE_CONTROL = "public, max-age=300"
OPEN_NOW_CACHE_CONTROL = "public, max-age=60"  # "open now" changes with the clock
PAGINATION_HEADER = {
    "X-Pagination": {
        "description": 'JSON: {"total", "total_pages", "page", "per_page", "previous_page", '
        '"next_page"}',
        "schema": {"type": "string"},
    },
    "ETag": {"description": "Strong validator for If-None-Match.", "schema": {"type": "string"}},
}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "description": 'The version you read, as its ETag: `"3"`.',
    "schema": {"type": "string"},
}
public_list_schema = PublicHelplineSchema(many=True)
operator_required = token_required("editor", "admin")
# On the write methods only, so that reads (the API's busiest path) never pay for a check.
write_limit = limiter.shared_limit(
    lambda: current_app.config["HELPLINES_WRITE_RATE_LIMIT"], scope="helplines-write"
)


class ExportQuerySchema(Schema):
    """Which export to download."""

    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv", "hsds")))


def _list_page(args: dict) -> list_cache.Page:
    """Search, and the page's body and pagination header (kept in memory by its ETag)."""
    syncing = args.get("modified_after") is not None
    page = service.search_helplines(**args, include_inactive=syncing, lang=g.get("lang", "en"))
    body = current_app.json.response(public_list_schema.dump(page.items)).get_data()
    return body, {"X-Pagination": _pagination(page)}


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


def _line_or_404(helpline_id):
    try:
        return service.get_helpline(helpline_id)
    except service.HelplineNotFound:
        abort(404, message="No helpline has this id.")


def _patch_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not body:
        abort(422, message="Send a JSON object with the fields to change.")
    return body


def _written(line, status: int):
    headers = {
        "ETag": quote_etag(str(line.version)),
        "Location": url_for("helplines_api.HelplineById", helpline_id=line.id),
    }
    return line, status, headers


@blp.route("")
class Helplines(MethodView):
    @list_cache.answered_from_memory
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
        return list_cache.answer(args, cache_control, lambda: _list_page(args))

    @write_limit
    @operator_required
    @blp.arguments(HelplineSchema())
    @blp.response(201, HelplineSchema)
    @blp.alt_response(401, description="No valid operator API token (Bearer).")
    @blp.alt_response(403, description="The operator may not change helplines.")
    @blp.alt_response(
        202,
        schema=ProposalSchema,
        description="A new priority line: added as an ordinary line, with a proposal to make "
        "it a priority line that waits for a second operator.",
    )
    @blp.alt_response(409, description="A helpline with that id exists.")
    def post(self, data):
        """Add a helpline (operator token)

        A line sent with a `priority` above 0 is added with priority 0 and answered 202 with
        a proposal: it is shown first in crisis help only once another operator approves it.
        """
        try:
            line = service.create_helpline(data, g.actor, via="api")
        except service.HelplineExists:
            abort(409, message="A helpline with this id already exists.")
        if isinstance(line, HelplineProposal):
            return proposal_answer(line, 202)
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
        not_modified = conditional.not_modified(etag, CACHE_CONTROL)
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
    @blp.alt_response(
        202,
        schema=ProposalSchema,
        description="A priority line's contacts: kept as a proposal for a second operator.",
    )
    @blp.alt_response(412, description="The line changed since you read it.")
    @blp.alt_response(428, description='If-Match: "<version>" is required.')
    def patch(self, helpline_id):
        """Change some fields of a helpline (operator token, If-Match)

        Send only the fields to change; `contacts`, when sent, replaces the list. The whole
        line is validated as it would be after the change. A change to the contacts (or
        hours) of a priority line, or one that makes a line a priority line, is answered
        202 with a proposal: the line stays as it was until another operator approves it.
        """
        line = _line_or_404(helpline_id)
        expected = conditional.expected_version(line.version)
        body = _patch_body()
        try:
            line = service.patch_helpline(line.id, body, expected, g.actor)
        except ValidationError as error:
            if "id" in error.messages:
                abort(422, message="The id cannot change.", errors=error.messages)
            abort(422, message="Some fields are not valid.", errors=error.messages)
        except service.StaleVersion as stale:
            conditional.changed_since_read(stale.current_version)
        if isinstance(line, HelplineProposal):
            return proposal_answer(line, 202)
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
        expected = conditional.expected_version(line.version)
        try:
            service.archive_helpline(line.id, expected, g.actor)
        except service.StaleVersion as stale:
            conditional.changed_since_read(stale.current_version)
        return None


@blp.route("/export")
class HelplinesExport(MethodView):
    @blp.arguments(ExportQuerySchema(), location="query")
    @blp.response(200, description="The public list as JSON, CSV or HSDS 3.0 JSON.")
    def get(self, args):
        """Download the public list (JSON, CSV or HSDS-compatible JSON)"""
        fmt = args["format"]
        etag = conditional.etag(list_cache.directory_fingerprint(), "export", fmt)
        not_modified = conditional.not_modified(etag, CACHE_CONTROL)
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
