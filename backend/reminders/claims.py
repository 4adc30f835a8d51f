"""Step 1 of the worker: claim occurrences to send, in one transaction.

First pending occurrences whose retry time (or abandoned lease) has come, then due
subscriptions. A retry whose subscription has a newer occurrence (pending or sent) or is due
again is dropped as `superseded`: after an outage a person gets the newest reminder only
(issue 12). A subscription the push service asked to wait (429, `not_before`) gets its due
occurrence recorded pending until then, or skipped when that is past the TTL; other
subscriptions are never held back by it.

For each due subscription, in the same transaction: the occurrence row is inserted under
UNIQUE(subscription_id, occurrence_at), `next_due_at` moves to the next occurrence after
now, and a lease is set. A reminder later than the TTL is recorded as skipped, never sent
(at most one skipped row however long the worker was down).

On PostgreSQL the rows are locked with FOR UPDATE SKIP LOCKED, so concurrent workers each
get different rows. SQLite has no row locks (see dispatch.py: one worker there).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, insert, or_, select, update

from backend.extensions import db
from backend.reminders.models import ReminderOccurrence, ReminderSubscription
from backend.reminders.schedule import Schedule, catch_up

OCC = ReminderOccurrence.__table__
SUB = ReminderSubscription.__table__


@dataclass(frozen=True)
class Claim:
    """One occurrence this worker holds the lease on, with what it needs to send it."""

    occurrence_id: uuid.UUID
    subscription_id: uuid.UUID
    occurrence_at: datetime
    attempts: int
    lease: datetime
    endpoint: str
    p256dh: str
    auth: str
    message: str
    lang: str


def due_subscriptions(now: datetime, limit: int):
    """The claim: due, not leased, oldest first, skipping rows another worker has locked.
    Served by ix_reminder_subscriptions_due (next_due_at, lease_until)."""
    return (
        select(SUB)
        .where(SUB.c.next_due_at <= now, or_(SUB.c.lease_until.is_(None), SUB.c.lease_until < now))
        .order_by(SUB.c.next_due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )


def claim_occurrences(
    now: datetime, lease: datetime, limit: int, ttl: timedelta, counts: Counter
) -> list[Claim]:
    """Lease up to `limit` occurrences until `lease`: retries first, then due subscriptions.
    The caller commits."""
    claims = _claim_retries(now, lease, limit, ttl, counts)
    if len(claims) < limit:
        claims += _claim_due(now, lease, limit - len(claims), ttl, counts)
    return claims


def _claim_retries(now, lease, limit, ttl, counts) -> list[Claim]:
    rows = db.session.execute(
        select(
            OCC.c.id,
            OCC.c.subscription_id,
            OCC.c.occurrence_at,
            OCC.c.attempts,
            SUB.c.endpoint,
            SUB.c.p256dh,
            SUB.c.auth,
            SUB.c.message,
            SUB.c.lang,
            SUB.c.next_due_at,
        )
        .join(SUB, SUB.c.id == OCC.c.subscription_id)
        .where(OCC.c.status == "pending", OCC.c.next_attempt_at <= now)
        .order_by(OCC.c.next_attempt_at)
        .limit(limit)
        .with_for_update(of=OCC, skip_locked=True)
    ).all()
    newest = _newest_occurrences({row.subscription_id for row in rows})
    claims, changes = [], []
    for row in rows:
        if row.occurrence_at + ttl <= now:  # too late to be of use: never sent late
            changes.append({"id": row.id, "status": "skipped_expired", "next_attempt_at": None})
            counts["skipped"] += 1
            continue
        due_again = row.next_due_at is not None and row.next_due_at <= now
        if due_again or newest.get(row.subscription_id, row.occurrence_at) > row.occurrence_at:
            changes.append({"id": row.id, "status": "superseded", "next_attempt_at": None})
            counts["superseded"] += 1
            continue
        changes.append({"id": row.id, "status": "pending", "next_attempt_at": lease})
        claims.append(
            Claim(
                row.id, row.subscription_id, row.occurrence_at, row.attempts, lease,
                row.endpoint, row.p256dh, row.auth, row.message, row.lang,
            )
        )  # fmt: skip
    if changes:
        db.session.execute(update(ReminderOccurrence), changes)
    return claims


def _newest_occurrences(subscription_ids: set) -> dict:
    """The newest occurrence still pending or sent of each subscription."""
    if not subscription_ids:
        return {}
    rows = db.session.execute(
        select(OCC.c.subscription_id, func.max(OCC.c.occurrence_at))
        .where(OCC.c.subscription_id.in_(subscription_ids), OCC.c.status.in_(("pending", "sent")))
        .group_by(OCC.c.subscription_id)
    ).all()
    return dict(rows)


def _claim_due(now, lease, limit, ttl, counts) -> list[Claim]:
    rows = db.session.execute(due_subscriptions(now, limit)).all()
    claims, occurrences, changes = [], [], []
    for row in rows:
        schedule = Schedule.of(row.days, row.times, row.timezone, row.paused_until)
        send, missed, following = catch_up(schedule, row.next_due_at, now, ttl)
        if missed is not None:
            occurrences.append(_occurrence(row.id, missed, "skipped_expired", None))
            counts["skipped"] += 1
        if send is not None and row.not_before is not None and row.not_before > now:
            # The push service asked this subscription (only) to wait: try it then, if the
            # reminder is still of use by then.
            if row.not_before < send + ttl:
                occurrences.append(_occurrence(row.id, send, "pending", row.not_before))
                counts["waiting"] += 1
            else:
                occurrences.append(_occurrence(row.id, send, "skipped_expired", None))
                counts["skipped"] += 1
            send = None
        if send is not None:
            occurrence = _occurrence(row.id, send, "pending", lease)
            occurrences.append(occurrence)
            claims.append(
                Claim(
                    occurrence["id"], row.id, send, 0, lease,
                    row.endpoint, row.p256dh, row.auth, row.message, row.lang,
                )
            )  # fmt: skip
        changes.append(
            {"id": row.id, "next_due_at": following, "lease_until": lease if send else None}
        )
    if occurrences:
        db.session.execute(insert(ReminderOccurrence), occurrences)
    if changes:
        db.session.execute(update(ReminderSubscription), changes)
    return claims


def _occurrence(subscription_id, at: datetime, status: str, next_attempt_at) -> dict:
    return {
        "id": uuid.uuid4(),
        "subscription_id": subscription_id,
        "occurrence_at": at,
        "status": status,
        "attempts": 0,
        "next_attempt_at": next_attempt_at,
    }
