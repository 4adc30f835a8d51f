"""Step 3 of the worker: record what became of one send, as soon as it has finished.

Each result is written the moment its send ends, in one short transaction with any other
sends that finished at the same moment (no batch window: issue 12 measured 7–25 duplicates
per SIGKILL when results waited up to 0.1 s to be written in groups). Every write is
lease-checked: the occurrence is updated only `WHERE status = 'pending' AND next_attempt_at =
<our lease>`, and the subscription (counters, back-off, a 404/410 deletion) is touched only
when that update found the row still ours. A result that comes back after another worker
took the occurrence over changes nothing.

What each answer does:
- sent: occurrence `sent`; the subscription's `sent_count`, `last_sent_at`.
- gone (404/410): the subscription is deleted with its occurrences.
- rejected (other 4xx): occurrence `failed`; `failure_count`, `last_error_code`.
- 429 + Retry-After: that subscription waits (`not_before`); the occurrence is tried then, or
  skipped when that is past its TTL. Other subscriptions are not affected.
- origin paused or busy (WAIT without a status): tried again shortly; not an attempt.
- 5xx, timeouts, a passed deadline: retried with growing jittered backoff, `failed` when the
  attempts are spent or the next try would be past the TTL.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import SystemRandom

from sqlalchemy import case, delete, update

from backend.extensions import db
from backend.reminders.claims import OCC, SUB, Claim
from backend.reminders.push import (
    GONE,
    NOT_STARTED,
    REJECTED,
    SENT,
    WAIT,
    PushOutcome,
    endpoint_tag,
)

log = logging.getLogger(__name__)
NO_ANSWER = 0  # last_error_code when the push service never answered (timeout, refused)
_jitter = SystemRandom()


@dataclass(frozen=True)
class RetryRules:
    """How long an occurrence is of use, and how often a failing one is tried."""

    ttl: timedelta
    max_attempts: int
    retry_base: float


def record_results(
    finished: list[tuple[Claim, PushOutcome]], now: datetime, rules: RetryRules, counts: Counter
) -> None:
    """Write what became of sends that have finished, each only while its lease is ours, in
    one transaction (the sends that finished together: nothing waits to be grouped)."""
    sent_by_lease: dict[datetime, list[Claim]] = {}
    for claim, outcome in finished:
        if outcome.result == SENT:
            sent_by_lease.setdefault(claim.lease, []).append(claim)
        else:
            _record(claim, outcome, now, rules, counts)
    for lease, claims in sent_by_lease.items():
        _record_sent(lease, claims, now, counts)
    db.session.commit()


def _record_sent(lease: datetime, claims: list[Claim], now: datetime, counts: Counter) -> None:
    """The common case in two statements: the occurrences still under this lease become
    `sent`, and only their subscriptions are counted."""
    ours = db.session.execute(
        update(OCC)
        .where(
            OCC.c.id.in_([c.occurrence_id for c in claims]),
            OCC.c.status == "pending",
            OCC.c.next_attempt_at == lease,
        )
        .values(status="sent", attempts=OCC.c.attempts + 1, next_attempt_at=None)
        .returning(OCC.c.subscription_id)
    ).all()
    if len(ours) < len(claims):
        counts["lease_lost"] += len(claims) - len(ours)
        log.warning("results came after this worker's lease had ended: not recorded")
    if ours:
        db.session.execute(
            update(SUB)
            .where(SUB.c.id.in_([row.subscription_id for row in ours]))
            .values(
                sent_count=SUB.c.sent_count + 1,
                last_sent_at=now,
                last_error_code=None,  # the last answer was a success
                not_before=None,
                lease_until=case((SUB.c.lease_until == lease, None), else_=SUB.c.lease_until),
            )
        )
    counts["sent"] += len(ours)


def _record(
    claim: Claim, outcome: PushOutcome, now: datetime, rules: RetryRules, counts: Counter
) -> None:
    if outcome.result == NOT_STARTED:  # let it go at once: any worker may claim it again
        occurrence, subscription, counted = _pending(claim.attempts, now), {}, "not_started"
    else:
        occurrence, subscription, counted = _decide(claim, outcome, now, rules)
    owned = db.session.execute(
        update(OCC)
        .where(
            OCC.c.id == claim.occurrence_id,
            OCC.c.status == "pending",
            OCC.c.next_attempt_at == claim.lease,
        )
        .values(**occurrence)
    ).rowcount
    if owned != 1:  # nothing was changed for it
        counts["lease_lost"] += 1
        log.warning("a result came after this worker's lease had ended: not recorded")
        return
    if outcome.result == GONE:
        db.session.execute(delete(SUB).where(SUB.c.id == claim.subscription_id))
    else:
        ours = case((SUB.c.lease_until == claim.lease, None), else_=SUB.c.lease_until)
        db.session.execute(
            update(SUB)
            .where(SUB.c.id == claim.subscription_id)
            .values(lease_until=ours, **subscription)
        )
    counts[counted] += 1
    if outcome.timed_out:
        counts["timed_out"] += 1  # ended by its deadline (push.py): a failed attempt


def _decide(claim: Claim, outcome: PushOutcome, now, rules: RetryRules):
    """(occurrence changes, subscription changes, what to count) for one result."""
    result, tag = outcome.result, endpoint_tag(claim.endpoint)
    tried = claim.attempts + 1
    if result == GONE:
        log.info("push subscription %s is gone (HTTP %s): deleted", tag, outcome.status)
        return {"status": "failed", "attempts": tried, "next_attempt_at": None}, {}, "deleted"
    if result == REJECTED:
        log.error(
            "push service refused a reminder with HTTP %s (endpoint %s); subscription kept",
            outcome.status,
            tag,
        )
        return _failed(tried), _failure(outcome.status), "rejected"
    if result == WAIT and outcome.status is not None:
        return _throttled(claim, outcome, now, rules, tried)
    if result == WAIT:  # the origin paused or busy: later, and it was not a try
        when = now + timedelta(seconds=(outcome.retry_after or 0.0) + _jitter.uniform(0.1, 0.5))
        return _pending(claim.attempts, when), {}, "postponed"
    return _retry(claim, outcome, now, rules, tried)


def _throttled(claim: Claim, outcome: PushOutcome, now, rules: RetryRules, tried: int):
    """429 about this subscription: it waits Retry-After; this occurrence is tried then, or
    skipped (this one only) when that would be after its TTL."""
    wait = timedelta(seconds=outcome.retry_after or 0.0)
    changes = {"not_before": now + wait, "last_error_code": 429}
    when = now + wait + timedelta(seconds=_jitter.uniform(0, 1))
    if when < claim.occurrence_at + rules.ttl:
        return _pending(tried, when), changes, "waiting"
    log.warning(
        "a reminder was skipped: its push service asked to wait past its TTL (endpoint %s)",
        endpoint_tag(claim.endpoint),
    )
    return (
        {"status": "skipped_expired", "attempts": tried, "next_attempt_at": None},
        changes,
        ("skipped"),
    )


def _retry(claim: Claim, outcome: PushOutcome, now, rules: RetryRules, tried: int):
    """5xx, a timeout, a refused connection or a passed deadline: back off, or give up."""
    ceiling = rules.retry_base * 2 ** (tried - 1)
    when = now + timedelta(seconds=ceiling / 2 + _jitter.uniform(0, ceiling / 2))
    code = outcome.status if outcome.status is not None else NO_ANSWER
    if tried < rules.max_attempts and when < claim.occurrence_at + rules.ttl:
        return _pending(tried, when), {"last_error_code": code}, "retrying"
    log.warning(
        "gave up on a reminder after %d attempt(s), last HTTP %s (endpoint %s)",
        tried,
        code,
        endpoint_tag(claim.endpoint),
    )
    return _failed(tried), _failure(code), "failed"


def _pending(attempts: int, when: datetime) -> dict:
    return {"status": "pending", "attempts": attempts, "next_attempt_at": when}


def _failed(attempts: int) -> dict:
    return {"status": "failed", "attempts": attempts, "next_attempt_at": None}


def _failure(code) -> dict:
    return {"failure_count": SUB.c.failure_count + 1, "last_error_code": code}
