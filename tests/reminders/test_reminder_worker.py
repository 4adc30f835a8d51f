"""The worker against a real Web Push receiver: what arrives (decrypted), with which headers,
and what the worker does with every kind of answer a push service gives."""

from __future__ import annotations

import itertools
import logging
import time
import uuid
from datetime import timedelta

import pytest

from backend.database import utcnow
from backend.reminders.dispatch import topic_for
from backend.reminders.push import endpoint_tag
from testkit.push_receiver import PushReceiver, Reply
from tests.reminders.support import (
    make_due,
    new_reminder,
    occurrences,
    subscription_row,
    worker,
)


def test_a_due_reminder_arrives_encrypted_with_its_headers_and_a_tiny_payload(push_app, receiver):
    subscriber = receiver.make_subscriber()
    reminder = new_reminder(push_app.test_client(), subscriber, message="moment", lang="es")
    due = make_due(push_app, reminder["id"])
    with worker(push_app) as dispatcher:
        counts = dispatcher.send_due()
    assert counts["sent"] == 1

    (message,) = receiver.wait_for(1)
    (occurrence,) = occurrences(push_app, reminder["id"])
    assert message.payload == {"o": str(occurrence.id), "m": "moment", "l": "es"}
    assert len(message.text) < 100  # never personal text; far under 3993 bytes
    assert message.headers["content-encoding"] == "aes128gcm"
    assert message.urgency == "normal"
    assert message.topic == topic_for(uuid.UUID(reminder["id"])) and len(message.topic) == 32
    assert 4 * 3600 - 120 < message.ttl <= 4 * 3600  # what is left of the TTL
    assert message.claims["aud"] == receiver.origin
    assert message.claims["sub"] == "mailto:operators@steady.invalid"
    assert time.time() < message.claims["exp"] <= time.time() + 12 * 3600

    assert (occurrence.status, occurrence.attempts, occurrence.occurrence_at) == ("sent", 1, due)
    row = subscription_row(push_app, reminder["id"])
    assert row.sent_count == 1 and row.last_sent_at is not None and row.lease_until is None
    assert row.next_due_at > utcnow()  # advanced to the next 08:00 in Madrid


def test_nothing_is_sent_before_it_is_due(push_app, receiver):
    new_reminder(push_app.test_client(), receiver.make_subscriber())
    with worker(push_app) as dispatcher:
        assert sum(dispatcher.send_due().values()) == 0
    assert receiver.messages == []


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_deleted_with_its_occurrences(push_app, receiver, status):
    subscriber = receiver.make_subscriber()
    receiver.respond(subscriber, Reply(status))
    reminder = new_reminder(push_app.test_client(), subscriber)
    make_due(push_app, reminder["id"])
    with worker(push_app) as dispatcher:
        assert dispatcher.send_due()["deleted"] == 1
    assert subscription_row(push_app, reminder["id"]) is None
    assert occurrences(push_app) == []
    assert len(receiver.wait_for(1, delivered=False)) == 1


def test_429_holds_back_that_subscription_only_and_its_service_keeps_sending(push_app, receiver):
    client = push_app.test_client()
    throttled = receiver.make_subscriber()
    others = [receiver.make_subscriber() for _ in range(10)]  # the same push service (origin)
    receiver.respond(throttled, Reply(429, retry_after="2"), Reply(201))
    one = new_reminder(client, throttled)
    make_due(push_app, one["id"])
    with worker(push_app) as dispatcher:
        assert dispatcher.send_due()["waiting"] == 1
        (pending,) = occurrences(push_app, one["id"])
        assert pending.status == "pending" and pending.attempts == 1
        assert 2 <= (pending.next_attempt_at - utcnow()).total_seconds() <= 3.1
        row = subscription_row(push_app, one["id"])
        assert 1.5 <= (row.not_before - utcnow()).total_seconds() <= 2.1
        assert row.last_error_code == 429

        # The other subscriptions on the same push service go out at once.
        for subscriber in others:
            make_due(push_app, new_reminder(client, subscriber)["id"])
        assert dispatcher.send_due()["sent"] == 10  # in this pass, inside the 2 s Retry-After

        deadline = time.monotonic() + 8
        while occurrences(push_app, one["id"])[0].status != "sent":
            assert time.monotonic() < deadline, "the retry never came"
            dispatcher.send_due()
            time.sleep(0.1)
    first, retried = [m for m in receiver.messages if m.path == throttled.path]
    assert (first.status, retried.status) == (429, 201)
    assert retried.received_at - first.received_at >= 2.0
    assert retried.topic == first.topic  # the retry replaces, never adds
    assert subscription_row(push_app, one["id"]).not_before is None  # cleared by the success


def run_until_settled(app, dispatcher, reminder_id, seconds=15.0):
    deadline = time.monotonic() + seconds
    while True:
        dispatcher.send_due()
        (occurrence,) = occurrences(app, reminder_id)
        if occurrence.status != "pending":
            return occurrence
        assert time.monotonic() < deadline, "the occurrence never settled"
        time.sleep(0.05)


def test_5xx_is_retried_with_growing_jittered_backoff_then_given_up(push_app, receiver):
    subscriber = receiver.make_subscriber()
    receiver.respond(subscriber, Reply(503))
    reminder = new_reminder(push_app.test_client(), subscriber)
    make_due(push_app, reminder["id"])
    with worker(push_app, max_attempts=4) as dispatcher:
        occurrence = run_until_settled(push_app, dispatcher, reminder["id"])
    assert (occurrence.status, occurrence.attempts) == ("failed", 4)
    tries = receiver.messages
    assert len(tries) == 4 and {m.topic for m in tries} == {tries[0].topic}
    gaps = [b.received_at - a.received_at for a, b in itertools.pairwise(tries)]
    # base 0.2 s: each wait is between half and all of 0.2, 0.4, 0.8 s
    for gap, ceiling in zip(gaps, (0.2, 0.4, 0.8), strict=True):
        assert ceiling / 2 <= gap <= ceiling + 0.3
    row = subscription_row(push_app, reminder["id"])
    assert (row.failure_count, row.last_error_code, row.sent_count) == (1, 503, 0)


def test_retries_stop_before_the_ttl_runs_out(database_url, receiver):
    from tests.conftest import make_app
    from tests.reminders.support import QUICK

    app = make_app(
        database_url,
        **{**QUICK, "REMINDERS_TTL_SECONDS": 3, "REMINDERS_MAX_ATTEMPTS": 100},
    )
    subscriber = receiver.make_subscriber()
    receiver.respond(subscriber, Reply(500))
    reminder = new_reminder(app.test_client(), subscriber)
    due = make_due(app, reminder["id"], utcnow())
    with worker(app) as dispatcher:
        occurrence = run_until_settled(app, dispatcher, reminder["id"])
    # Given up: failed, or skipped once the origin's short pause (5 failures in a row) ran
    # into the TTL; never sent late.
    assert occurrence.status in ("failed", "skipped_expired")
    tries = receiver.messages
    assert 2 <= len(tries) < 100
    assert all(m.ttl <= 3 for m in tries)  # the TTL header is what is left, never more
    assert (utcnow() - due).total_seconds() < 3.5  # gave up instead of retrying past it
    from backend.extensions import db

    with app.app_context():
        db.engine.dispose()


def test_a_timeout_is_retried_and_the_copy_carries_the_same_topic(push_app, receiver):
    subscriber = receiver.make_subscriber()
    receiver.respond(subscriber, Reply(201, delay=1.6), Reply(201))  # read timeout is 1.0 s
    reminder = new_reminder(push_app.test_client(), subscriber)
    make_due(push_app, reminder["id"])
    with worker(push_app) as dispatcher:
        assert dispatcher.send_due()["retrying"] == 1
        occurrence = run_until_settled(push_app, dispatcher, reminder["id"])
    assert (occurrence.status, occurrence.attempts) == ("sent", 2)
    slow, retry = receiver.wait_for(2)
    assert slow.topic == retry.topic and slow.payload == retry.payload


@pytest.mark.parametrize("status", [400, 401, 403, 413])
def test_a_refusal_keeps_the_subscription_counts_it_and_never_logs_the_endpoint(
    push_app, receiver, caplog, status
):
    caplog.set_level(logging.DEBUG)
    subscriber = receiver.make_subscriber()
    receiver.respond(subscriber, Reply(status))
    reminder = new_reminder(push_app.test_client(), subscriber)
    make_due(push_app, reminder["id"])
    with worker(push_app) as dispatcher:
        assert dispatcher.send_due()["rejected"] == 1
    row = subscription_row(push_app, reminder["id"])
    assert (row.failure_count, row.last_error_code, row.lease_until) == (1, status, None)
    assert row.next_due_at > utcnow()  # it stays scheduled
    (occurrence,) = occurrences(push_app, reminder["id"])
    assert (occurrence.status, occurrence.attempts) == ("failed", 1)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert str(status) in errors[0].getMessage()
    assert endpoint_tag(subscriber.endpoint) in errors[0].getMessage()
    path = subscriber.path.rsplit("/", 1)[1]
    for secret in (subscriber.endpoint, path, subscriber.p256dh, subscriber.auth):
        assert secret not in caplog.text


def test_vapid_is_signed_once_per_push_service_with_that_services_aud(push_app, receiver):
    client = push_app.test_client()
    with PushReceiver() as other:
        subscribers = [receiver.make_subscriber(), receiver.make_subscriber()]
        subscribers += [other.make_subscriber(), other.make_subscriber()]
        for subscriber in subscribers:
            make_due(push_app, new_reminder(client, subscriber)["id"])
        with worker(push_app) as dispatcher:
            assert dispatcher.send_due()["sent"] == 4
        here, there = receiver.wait_for(2), other.wait_for(2)
    assert {m.claims["aud"] for m in here} == {receiver.origin}
    assert {m.claims["aud"] for m in there} == {other.origin}
    # ECDSA signatures are randomised: one header per origin means it was signed once.
    assert len({m.headers["authorization"] for m in here}) == 1
    assert len({m.headers["authorization"] for m in there}) == 1
    assert here[0].headers["authorization"] != there[0].headers["authorization"]
    assert here[0].vapid_key == there[0].vapid_key


def test_a_subscription_bound_to_the_server_key_gets_pushes_signed_with_it(push_app, receiver):
    client = push_app.test_client()
    server_key = client.get("/api/v1/push/key").get_json()["public_key"]
    subscriber = receiver.make_subscriber(server_key=server_key)
    make_due(push_app, new_reminder(client, subscriber)["id"])
    with worker(push_app) as dispatcher:
        assert dispatcher.send_due()["sent"] == 1
    assert receiver.rejections == []


def test_many_due_reminders_all_arrive_once_through_the_thread_pool(push_app, receiver):
    client = push_app.test_client()
    ids = []
    for _ in range(40):
        reminder = new_reminder(client, receiver.make_subscriber())
        make_due(push_app, reminder["id"], utcnow() - timedelta(seconds=30))
        ids.append(reminder["id"])
    with worker(push_app) as dispatcher:
        assert dispatcher.send_due()["sent"] == 40
    delivered = [m.payload["o"] for m in receiver.wait_for(40)]
    assert len(delivered) == len(set(delivered)) == 40
    assert {str(o.id) for o in occurrences(push_app)} == set(delivered)


@pytest.mark.parametrize("status", [301, 307, 308])
def test_a_redirect_is_never_followed(push_app, receiver, status):
    subscriber, elsewhere = receiver.make_subscriber(), receiver.make_subscriber()
    receiver.respond(subscriber, Reply(status, location=elsewhere.endpoint))
    reminder = new_reminder(push_app.test_client(), subscriber)
    make_due(push_app, reminder["id"])
    with worker(push_app) as dispatcher:
        assert dispatcher.send_due()["rejected"] == 1
    assert [m.path for m in receiver.messages] == [subscriber.path]  # nothing went elsewhere
    assert subscription_row(push_app, reminder["id"]).last_error_code == status
