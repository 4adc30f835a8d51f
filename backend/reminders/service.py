"""Reminder subscriptions: create (or update by endpoint), find by id and token, change, delete.

Each public function is one unit of work and commits once. The manage token is shown once
and stored as its sha256; a lookup compares hashes in constant time and treats an unknown id
and a wrong token alike, so the API cannot be used to learn which ids exist.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from backend.database import utcnow
from backend.extensions import db
from backend.reminders.models import ReminderSubscription
from backend.reminders.schedule import Schedule, next_due_at

# Compared against when the id is unknown, so both failures cost the same.
_NO_SUCH_TOKEN = hashlib.sha256(b"no such reminder").hexdigest()


def sha256_hex(text: str) -> str:
    """The hex sha256 of a secret (endpoint or token): what the database keeps or looks up."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def schedule_of(subscription: ReminderSubscription) -> Schedule:
    """The subscription's schedule as the pure scheduling code wants it."""
    return Schedule.of(
        subscription.days, subscription.times, subscription.timezone, subscription.paused_until
    )


def describe(subscription: ReminderSubscription) -> dict:
    """What the device may see of its subscription (never the endpoint or keys)."""
    return {
        "id": subscription.id,
        "schedule": {
            "days": subscription.days,
            "times": subscription.times,
            "timezone": subscription.timezone,
            "paused_until": subscription.paused_until,
        },
        "message": subscription.message,
        "lang": subscription.lang,
        "next_due_at": subscription.next_due_at,
        "created_at": subscription.created_at,
        "last_sent_at": subscription.last_sent_at,
    }


def _apply_schedule(subscription: ReminderSubscription, schedule: dict, now: datetime) -> None:
    for name in ("days", "times"):
        if name in schedule:
            setattr(subscription, name, sorted(schedule[name]))
    for name in ("timezone", "paused_until"):
        if name in schedule:
            setattr(subscription, name, schedule[name])
    subscription.next_due_at = next_due_at(schedule_of(subscription), now)


# What a sign-up writes, whether the endpoint is new or known again: every field the browser
# sent, a new token, the next due time, and the old subscription's lease and refusal cleared.
SIGN_UP_FIELDS = (
    "p256dh",
    "auth",
    "message",
    "lang",
    "token_hash",
    "lease_until",
    "last_error_code",
    "days",
    "times",
    "timezone",
    "paused_until",
    "next_due_at",
)


@cache
def _sign_up_statement(dialect: str):
    """One statement for a sign-up (issue 15): INSERT … ON CONFLICT (endpoint_hash) DO UPDATE
    … RETURNING, on PostgreSQL and SQLite alike. A known endpoint keeps its id, creation time
    and counters. It is atomic by itself, so two sign-ups with the same endpoint at once
    cannot both insert (the old read-then-insert needed a retry for that), and it needs no
    read before it nor after it. Built once per dialect, with bound parameters."""
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    table = ReminderSubscription.__table__
    statement = insert(table).values(
        {name: bindparam(name) for name in ("id", "endpoint", "endpoint_hash", "created_at")}
        | {name: bindparam(name) for name in SIGN_UP_FIELDS}
        | {"sent_count": 0, "failure_count": 0}
    )
    return statement.on_conflict_do_update(
        index_elements=[table.c.endpoint_hash],
        set_={name: statement.excluded[name] for name in SIGN_UP_FIELDS},
    ).returning(table.c.id, table.c.created_at, table.c.last_sent_at)


def subscribe(data: dict, now: datetime | None = None) -> tuple[dict, str, bool]:
    """Create a subscription, or update the one with the same endpoint; issue a new token.

    Returns (what the device may see of it, plaintext token, created?), built from the values
    just written and what the statement returned: answering costs no second read. One
    statement in one round trip to the database, committed by itself (autocommit: a single
    statement is its own transaction). `data` is loaded by ReminderCreateSchema.

    The token is 256 random bits, so its plain sha256 is as hard to reverse as the token is
    to guess: a slow password hash would add nothing but cost (issue 15).
    """
    now = now or utcnow()
    endpoint = data["subscription"]["endpoint"]
    keys = data["subscription"]["keys"]
    schedule = data["schedule"]
    token = secrets.token_urlsafe(32)
    new_id = uuid.uuid4()
    days, times = sorted(schedule["days"]), sorted(schedule["times"])
    planned = Schedule.of(days, times, schedule["timezone"], schedule.get("paused_until"))
    values = {
        "id": new_id,
        "endpoint": endpoint,
        "endpoint_hash": sha256_hex(endpoint),
        "created_at": now,
        "p256dh": keys["p256dh"].rstrip("="),
        "auth": keys["auth"].rstrip("="),
        "message": data["message"],
        "lang": data["lang"],
        "token_hash": sha256_hex(token),
        "lease_until": None,
        "last_error_code": None,  # a new subscription: the old one's refusals go
        "days": days,
        "times": times,
        "timezone": schedule["timezone"],
        "paused_until": schedule.get("paused_until"),
        "next_due_at": next_due_at(planned, now),
    }
    engine = db.engine
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        row = connection.execute(_sign_up_statement(engine.dialect.name), values).one()
    described = {
        "id": row.id,
        "schedule": {
            "days": days,
            "times": times,
            "timezone": values["timezone"],
            "paused_until": values["paused_until"],
        },
        "message": values["message"],
        "lang": values["lang"],
        "next_due_at": values["next_due_at"],
        "created_at": row.created_at,
        "last_sent_at": row.last_sent_at,
    }
    return described, token, row.id == new_id


def find_subscription(reminder_id: str, authorization: str | None) -> ReminderSubscription | None:
    """The subscription for this id and `Bearer <token>`, or None: same answer, same work,
    whether the id is unknown or the token wrong."""
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    try:
        subscription = db.session.get(ReminderSubscription, uuid.UUID(reminder_id))
    except ValueError:
        subscription = None
    expected = subscription.token_hash if subscription is not None else _NO_SUCH_TOKEN
    matches = hmac.compare_digest(sha256_hex(token), expected)
    return subscription if (matches and token and subscription is not None) else None


def change_subscription(
    subscription: ReminderSubscription, data: dict, now: datetime | None = None
) -> ReminderSubscription:
    """Change the schedule, message or language; the next due time is worked out again."""
    now = now or utcnow()
    for name in ("message", "lang"):
        if name in data:
            setattr(subscription, name, data[name])
    _apply_schedule(subscription, data.get("schedule", {}), now)
    db.session.commit()
    return subscription


def unsubscribe(subscription: ReminderSubscription) -> None:
    """Delete the subscription and, with it (ON DELETE CASCADE), its occurrences."""
    db.session.delete(subscription)
    db.session.commit()


REFUSED_KEY = (401, 403)  # the push service refuses our VAPID key for this subscription


def forget_refused(days: int, now: datetime | None = None, apply: bool = True) -> int:
    """Delete the subscriptions whose push service keeps refusing them (their last answer
    401/403: made with a VAPID key this server no longer uses) and that have had nothing
    delivered for `days` days (or, never delivered, were made that long ago). Their
    occurrences go with them. Returns how many; with ``apply`` false, deletes nothing."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    last_delivered = func.coalesce(
        ReminderSubscription.last_sent_at, ReminderSubscription.created_at
    )
    refused = (
        ReminderSubscription.last_error_code.in_(REFUSED_KEY),
        last_delivered < cutoff,
    )
    count = db.session.scalar(select(func.count()).where(*refused)) or 0
    if apply and count:
        db.session.execute(delete(ReminderSubscription).where(*refused))
        db.session.commit()
    return count
