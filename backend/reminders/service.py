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

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

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


def subscribe(data: dict, now: datetime | None = None) -> tuple[dict, str, bool]:
    """Create a subscription, or update the one with the same endpoint; issue a new token.

    Returns (what the device may see of it, plaintext token, created?): described before
    the commit, from the values just written, so that answering costs no second read.
    `data` is loaded by ReminderCreateSchema.
    """
    now = now or utcnow()
    endpoint = data["subscription"]["endpoint"]
    endpoint_hash = sha256_hex(endpoint)
    for _ in range(2):  # a second try when a concurrent request inserted the same endpoint
        subscription = db.session.scalar(
            select(ReminderSubscription).where(ReminderSubscription.endpoint_hash == endpoint_hash)
        )
        created = subscription is None
        if created:
            subscription = ReminderSubscription(
                id=uuid.uuid4(), endpoint=endpoint, endpoint_hash=endpoint_hash, created_at=now
            )
            db.session.add(subscription)
        token = secrets.token_urlsafe(32)
        keys = data["subscription"]["keys"]
        subscription.p256dh = keys["p256dh"].rstrip("=")
        subscription.auth = keys["auth"].rstrip("=")
        subscription.message = data["message"]
        subscription.lang = data["lang"]
        subscription.token_hash = sha256_hex(token)
        subscription.lease_until = None
        subscription.last_error_code = None  # a new subscription: the old one's refusals go
        _apply_schedule(subscription, data["schedule"], now)
        try:
            db.session.flush()
            described = describe(subscription)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            continue
        return described, token, created
    raise RuntimeError("could not store the subscription")  # two races in a row: give up


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
