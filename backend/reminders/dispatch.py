"""The reminder worker: claim what is due, send it, record what happened.

1. Claim (one transaction, claims.py). Pending occurrences whose retry time or lease has
   come, then due subscriptions: `… WHERE next_due_at <= now AND (lease_until IS NULL OR
   lease_until < now) ORDER BY next_due_at LIMIT n FOR UPDATE SKIP LOCKED`. For each
   subscription the occurrence row is inserted (UNIQUE(subscription, occurrence_at)),
   `next_due_at` advanced and a lease set, all in that transaction. A reminder later than
   the TTL is recorded skipped, never sent; an older one retried while a newer one is due or
   sent is `superseded`.
2. Send (send_loop.py), with no transaction open, on the sender's bounded pool: the worker
   claims whenever a slot is free, so a slow push service never stops it claiming. Each send
   has a hard deadline shorter than the lease (push.py), so a lease is never outlived.
3. Record (records.py), one short lease-checked transaction per result, as each send ends.

A worker killed at any moment loses nothing: its pending occurrences are claimed again when
their lease ends. At worst an occurrence whose send was in flight is sent twice, with the same
per-subscription `Topic`, so the push service replaces an undelivered first copy, and the
service worker shows an occurrence once even if both arrive (sw-push.js).

PostgreSQL: run as many workers as you like; row locks (SKIP LOCKED) share the work. SQLite has
no row locks: run ONE worker. (A second one would at worst collide on the unique key, roll
back its claim and try again on its next pass: wasted work, never a double send.)
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from backend.database import utcnow
from backend.extensions import db
from backend.reminders import send_loop
from backend.reminders.claims import OCC, Claim, claim_occurrences
from backend.reminders.push import PushMessage, PushOutcome, PushSender
from backend.reminders.records import RetryRules, record_results

log = logging.getLogger(__name__)

PAYLOAD_BUDGET = 256  # bytes: an id, a message key and a language; 4 KB is the hard limit
KEEP_OCCURRENCES = timedelta(days=7)  # then a finished occurrence is forgotten


def topic_for(subscription_id: uuid.UUID) -> str:
    """RFC 8030 Topic: 32 base64url characters, one per subscription, so the push service
    keeps only the newest undelivered reminder of a subscription (a repeat or an older one
    is replaced, never added)."""
    digest = hashlib.sha256(f"steady-reminder:{subscription_id}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:24]).decode("ascii")


def payload_for(claim: Claim) -> bytes:
    """The push payload: the occurrence id, the message key and the language. Nothing else."""
    payload = json.dumps(
        {"o": str(claim.occurrence_id), "m": claim.message, "l": claim.lang},
        separators=(",", ":"),
    ).encode("utf-8")
    if len(payload) > PAYLOAD_BUDGET:
        raise ValueError(f"reminder payload of {len(payload)} bytes is over its budget")
    return payload


class Dispatcher:
    """Claims, sends and records reminder occurrences for one worker process."""

    def __init__(
        self,
        sender: PushSender,
        *,
        ttl_seconds: int,
        lease_seconds: float,
        max_attempts: int,
        retry_base_seconds: float,
        batch_size: int = 50,
        claim_every: float = 1.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        if ttl_seconds <= 0:
            raise ValueError("REMINDERS_TTL_SECONDS must be positive")
        if lease_seconds <= sender.longest_send:
            raise ValueError("REMINDERS_LEASE_SECONDS must be longer than a send's deadline")
        self.sender = sender
        self.ttl = timedelta(seconds=ttl_seconds)
        self.lease = timedelta(seconds=lease_seconds)
        self.rules = RetryRules(self.ttl, max_attempts, retry_base_seconds)
        self.batch_size = batch_size
        self.claim_every = claim_every
        self.clock = clock
        # An origin's pause runs on the worker's clock, as its retries do.
        sender.origins.clock = lambda: self.clock().timestamp()

    @classmethod
    def from_app(cls, app: Flask, sender: PushSender, **overrides) -> Dispatcher:
        """A dispatcher configured from the app's settings."""
        config = app.config
        settings = {
            "ttl_seconds": config["REMINDERS_TTL_SECONDS"],
            "lease_seconds": config["REMINDERS_LEASE_SECONDS"],
            "max_attempts": config["REMINDERS_MAX_ATTEMPTS"],
            "retry_base_seconds": config["REMINDERS_RETRY_BASE_SECONDS"],
            "batch_size": config["REMINDERS_BATCH_SIZE"],
            "claim_every": min(float(config["REMINDERS_POLL_SECONDS"]), 1.0),
        }
        return cls(sender, **{**settings, **overrides})

    # --- one pass ----------------------------------------------------------------------------

    def send_due(self, stop: threading.Event | None = None) -> Counter:
        """Send everything due now, then return counts (send_loop.py). With `stop` set,
        claim nothing more and return once the sends in flight are recorded."""
        return send_loop.send_due(self, stop)

    def message_for(self, claim: Claim) -> PushMessage:
        """The message for a claim; its TTL ends when the occurrence's does."""
        left = (claim.occurrence_at + self.ttl - self.clock()).total_seconds()
        return PushMessage(
            endpoint=claim.endpoint,
            p256dh=claim.p256dh,
            auth=claim.auth,
            payload=payload_for(claim),
            topic=topic_for(claim.subscription_id),
            ttl=max(1, int(left)),
        )

    def prune(self) -> int:
        """Forget finished occurrences older than KEEP_OCCURRENCES: nothing needs them (the
        subscription's next_due_at has long moved on), and the server keeps what it must."""
        result = db.session.execute(
            delete(OCC).where(
                OCC.c.occurrence_at < self.clock() - KEEP_OCCURRENCES, OCC.c.status != "pending"
            )
        )
        db.session.commit()
        return result.rowcount

    # --- 1. claim ------------------------------------------------------------------------------

    def claim(self, limit: int, counts: Counter) -> list[Claim]:
        """Lease up to `limit` occurrences to send (claims.py), in one transaction."""
        now = self.clock()
        try:
            claims = claim_occurrences(now, now + self.lease, limit, self.ttl, counts)
            db.session.commit()
        except IntegrityError:  # only when two workers share SQLite (see the module docstring)
            db.session.rollback()
            log.warning("another worker claimed the same occurrence; run one worker on SQLite")
            return []
        return claims

    # --- 3. record ------------------------------------------------------------------------------

    def record(self, finished: list[tuple[Claim, PushOutcome]], counts: Counter) -> None:
        """Write what became of sends that have finished, lease-checked (records.py)."""
        record_results(finished, self.clock(), self.rules, counts)
