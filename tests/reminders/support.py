"""Helpers for the reminder tests: quick settings, subscribing through the API, making a
subscription due, reading rows back, and a worker (dispatcher + sender) as a process has."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta

from backend.database import utcnow
from backend.extensions import db
from backend.reminders.dispatch import Dispatcher
from backend.reminders.models import ReminderOccurrence, ReminderSubscription
from backend.reminders.push import PushSender

EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
# Short enough for tests to watch backoff and TTLs happen, long enough to be real.
QUICK = {
    "REMINDERS_RETRY_BASE_SECONDS": 0.2,
    "REMINDERS_CONNECT_TIMEOUT": 0.5,
    "REMINDERS_READ_TIMEOUT": 1.0,
    "REMINDERS_LEASE_SECONDS": 5,
    "REMINDERS_SEND_THREADS": 4,
    "REMINDERS_CREATE_RATE_LIMIT": "1000 per hour",  # the limit itself: test_reminder_api.py
}


def body_for(subscriber, **changes) -> dict:
    """A valid POST /api/v1/reminders body for `subscriber`, with `changes` laid over it."""
    body = {
        "subscription": subscriber.subscription,
        "schedule": {"days": [0, 2, 4], "times": ["08:00", "20:30"], "timezone": "Europe/Madrid"},
        "message": "moment",
        "lang": "es",
    }
    body.update(changes)
    return body


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def new_reminder(client, subscriber, **changes) -> dict:
    """Subscribe through the API; return the 201 body (id, token, …)."""
    body = {
        "subscription": subscriber.subscription,
        "schedule": {"days": EVERY_DAY, "times": ["08:00"], "timezone": "Europe/Madrid"},
        "message": "checkin",
        "lang": "en",
    }
    body.update(changes)
    response = client.post("/api/v1/reminders", json=body)
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


def make_due(app, reminder_id: str, at: datetime | None = None) -> datetime:
    """Move a subscription's next occurrence to `at` (a minute ago by default)."""
    at = at or utcnow() - timedelta(minutes=1)
    with app.app_context():
        subscription = db.session.get(ReminderSubscription, uuid.UUID(reminder_id))
        subscription.next_due_at = at
        db.session.commit()
    return at


def subscription_row(app, reminder_id: str) -> ReminderSubscription | None:
    with app.app_context():
        row = db.session.get(ReminderSubscription, uuid.UUID(reminder_id))
        if row is not None:
            db.session.expunge(row)
        return row


def occurrences(app, reminder_id: str | None = None) -> list[ReminderOccurrence]:
    with app.app_context():
        query = db.select(ReminderOccurrence).order_by(ReminderOccurrence.occurrence_at)
        if reminder_id is not None:
            query = query.where(ReminderOccurrence.subscription_id == uuid.UUID(reminder_id))
        rows = list(db.session.scalars(query))
        db.session.expunge_all()
        return rows


@contextmanager
def worker(app, **overrides):
    """A dispatcher with its sender, inside an app context, as one worker process has."""
    with app.app_context(), PushSender.from_app(app) as sender:
        yield Dispatcher.from_app(app, sender, **overrides)
        db.session.remove()
