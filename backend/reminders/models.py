"""Reminder subscriptions and the occurrences the worker sends for them.

The only public-user data on the server: a browser's push address and keys (secrets: never
logged, never returned by the API) and the chosen schedule. `next_due_at` is the claim index
the worker scans; each occurrence is recorded once under UNIQUE(subscription, occurrence_at).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from backend.database import UTCDateTime, utcnow
from backend.extensions import db

MESSAGES = ("checkin", "moment", "hello")
LANGUAGES = ("en", "es")
# superseded: a newer occurrence of the same subscription was due or sent while this one waited
# for a retry, so this one is dropped (after an outage a person gets the newest one only).
OCCURRENCE_STATUSES = ("pending", "sent", "skipped_expired", "failed", "superseded")


class ReminderSubscription(db.Model):
    """One browser's push subscription with its schedule."""

    __tablename__ = "reminder_subscriptions"
    __table_args__ = (
        # The worker's claim: WHERE next_due_at <= now AND (lease_until IS NULL OR lease_until
        # < now) ORDER BY next_due_at LIMIT n FOR UPDATE SKIP LOCKED. Subscriptions with no
        # next occurrence are left out of the index.
        sa.Index(
            "ix_reminder_subscriptions_due",
            "next_due_at",
            "lease_until",
            postgresql_where=sa.text("next_due_at IS NOT NULL"),
            sqlite_where=sa.text("next_due_at IS NOT NULL"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    endpoint: Mapped[str] = mapped_column(sa.Text)
    # sha256 of the endpoint: the unique key behind "the same endpoint twice updates".
    endpoint_hash: Mapped[str] = mapped_column(sa.String(64), unique=True, index=True)
    p256dh: Mapped[str] = mapped_column(sa.String(100))
    auth: Mapped[str] = mapped_column(sa.String(32))
    days: Mapped[list[int]] = mapped_column(sa.JSON)
    times: Mapped[list[str]] = mapped_column(sa.JSON)
    timezone: Mapped[str] = mapped_column(sa.String(64))
    paused_until: Mapped[date | None] = mapped_column(sa.Date)
    message: Mapped[str] = mapped_column(sa.String(16), default="checkin")
    lang: Mapped[str] = mapped_column(sa.String(8), default="en")
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The push service answered 429 with Retry-After about this subscription: nothing is sent
    # to it before then (issue 12: a back-off per subscription, never for the whole service).
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    token_hash: Mapped[str] = mapped_column(sa.String(64))
    sent_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    failure_count: Mapped[int] = mapped_column(sa.Integer, default=0)
    last_error_code: Mapped[int | None] = mapped_column(sa.Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ReminderOccurrence(db.Model):
    """One scheduled instant of one subscription: pending until sent, skipped or failed."""

    __tablename__ = "reminder_occurrences"
    __table_args__ = (
        sa.UniqueConstraint("subscription_id", "occurrence_at"),
        sa.CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in OCCURRENCE_STATUSES) + ")", name="status"
        ),
        # Retries and abandoned claims: pending rows whose next attempt (or lease) is due.
        sa.Index(
            "ix_reminder_occurrences_retry",
            "next_attempt_at",
            postgresql_where=sa.text("status = 'pending'"),
            sqlite_where=sa.text("status = 'pending'"),
        ),
        # The hourly prune: WHERE occurrence_at < a week ago (issue 12: it scanned the table).
        sa.Index("ix_reminder_occurrences_occurrence_at", "occurrence_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
    subscription_id: Mapped[uuid.UUID] = mapped_column(
        sa.Uuid, sa.ForeignKey("reminder_subscriptions.id", ondelete="CASCADE")
    )
    occurrence_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(16), default="pending")
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0)
    # While pending: when the next attempt may start; while a worker sends it, its lease.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
