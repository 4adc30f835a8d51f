"""The reminder worker: claim what is due, send it, record what happened.

1. Claim (one transaction, claims.py). Pending occurrences whose retry time or lease has
   come, then due subscriptions: `… WHERE next_due_at <= now AND (lease_until IS NULL OR
   lease_until < now) ORDER BY next_due_at LIMIT n FOR UPDATE SKIP LOCKED`. For each
   subscription the occurrence row is inserted (UNIQUE(subscription, occurrence_at)),
   `next_due_at` advanced and a lease set, all in that transaction. A reminder later than
   the TTL is recorded skipped, never sent.
2. Send, with no transaction open, on the sender's thread pool. A send that could not end
   before its lease runs out is not started (another worker will own it by then).
3. Record (one short transaction per group of finished sends): sent, failed, retry later,
   or the subscription deleted (404/410). The update only lands while the lease is ours.

A worker killed at any moment loses nothing: its pending occurrences are claimed again when
their lease ends. At worst an occurrence whose send was in flight is sent twice, with the same
`Topic`, so the push service replaces the first copy rather than showing two.

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
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from datetime import datetime, timedelta
from random import SystemRandom

from flask import Flask
from sqlalchemy import bindparam, delete, update
from sqlalchemy.exc import IntegrityError

from backend.database import utcnow
from backend.extensions import db
from backend.reminders.claims import OCC, SUB, Claim, claim_occurrences
from backend.reminders.push import (
    GONE,
    NOT_STARTED,
    REJECTED,
    RETRY,
    SENT,
    WAIT,
    PushMessage,
    PushOutcome,
    PushSender,
    endpoint_tag,
)

log = logging.getLogger(__name__)

PAYLOAD_BUDGET = 256  # bytes: an id, a message key and a language; 4 KB is the hard limit
NO_ANSWER = 0  # last_error_code when the push service never answered (timeout, refused)
RECORD_EVERY = 0.1  # seconds a finished send may wait to be recorded with others
KEEP_OCCURRENCES = timedelta(days=7)  # then a finished occurrence is forgotten
_jitter = SystemRandom()


def topic_for(subscription_id: uuid.UUID, occurrence_at: datetime) -> str:
    """RFC 8030 Topic: 32 base64url characters, the same for every send of one occurrence."""
    digest = hashlib.sha256(f"{subscription_id}:{occurrence_at.isoformat()}".encode()).digest()
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
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        if ttl_seconds <= 0:
            raise ValueError("REMINDERS_TTL_SECONDS must be positive")
        if lease_seconds <= sender.longest_send:
            raise ValueError("REMINDERS_LEASE_SECONDS must be longer than a send's timeouts")
        self.sender = sender
        self.ttl = timedelta(seconds=ttl_seconds)
        self.lease = timedelta(seconds=lease_seconds)
        self.max_attempts = max_attempts
        self.retry_base = retry_base_seconds
        self.batch_size = batch_size
        self.clock = clock

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
        }
        return cls(sender, **{**settings, **overrides})

    # --- one pass ----------------------------------------------------------------------------

    def send_due(self, stop: threading.Event | None = None) -> Counter:
        """Send everything due now, then return counts. With `stop` set, claim nothing more
        and return once the sends in flight are recorded.

        The next batch is claimed while the last one is still sending, so the pool never
        idles; results are recorded in groups (a pool's worth, or every RECORD_EVERY
        seconds) because every transaction on this thread waits behind the senders for
        the GIL.
        """
        counts: Counter = Counter()
        in_flight: dict[Future, Claim] = {}
        finished: list[tuple[Claim, PushOutcome]] = []
        oldest = 0.0
        claiming = True
        threads = self.sender.threads
        while True:
            if stop is not None and stop.is_set():
                claiming = False
            if claiming and len(in_flight) <= threads:
                skipped = counts["skipped"]
                claims = self.claim(max(self.batch_size, 2 * threads) - len(in_flight), counts)
                claiming = bool(claims) or counts["skipped"] > skipped  # rows left to look at
                for claim in claims:
                    future = self.sender.submit(self.message_for(claim), claim.lease.timestamp())
                    in_flight[future] = claim
            if in_flight:
                done, _ = wait(in_flight, timeout=RECORD_EVERY, return_when=FIRST_COMPLETED)
                if done and not finished:
                    oldest = time.monotonic()
                finished += [(in_flight.pop(f), f.result()) for f in done]
            if finished and (
                len(finished) >= threads
                or not in_flight
                or time.monotonic() - oldest >= RECORD_EVERY
            ):
                self.record(finished, counts)
                finished = []
            if not in_flight and not finished and not claiming:
                return counts

    def message_for(self, claim: Claim) -> PushMessage:
        """The message for a claim; its TTL ends when the occurrence's does."""
        left = (claim.occurrence_at + self.ttl - self.clock()).total_seconds()
        return PushMessage(
            endpoint=claim.endpoint,
            p256dh=claim.p256dh,
            auth=claim.auth,
            payload=payload_for(claim),
            topic=topic_for(claim.subscription_id, claim.occurrence_at),
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
        """Write what became of a group of sends, in one short transaction."""
        now = self.clock()
        occurrences, sent, failed, gone = [], [], [], []
        for claim, outcome in finished:
            result = outcome.result
            tag = endpoint_tag(claim.endpoint)
            if result == NOT_STARTED:
                counts["not_started"] += 1  # the lease ends and the occurrence is claimed again
            elif result == SENT:
                occurrences.append(_final(claim, "sent", claim.attempts + 1))
                sent.append({"b_id": claim.subscription_id, "b_now": now})
                counts["sent"] += 1
            elif result == GONE:
                gone.append(claim.subscription_id)
                log.info("push subscription %s is gone (HTTP %s): deleted", tag, outcome.status)
                counts["deleted"] += 1
            elif result == REJECTED:
                occurrences.append(_final(claim, "failed", claim.attempts + 1))
                failed.append({"b_id": claim.subscription_id, "b_code": outcome.status})
                log.error(
                    "push service refused a reminder with HTTP %s (endpoint %s); subscription kept",
                    outcome.status,
                    tag,
                )
                counts["rejected"] += 1
            else:
                occurrences.append(self._later(claim, outcome, now, failed, counts))
        if occurrences:
            db.session.execute(
                update(OCC)
                .where(
                    OCC.c.id == bindparam("b_id"),
                    OCC.c.status == "pending",
                    OCC.c.next_attempt_at == bindparam("b_lease"),
                )
                .values(
                    status=bindparam("b_status"),
                    attempts=bindparam("b_attempts"),
                    next_attempt_at=bindparam("b_next"),
                ),
                occurrences,
            )
        if sent:
            db.session.execute(
                update(SUB)
                .where(SUB.c.id == bindparam("b_id"))
                .values(
                    sent_count=SUB.c.sent_count + 1,
                    last_sent_at=bindparam("b_now"),
                    last_error_code=None,  # the last answer was a success
                    lease_until=None,
                ),
                sent,
            )
        if failed:
            db.session.execute(
                update(SUB)
                .where(SUB.c.id == bindparam("b_id"))
                .values(
                    failure_count=SUB.c.failure_count + 1,
                    last_error_code=bindparam("b_code"),
                    lease_until=None,
                ),
                failed,
            )
        if gone:
            db.session.execute(delete(SUB).where(SUB.c.id.in_(gone)))
        db.session.commit()

    def _later(self, claim: Claim, outcome: PushOutcome, now, failed, counts) -> dict:
        """A 5xx/timeout (RETRY) or a 429/origin back-off (WAIT): when to try again, or
        give up when the attempts are spent or the next try would come after the TTL."""
        tried = outcome.result == RETRY or outcome.status is not None
        attempts = claim.attempts + (1 if tried else 0)
        if outcome.result == WAIT:
            delay = (outcome.retry_after or 0.0) + _jitter.uniform(0, 1)
            spent = False
        else:
            ceiling = self.retry_base * 2 ** (attempts - 1)
            delay = ceiling / 2 + _jitter.uniform(0, ceiling / 2)
            spent = attempts >= self.max_attempts
        when = now + timedelta(seconds=delay)
        if not spent and when < claim.occurrence_at + self.ttl:
            counts["retrying" if outcome.result == RETRY else "waiting"] += 1
            return {**_final(claim, "pending", attempts), "b_next": when}
        code = outcome.status if outcome.status is not None else NO_ANSWER
        log.warning(
            "gave up on a reminder after %d attempt(s), last HTTP %s (endpoint %s)",
            attempts,
            code,
            endpoint_tag(claim.endpoint),
        )
        if outcome.result == WAIT:
            counts["skipped"] += 1
            return _final(claim, "skipped_expired", attempts)
        failed.append({"b_id": claim.subscription_id, "b_code": code})
        counts["failed"] += 1
        return _final(claim, "failed", attempts)


def _final(claim: Claim, status: str, attempts: int) -> dict:
    return {
        "b_id": claim.occurrence_id,
        "b_lease": claim.lease,
        "b_status": status,
        "b_attempts": attempts,
        "b_next": None,
    }
