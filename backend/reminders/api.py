"""The reminders API: the VAPID public key, and subscriptions managed with a secret token.

- `GET /api/v1/push/key` → the application server key for `pushManager.subscribe`.
- `POST /api/v1/reminders` → 201 {id, token, …}; the same endpoint again → 200 and a new
  token (the old one stops working). Rate-limited per address.
- `GET/PATCH/DELETE /api/v1/reminders/<id>` with `Authorization: Bearer <token>`; an unknown
  id and a wrong token both answer the same 404 (no token at all: 401, whatever the id).
  Rate-limited per address too, so tokens cannot be guessed at speed.
"""

from __future__ import annotations

import functools
import time
from typing import ClassVar

from flask import current_app, request
from flask.views import MethodView
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint, abort
from limits import RateLimitItem, parse

from backend.extensions import limiter
from backend.reminders import service
from backend.reminders.schemas import (
    PushKeySchema,
    ReminderCreatedSchema,
    ReminderCreateSchema,
    ReminderSchema,
    ReminderUpdateSchema,
)
from backend.reminders.vapid import PushNotConfigured, application_server_key, vapid_for

blp = Blueprint(
    "reminders",
    __name__,
    url_prefix="/api/v1",
    description=(
        "Check-in reminders over Web Push. The server keeps the browser's push address and "
        "the chosen schedule, nothing else."
    ),
)

NOT_FOUND = "No reminder with that id and token."
BEARER = {"ReminderToken": []}


@blp.after_request
def _never_store(response):
    """A subscription's schedule and its manage token are one person's: no cache keeps them
    ("Also", issue 9)."""
    if request.path.startswith("/api/v1/reminders"):
        response.headers["Cache-Control"] = "no-store"
    return response


def register(api) -> None:
    """Add the blueprint and its token scheme to the app's API (after `api.init_app`)."""
    api.spec.components.security_scheme(
        "ReminderToken",
        {"type": "http", "scheme": "bearer", "description": "The manage token from POST."},
    )
    api.register_blueprint(blp)


@functools.cache
def _parsed(limit: str) -> RateLimitItem:
    return parse(limit)


def creation_limited(view):
    """At most REMINDERS_CREATE_RATE_LIMIT new subscriptions per address, counted before the
    body is read, in the limiter's storage (Redis when there are several processes).

    One round trip to that storage per sign-up (issue 15): the count is taken with `hit` and
    nothing else is read unless the answer is a 429, which then says when to come back
    (Retry-After). flask-limiter's decorator also read the window on every answer for its
    X-RateLimit-* headers: two more round trips, for headers no browser uses."""

    @functools.wraps(view)
    def counted(*args, **kwargs):
        if limiter.enabled:
            limit = _parsed(current_app.config["REMINDERS_CREATE_RATE_LIMIT"])
            prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or ""
            who = (*([prefix] if prefix else []), "reminders-create", get_remote_address())
            if not limiter.limiter.hit(limit, *who):
                reset_at = limiter.limiter.get_window_stats(limit, *who).reset_time
                abort(
                    429,
                    message="Too many new reminder subscriptions from this address.",
                    headers={"Retry-After": str(max(1, round(reset_at - time.time())))},
                )
        return view(*args, **kwargs)

    return counted


@limiter.request_filter
def _counted_by_itself() -> bool:
    """Skip flask-limiter's own pass over a sign-up, which costs about 80 µs of a request of
    about 1.3 ms (issue 15) and finds nothing to apply: creation_limited counts sign-ups.
    Should a default or app-wide limit ever be set (RATELIMIT_DEFAULT, …), the pass runs."""
    if request.method != "POST" or request.endpoint != "reminders.Reminders":
        return False
    limits = limiter.limit_manager
    return not (limits.default_limits or limits.application_limits)


def _manage_limit() -> str:
    return current_app.config["REMINDERS_MANAGE_RATE_LIMIT"]


def owned_subscription(view):
    """Resolve `<reminder_id>` and its Bearer token before anything else (even before the
    body is read) and pass the view `subscription`. No token at all: 401. An unknown id or a
    wrong token: the same 404, so nobody can learn which ids exist."""

    @functools.wraps(view)
    def checked(*args, reminder_id: str, **kwargs):
        authorization = request.headers.get("Authorization")
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            abort(
                401,
                message="Send the reminder's manage token as `Authorization: Bearer <token>`.",
                headers={"WWW-Authenticate": "Bearer"},
            )
        subscription = service.find_subscription(reminder_id, authorization)
        if subscription is None:
            abort(404, message=NOT_FOUND)
        return view(*args, subscription=subscription, **kwargs)

    return checked


@blp.route("/push/key")
class PushKey(MethodView):
    @blp.response(200, PushKeySchema)
    def get(self):
        """The VAPID application server key

        Pass it as `applicationServerKey` to `pushManager.subscribe()`.
        """
        try:
            vapid = vapid_for(current_app)
        except PushNotConfigured:
            abort(503, message="Reminders are not set up on this server.")
        return {"public_key": application_server_key(vapid)}


@blp.route("/reminders")
class Reminders(MethodView):
    @creation_limited
    @blp.arguments(ReminderCreateSchema())
    @blp.response(201, ReminderCreatedSchema)
    @blp.alt_response(200, schema=ReminderCreatedSchema, description="The endpoint was known.")
    @blp.alt_response(429, description="Too many new subscriptions from this address.")
    def post(self, data):
        """Create a reminder subscription

        Posting a subscription whose endpoint is already known updates it and issues a new
        manage token. The token is shown only in this answer.
        """
        described, token, created = service.subscribe(data)
        return {**described, "token": token}, 201 if created else 200


@blp.route("/reminders/<string:reminder_id>")
class ReminderById(MethodView):
    decorators: ClassVar = [limiter.limit(_manage_limit)]

    @owned_subscription
    @blp.doc(security=[BEARER])
    @blp.alt_response(401, description="No `Authorization: Bearer` token.")
    @blp.alt_response(404, description="Unknown id or wrong token (the same answer).")
    @blp.response(200, ReminderSchema)
    def get(self, subscription):
        """The schedule of one subscription"""
        return service.describe(subscription)

    @owned_subscription
    @blp.doc(security=[BEARER])
    @blp.alt_response(401, description="No `Authorization: Bearer` token.")
    @blp.alt_response(404, description="Unknown id or wrong token (the same answer).")
    @blp.arguments(ReminderUpdateSchema())
    @blp.response(200, ReminderSchema)
    def patch(self, data, subscription):
        """Change the schedule, pause, message or language"""
        if not request.get_data(cache=True):
            abort(400, message="Send the changes as a JSON object (it may be {}).")
        return service.describe(service.change_subscription(subscription, data))

    @owned_subscription
    @blp.doc(security=[BEARER])
    @blp.alt_response(401, description="No `Authorization: Bearer` token.")
    @blp.alt_response(404, description="Unknown id or wrong token (the same answer).")
    @blp.response(204)
    def delete(self, subscription):
        """Delete the subscription; no reminder is sent after this"""
        service.unsubscribe(subscription)
