"""The push service is down for an hour, or for longer than the TTL.

The worker runs on a clock the test moves a minute at a time (its retries are scheduled on
that clock), against the real receiver answering 500 until it "comes back". Within the
TTL every occurrence is retried and delivered exactly once, every try carrying the same
Topic; past the TTL it is given up and never sent late in a burst.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from backend.database import utcnow
from backend.extensions import db
from testkit.push_receiver import Reply
from tests.conftest import make_app
from tests.reminders.support import make_due, new_reminder, occurrences, worker

SUBSCRIBERS = 3


@pytest.fixture
def outage_app(database_url):
    # The production retry policy (30 s base, 10 attempts, 4 h TTL), quick network timeouts.
    app = make_app(
        database_url,
        REMINDERS_CONNECT_TIMEOUT=0.5,
        REMINDERS_READ_TIMEOUT=1.0,
        REMINDERS_CREATE_RATE_LIMIT="1000 per hour",
    )
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def run_outage(app, receiver, down_for: timedelta, watch_for: timedelta):
    subscribers = [receiver.make_subscriber() for _ in range(SUBSCRIBERS)]
    for subscriber in subscribers:
        receiver.respond(subscriber, Reply(500))
    start = utcnow()
    reminders = [new_reminder(app.test_client(), s) for s in subscribers]
    for reminder in reminders:
        make_due(app, reminder["id"], start)
    now = start
    with worker(app, clock=lambda: now) as dispatcher:
        while now < start + watch_for:
            if now >= start + down_for:
                for subscriber in subscribers:
                    receiver.respond(subscriber, Reply(201))
            dispatcher.send_due()
            now += timedelta(minutes=1)
    # The occurrence that was due when the outage began (later ones may follow in 4 h).
    first = {r["id"]: occurrences(app, r["id"])[0] for r in reminders}
    return subscribers, first


def tries_for(receiver, subscriber) -> list:
    path = urlsplit(subscriber.endpoint).path
    return [m for m in receiver.messages if m.path == path]


def test_an_hour_long_outage_is_ridden_out_and_each_reminder_arrives_once(outage_app, receiver):
    subscribers, first = run_outage(
        outage_app, receiver, down_for=timedelta(hours=1), watch_for=timedelta(hours=4)
    )
    first_ids = {str(o.id) for o in first.values()}
    for subscriber in subscribers:
        tries = [m for m in tries_for(receiver, subscriber) if m.payload["o"] in first_ids]
        delivered = [m for m in tries if m.delivered]
        assert len(delivered) == 1, "each occurrence arrives exactly once"
        assert len(tries) > 2, "it was retried while the service was down"
        assert len({m.topic for m in tries}) == 1, "every retry replaces, never repeats"
        assert all(0 < m.ttl <= 4 * 3600 for m in tries)
    assert {o.status for o in first.values()} == {"sent"}


def test_an_outage_longer_than_the_ttl_gives_up_and_never_sends_late(outage_app, receiver):
    _, first = run_outage(
        outage_app, receiver, down_for=timedelta(hours=5), watch_for=timedelta(hours=6)
    )
    first_ids = {str(o.id) for o in first.values()}
    assert receiver.messages, "the worker did try while the service was down"
    assert not [m for m in receiver.messages if m.delivered and m.payload["o"] in first_ids]
    assert {o.status for o in first.values()} <= {"failed", "skipped_expired"}
