"""Issue 12: the worker against a hostile push service, with the real receiver answering 429
with long Retry-After, dribbling its answer, hanging, and dropping connections.

- A 429 holds back that subscription only; a Retry-After past the TTL skips that occurrence
  only; the origin pauses only when it keeps failing, briefly.
- Every send ends by its deadline (shorter than the lease), counted as failed.
- Claiming goes on while slow sends are in flight; at most N sends per origin at a time.
- After an outage only the newest reminder of a subscription is sent (`superseded`).
- Results are recorded lease-checked; the prune has its index; a stale keep-alive connection
  is tried again once, at once.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import text, update

from backend.database import utcnow
from backend.extensions import db
from backend.reminders.dispatch import KEEP_OCCURRENCES, Dispatcher
from backend.reminders.models import ReminderOccurrence
from backend.reminders.origins import OriginGate
from backend.reminders.push import REJECTED, RETRY, SENT, PushMessage, PushOutcome, PushSender
from backend.reminders.vapid import vapid_for
from testkit.push_receiver import PushReceiver, Reply
from tests.conftest import make_app
from tests.reminders.support import (
    EVERY_DAY,
    QUICK,
    make_due,
    new_reminder,
    occurrences,
    subscription_row,
    worker,
)


def message_to(subscriber, payload: bytes = b'{"o":"x"}') -> PushMessage:
    return PushMessage(subscriber.endpoint, subscriber.p256dh, subscriber.auth, payload, "t", 60)


# --- 1. back-off per subscription; per origin only briefly -------------------------------------


def test_a_retry_after_past_the_ttl_skips_that_occurrence_only(push_app, receiver):
    client = push_app.test_client()
    throttled = receiver.make_subscriber()
    receiver.respond(throttled, Reply(429, retry_after="86400"))
    one = new_reminder(client, throttled)
    make_due(push_app, one["id"])
    with worker(push_app) as dispatcher:
        assert dispatcher.send_due()["skipped"] == 1
        (skipped,) = occurrences(push_app, one["id"])
        assert (skipped.status, skipped.attempts) == ("skipped_expired", 1)
        row = subscription_row(push_app, one["id"])
        assert 86000 < (row.not_before - utcnow()).total_seconds() <= 86400

        # Ten other subscriptions on the same push service, due a moment later: all sent.
        others = [new_reminder(client, receiver.make_subscriber())["id"] for _ in range(10)]
        for reminder_id in others:
            make_due(push_app, reminder_id, utcnow())
        counts = dispatcher.send_due()
        assert (counts["sent"], counts["skipped"]) == (10, 0)

        # The throttled subscription's next reminder is not even tried before its Retry-After.
        make_due(push_app, one["id"])
        assert dispatcher.send_due()["skipped"] == 1
    assert [m.path for m in receiver.messages].count(throttled.path) == 1
    assert [o.status for o in occurrences(push_app, one["id"])] == ["skipped_expired"] * 2
    assert all(o.status == "sent" for r in others for o in occurrences(push_app, r))


def test_an_origin_pauses_only_after_failing_again_and_again_and_never_long():
    now = [0.0]
    gate = OriginGate(2, trip_after=5, first_pause=1.0, longest_pause=30.0, clock=lambda: now[0])
    origin = "https://push.example"

    def fail(times: int) -> None:
        for _ in range(times):
            assert gate.enter(origin, 0)
            gate.leave(origin, False)

    fail(4)
    assert gate.pause_left(origin) == 0  # one or a few failures (a 429) pause nothing
    fail(1)
    assert gate.pause_left(origin) == 1.0
    fail(3)  # sends already on their way when it paused: nothing new, the pause stays short
    assert gate.pause_left(origin) == 1.0
    for pause in (2.0, 4.0, 8.0, 16.0, 30.0, 30.0):  # each failure after a pause doubles it
        now[0] += gate.pause_left(origin)
        fail(1)
        assert gate.pause_left(origin) == pause  # capped at 30
    now[0] += 31
    assert gate.pause_left(origin) == 0
    assert gate.enter(origin, 0)
    gate.leave(origin, True)  # one success ends it all
    fail(4)
    assert gate.pause_left(origin) == 0
    assert gate.pause_left("https://other.example") == 0  # per origin
    with pytest.raises(ValueError):
        OriginGate(2, longest_pause=3600)


def test_many_429s_never_pause_their_push_service(push_app, receiver):
    throttled = [receiver.make_subscriber() for _ in range(20)]
    for subscriber in throttled:
        receiver.respond(subscriber, Reply(429, retry_after="86400"))
    with push_app.app_context(), PushSender.from_app(push_app) as sender:
        assert {sender.send(message_to(s)).status for s in throttled} == {429}
        assert sender.origins.pause_left(receiver.origin) == 0
        assert sender.send(message_to(receiver.make_subscriber())).result == SENT


def test_sends_to_one_origin_are_bounded_and_others_are_not_held_up(push_app, receiver):
    busy = [receiver.make_subscriber() for _ in range(4)]
    for subscriber in busy:
        receiver.respond(subscriber, Reply(201, delay=2.0))
    with PushReceiver() as elsewhere, push_app.app_context():
        sender = PushSender(
            vapid_for(push_app),
            "mailto:a@b.invalid",
            threads=6,
            origin_concurrency=2,
            allow_loopback=True,
        )
        with sender:
            slow = [sender.submit(message_to(s)) for s in busy]
            time.sleep(0.1)
            started = time.monotonic()
            other = sender.submit(message_to(elsewhere.make_subscriber()))
            assert other.result(timeout=10).result == SENT
            other_took = time.monotonic() - started
            results = [f.result(timeout=10).result for f in slow]
    assert other_took < 1.5  # not queued behind the busy origin (its sends take 2 s)
    assert receiver.most_at_once == 2
    assert results.count(SENT) >= 2  # the first two went; the others waited or were postponed
    assert set(results) <= {SENT, "wait"}


# --- 2. a hard deadline on every send -----------------------------------------------------------


@pytest.mark.parametrize(
    "reply", [Reply(201, dribble=0.3), Reply(201, delay=30)], ids=["dribbling", "hung"]
)
def test_every_send_ends_at_its_deadline_and_counts_as_failed(push_app, receiver, reply):
    subscriber = receiver.make_subscriber()
    receiver.respond(subscriber, reply)
    with push_app.app_context():
        sender = PushSender(
            vapid_for(push_app),
            "mailto:a@b.invalid",
            read_timeout=20.0,
            deadline=1.5,
            allow_loopback=True,
        )
        with sender:
            started = time.monotonic()
            outcome = sender.send(message_to(subscriber))
            took = time.monotonic() - started
    assert outcome == PushOutcome(RETRY, timed_out=True)
    assert 1.4 <= took < 4.0  # not the 20 s read timeout, not the 30+ s the service wanted
    assert receiver.delivered() == []


def test_the_deadline_is_shorter_than_the_lease_and_the_two_timeouts(push_app):
    with push_app.app_context():
        sender = PushSender(
            vapid_for(push_app), "mailto:a@b.invalid", connect_timeout=3.05, read_timeout=10.0
        )
        with sender:
            assert sender.deadline == 13.05 and sender.longest_send < 15
            with pytest.raises(ValueError, match="deadline"):
                Dispatcher(
                    sender, ttl_seconds=60, lease_seconds=14, max_attempts=3, retry_base_seconds=1
                )
    assert make_app("sqlite://").config["REMINDERS_SEND_DEADLINE"] < 60  # the default lease


def test_a_send_cut_off_by_its_deadline_is_recorded_as_a_failed_try_within_the_lease(
    database_url, receiver
):
    app = make_app(
        database_url, **{**QUICK, "REMINDERS_READ_TIMEOUT": 20.0, "REMINDERS_SEND_DEADLINE": 1.5}
    )
    subscriber = receiver.make_subscriber()
    receiver.respond(subscriber, Reply(201, dribble=0.3), Reply(201))
    reminder = new_reminder(app.test_client(), subscriber)
    make_due(app, reminder["id"])
    with worker(app) as dispatcher:
        counts = dispatcher.send_due()
    assert (counts["retrying"], counts["timed_out"], counts["lease_lost"]) == (1, 1, 0)
    (occurrence,) = occurrences(app, reminder["id"])
    assert (occurrence.status, occurrence.attempts) == ("pending", 1)
    assert subscription_row(app, reminder["id"]).last_error_code == 0  # no answer


# --- 3. claiming never waits on a slow send -------------------------------------------------------


def test_reminders_falling_due_behind_slow_sends_go_out_on_time(database_url, receiver):
    app = make_app(
        database_url,
        **{
            **QUICK,
            "REMINDERS_READ_TIMEOUT": 10.0,
            "REMINDERS_LEASE_SECONDS": 15,
            "REMINDERS_POLL_SECONDS": 0.5,
        },
    )
    client = app.test_client()
    hung = [receiver.make_subscriber() for _ in range(2)]
    for subscriber in hung:
        receiver.respond(subscriber, Reply(201, delay=8))
        make_due(app, new_reminder(client, subscriber)["id"])
    normal = [new_reminder(client, receiver.make_subscriber())["id"] for _ in range(5)]
    counts: Counter = Counter()

    def run() -> None:
        with worker(app) as dispatcher:
            counts.update(dispatcher.send_due())

    thread = threading.Thread(target=run)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while receiver.most_at_once < 2:  # both slow sends are in flight
            assert time.monotonic() < deadline
            time.sleep(0.02)
        due = time.monotonic()
        for reminder_id in normal:
            make_due(app, reminder_id, utcnow())
        arrived = receiver.wait_for(5, timeout=10)
    finally:
        thread.join(timeout=30)
    assert all(m.received_at - due < 6.0 for m in arrived)  # claim interval 0.5 s + slack
    slow = [m for m in receiver.delivered() if m.path in {s.path for s in hung}]
    assert len(slow) == 2 and min(m.received_at for m in slow) > max(m.received_at for m in arrived)
    assert counts["sent"] == 7


# --- 5. stale reminders collapse ------------------------------------------------------------------


def test_after_an_outage_a_person_gets_only_the_newest_reminder(database_url, receiver):
    app = make_app(
        database_url,
        REMINDERS_CONNECT_TIMEOUT=0.5,
        REMINDERS_READ_TIMEOUT=1.0,
        REMINDERS_CREATE_RATE_LIMIT="1000 per hour",
    )
    subscriber = receiver.make_subscriber()
    receiver.respond(subscriber, Reply(500))
    schedule = {"days": EVERY_DAY, "times": ["08:00", "09:00", "10:00"], "timezone": "UTC"}
    reminder = new_reminder(app.test_client(), subscriber, schedule=schedule)
    day = (utcnow() + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    make_due(app, reminder["id"], day + timedelta(hours=8))
    now = day + timedelta(hours=7, minutes=59)  # the service is down 07:59–10:30
    with worker(app, clock=lambda: now) as dispatcher:
        while now < day + timedelta(hours=11, minutes=30):
            if now >= day + timedelta(hours=10, minutes=30):
                receiver.respond(subscriber, Reply(201))
            dispatcher.send_due()
            now += timedelta(minutes=1)
    rows = {o.occurrence_at.hour: o for o in occurrences(app, reminder["id"])}
    assert {h: rows[h].status for h in (8, 9, 10)} == {
        8: "superseded",
        9: "superseded",
        10: "sent",
    }
    (delivered,) = receiver.delivered()
    assert delivered.payload["o"] == str(rows[10].id)
    assert len({m.topic for m in receiver.messages}) == 1  # one Topic per subscription
    with app.app_context():
        db.engine.dispose()


# --- 6. lease-checked records, the prune's index, stale connections ------------------------------


@pytest.mark.parametrize("outcome", [PushOutcome(SENT, 201), PushOutcome(REJECTED, 400)])
def test_a_result_reported_after_the_lease_was_taken_over_changes_nothing(
    push_app, receiver, outcome
):
    reminder = new_reminder(push_app.test_client(), receiver.make_subscriber())
    make_due(push_app, reminder["id"])
    with worker(push_app) as slow:
        (claim,) = slow.claim(10, Counter())
        with push_app.app_context():  # another worker re-leased it meanwhile
            db.session.execute(
                update(ReminderOccurrence)
                .where(ReminderOccurrence.id == claim.occurrence_id)
                .values(next_attempt_at=claim.lease + timedelta(seconds=30))
            )
            db.session.commit()
        counts: Counter = Counter()
        slow.record([(claim, outcome)], counts)
    assert +counts == Counter(lease_lost=1)  # nothing else counted: not sent, not refused
    row = subscription_row(push_app, reminder["id"])  # still there, nothing counted
    assert (row.sent_count, row.failure_count, row.last_sent_at) == (0, 0, None)
    (occurrence,) = occurrences(push_app, reminder["id"])
    assert (occurrence.status, occurrence.attempts) == ("pending", 0)


def test_the_prune_uses_the_occurrence_at_index(push_app):
    with push_app.app_context(), db.engine.connect() as connection:
        cutoff = (utcnow() - KEEP_OCCURRENCES).isoformat()
        query = (
            "SELECT id FROM reminder_occurrences "
            f"WHERE occurrence_at < '{cutoff}' AND status != 'pending'"
        )
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = connection.exec_driver_sql("EXPLAIN " + query).all()
            connection.execute(text("RESET enable_seqscan"))
        else:
            plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + query).all()
    assert "ix_reminder_occurrences_occurrence_at" in " ".join(str(row) for row in plan)


def test_a_stale_keep_alive_connection_is_tried_again_once_at_once(push_app, receiver):
    first, second, fresh = (receiver.make_subscriber() for _ in range(3))
    receiver.respond(second, Reply(drop=True), Reply(201))
    receiver.respond(fresh, Reply(drop=True), Reply(201))
    with push_app.app_context():
        with PushSender.from_app(push_app) as sender:
            assert sender.send(message_to(first)).result == SENT  # opens a kept-alive connection
            started = time.monotonic()
            assert sender.send(message_to(second)).result == SENT  # dropped, retried at once
            assert time.monotonic() - started < 3.0  # not a retry a backoff later
        with PushSender.from_app(push_app) as sender:  # a new connection that fails: a real try
            assert sender.send(message_to(fresh)).result == RETRY
    statuses = [m.status for m in receiver.messages if m.path == second.path]
    assert statuses == [0, 201]
    assert [m.status for m in receiver.messages if m.path == fresh.path] == [0]


# --- the whole mix, as the issue asks: normal reminders stay on time ----------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_normal_reminders_stay_on_time_beside_a_hostile_mix_on_the_same_service(
    database_url, receiver
):
    poll = 0.5
    app = make_app(
        database_url,
        **{
            **QUICK,
            "REMINDERS_READ_TIMEOUT": 3.0,
            "REMINDERS_SEND_DEADLINE": 2.0,
            "REMINDERS_LEASE_SECONDS": 5,
            "REMINDERS_SEND_THREADS": 8,
            "REMINDERS_POLL_SECONDS": poll,
        },
    )
    client = app.test_client()
    hostile = {
        Reply(429, retry_after="86400"): 3,
        Reply(201, dribble=1.0): 2,
        Reply(201, delay=30): 2,
        Reply(drop=True): 2,
    }
    for reply, count in hostile.items():
        for _ in range(count):
            subscriber = receiver.make_subscriber()
            receiver.respond(subscriber, reply)
            make_due(app, new_reminder(client, subscriber)["id"])
    refused = receiver.make_subscriber()
    body = {**refused.subscription, "endpoint": f"http://127.0.0.1:{closed_port()}/push/gone"}
    make_due(app, new_reminder(client, refused, subscription=body)["id"])
    normal = [receiver.make_subscriber() for _ in range(10)]
    start = time.monotonic() + 1
    due = {}
    for n, subscriber in enumerate(normal):
        due[subscriber.path] = start + n * 0.5
        make_due(
            app, new_reminder(client, subscriber)["id"], utcnow() + timedelta(seconds=1 + n * 0.5)
        )
    stop = threading.Event()

    def run() -> None:  # what `flask reminders run` does
        with worker(app) as dispatcher:
            while not stop.is_set():
                counts = dispatcher.send_due(stop)
                stop.wait(0 if counts else poll)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        arrived = []
        deadline = time.monotonic() + 60
        while len(arrived) < len(normal):
            assert time.monotonic() < deadline, f"{len(arrived)} of 10 normal reminders arrived"
            time.sleep(0.1)
            arrived = [m for m in receiver.delivered() if m.path in due]
    finally:
        stop.set()
        thread.join(timeout=30)
    late = sorted(m.received_at - due[m.path] for m in arrived)
    assert late[-1] < poll + 10, late  # the poll interval plus a few (loaded machine) seconds
    assert len({m.path for m in arrived}) == 10  # each once
    print(f"\nnormal reminders beside the hostile mix: lateness {[round(v, 2) for v in late]}")
