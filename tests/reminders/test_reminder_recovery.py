"""When things go wrong around the worker: downtime, a worker that dies holding a claim,
a lease that would run out mid-send, a stop signal; and the sender's own guard rails."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from backend.database import utcnow
from backend.extensions import db
from backend.reminders.claims import Claim
from backend.reminders.dispatch import payload_for
from backend.reminders.models import ReminderSubscription
from backend.reminders.push import (
    GONE,
    NOT_STARTED,
    REJECTED,
    RETRY,
    SENT,
    WAIT,
    PushMessage,
    PushSender,
    outcome_for,
    parse_retry_after,
)
from testkit.push_receiver import Reply
from tests.reminders.support import (
    make_due,
    new_reminder,
    occurrences,
    subscription_row,
    worker,
)

ROOT = Path(__file__).resolve().parents[2]


def hhmm(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%H:%M")


def test_after_days_of_downtime_a_missed_reminder_is_skipped_not_sent(push_app, receiver):
    now = utcnow().replace(second=0, microsecond=0)
    six_hours_ago = now - timedelta(hours=6)
    schedule = {"days": list(range(7)), "times": [hhmm(six_hours_ago)], "timezone": "UTC"}
    reminder = new_reminder(push_app.test_client(), receiver.make_subscriber(), schedule=schedule)
    missed = make_due(push_app, reminder["id"], six_hours_ago - timedelta(days=3))
    with worker(push_app) as dispatcher:
        counts = dispatcher.send_due()
    assert (counts["sent"], counts["skipped"]) == (0, 1)
    assert receiver.messages == []
    (skipped,) = occurrences(push_app, reminder["id"])
    assert (skipped.status, skipped.occurrence_at) == ("skipped_expired", missed)
    assert subscription_row(push_app, reminder["id"]).next_due_at == six_hours_ago + timedelta(
        days=1
    )


def test_after_downtime_only_the_latest_reminder_within_the_ttl_is_sent(push_app, receiver):
    now = utcnow().replace(second=0, microsecond=0)
    times = [hhmm(now - timedelta(hours=6)), hhmm(now - timedelta(hours=1))]
    schedule = {"days": list(range(7)), "times": times, "timezone": "UTC"}
    reminder = new_reminder(push_app.test_client(), receiver.make_subscriber(), schedule=schedule)
    make_due(push_app, reminder["id"], now - timedelta(days=2, hours=6))
    with worker(push_app) as dispatcher:
        counts = dispatcher.send_due()
    assert (counts["sent"], counts["skipped"]) == (1, 1)
    (message,) = receiver.wait_for(1)
    statuses = {o.status: o for o in occurrences(push_app, reminder["id"])}
    assert set(statuses) == {"skipped_expired", "sent"}
    assert statuses["sent"].occurrence_at == now - timedelta(hours=1)
    assert message.payload["o"] == str(statuses["sent"].id)


def test_a_claim_left_by_a_dead_worker_is_sent_once_its_lease_has_ended(push_app, receiver):
    reminder = new_reminder(push_app.test_client(), receiver.make_subscriber())
    make_due(push_app, reminder["id"])
    with worker(push_app) as dead:
        from collections import Counter

        (claim,) = dead.claim(10, Counter())  # claimed, committed… and then the worker died
    with worker(push_app) as alive:
        assert sum(alive.send_due().values()) == 0  # still leased: not touched
        assert receiver.messages == []
    later = claim.lease + timedelta(seconds=1)
    with worker(push_app, clock=lambda: later) as alive:
        assert alive.send_due()["sent"] == 1
    (message,) = receiver.wait_for(1)
    assert message.payload["o"] == str(claim.occurrence_id)
    (occurrence,) = occurrences(push_app, reminder["id"])
    assert (occurrence.status, occurrence.attempts) == ("sent", 1)


def test_a_pending_occurrence_older_than_its_ttl_is_skipped_not_sent(push_app, receiver):
    reminder = new_reminder(push_app.test_client(), receiver.make_subscriber())
    make_due(push_app, reminder["id"])
    with worker(push_app) as dead:
        from collections import Counter

        dead.claim(10, Counter())
    much_later = utcnow() + timedelta(hours=5)
    with worker(push_app, clock=lambda: much_later) as alive:
        assert alive.send_due()["skipped"] == 1
    assert receiver.messages == []
    (occurrence,) = occurrences(push_app, reminder["id"])
    assert occurrence.status == "skipped_expired"


def test_a_send_that_could_not_end_within_its_lease_is_never_started(push_app, receiver):
    subscriber = receiver.make_subscriber()
    with push_app.app_context(), PushSender.from_app(push_app) as sender:
        message = PushMessage(
            subscriber.endpoint, subscriber.p256dh, subscriber.auth, b"{}", "t", 60
        )
        soon = time.time() + sender.longest_send - 0.1
        assert sender.submit(message, start_before=soon).result().result == NOT_STARTED
        assert sender.send(message, start_before=time.time() + 60).result == SENT
    assert len(receiver.messages) == 1


def test_the_sender_refuses_oversized_payloads_and_a_zero_ttl(push_app, receiver):
    subscriber = receiver.make_subscriber()
    with push_app.app_context(), PushSender.from_app(push_app) as sender:
        big = PushMessage(
            subscriber.endpoint, subscriber.p256dh, subscriber.auth, b"x" * 3994, "t", 60
        )
        with pytest.raises(ValueError):
            sender.send(big)
        at_limit = PushMessage(
            subscriber.endpoint, subscriber.p256dh, subscriber.auth, b"x" * 3993, "t", 60
        )
        assert sender.send(at_limit).result == SENT  # one 4096-byte record holds it
        zero = PushMessage(subscriber.endpoint, subscriber.p256dh, subscriber.auth, b"{}", "t", 0)
        with pytest.raises(ValueError):
            sender.send(zero)
    claim = Claim(uuid.uuid4(), uuid.uuid4(), utcnow(), 0, utcnow(), "", "", "", "x" * 300, "en")
    with pytest.raises(ValueError):
        payload_for(claim)


def test_in_testing_the_sender_never_reaches_a_real_push_service(push_app, receiver):
    subscriber = receiver.make_subscriber()
    real = "https://fcm.googleapis.com/fcm/send/abc"
    with push_app.app_context(), PushSender.from_app(push_app) as sender:
        message = PushMessage(real, subscriber.p256dh, subscriber.auth, b"{}", "t", 60)
        assert sender.send(message).result == REJECTED


@pytest.mark.parametrize(
    ("status", "result"),
    [(200, SENT), (201, SENT), (202, SENT), (404, GONE), (410, GONE), (429, WAIT),
     (500, RETRY), (502, RETRY), (503, RETRY), (400, REJECTED), (401, REJECTED),
     (403, REJECTED), (413, REJECTED)],
)  # fmt: skip
def test_each_answer_maps_to_its_rule(status, result):
    assert outcome_for(status, None).result == result


def test_retry_after_reads_seconds_and_http_dates():
    now = time.time()
    assert parse_retry_after("120") == 120
    when = format_datetime(datetime.fromtimestamp(now + 90, UTC), usegmt=True)
    assert 88 <= parse_retry_after(when, now=now) <= 91
    assert parse_retry_after(None) == parse_retry_after("soon") == 60
    assert parse_retry_after("99999999") == 24 * 3600


def test_vapid_keys_load_from_a_pem_file_or_text_and_never_get_invented(tmp_path):
    from backend.reminders.vapid import PushNotConfigured, load_vapid, new_vapid_pem

    pem, _ = new_vapid_pem()
    path = tmp_path / "vapid.pem"
    path.write_bytes(pem)
    assert load_vapid({"VAPID_PRIVATE_KEY_FILE": str(path)}).public_key is not None
    assert load_vapid({"VAPID_PRIVATE_KEY": pem.decode()}).public_key is not None
    missing = tmp_path / "none.pem"
    with pytest.raises(PushNotConfigured):
        load_vapid({"VAPID_PRIVATE_KEY_FILE": str(missing)})
    assert not missing.exists()
    with pytest.raises(PushNotConfigured):
        load_vapid({"VAPID_PRIVATE_KEY": "not a key"})


def test_the_worker_stops_cleanly_on_sigterm_after_the_message_in_flight(database_url, receiver):
    from tests.conftest import make_app
    from tests.reminders.support import QUICK

    url = database_url
    app = make_app(url, **QUICK)
    subscriber = receiver.make_subscriber()
    receiver.respond(subscriber, Reply(201, delay=0.8))
    reminder = new_reminder(app.test_client(), subscriber)
    make_due(app, reminder["id"])
    with app.app_context():
        db.engine.dispose()
    settings = {"SQLALCHEMY_DATABASE_URI": url, **QUICK, "REMINDERS_POLL_SECONDS": 0.2}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reminders.worker_process", json.dumps(settings), "run"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not receiver._server.open_sockets and time.monotonic() < deadline:
            time.sleep(0.02)  # wait until the worker's request is in flight
        time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Reminder worker stopped." in out
    assert len(receiver.wait_for(1)) == 1
    (occurrence,) = occurrences(app, reminder["id"])
    assert occurrence.status == "sent"  # finished and recorded before it left
    row = subscription_row(app, reminder["id"])
    assert isinstance(row, ReminderSubscription) and row.sent_count == 1
    with app.app_context():
        db.engine.dispose()


def test_finished_occurrences_are_forgotten_after_a_week(push_app, receiver):
    reminder = new_reminder(push_app.test_client(), receiver.make_subscriber())
    make_due(push_app, reminder["id"])
    with worker(push_app) as dispatcher:
        assert dispatcher.send_due()["sent"] == 1
        assert dispatcher.prune() == 0  # a fresh one stays
    eight_days_on = utcnow() + timedelta(days=8)
    with worker(push_app, clock=lambda: eight_days_on) as dispatcher:
        assert dispatcher.prune() == 1
    assert occurrences(push_app) == []
    assert subscription_row(push_app, reminder["id"]).sent_count == 1


def test_one_pass_gets_through_a_batch_of_nothing_but_missed_reminders(push_app, receiver):
    client = push_app.test_client()
    long_ago = utcnow() - timedelta(days=2)
    missed = [new_reminder(client, receiver.make_subscriber())["id"] for _ in range(3)]
    for reminder_id in missed:
        make_due(push_app, reminder_id, long_ago)
    fresh = new_reminder(client, receiver.make_subscriber())["id"]
    make_due(push_app, fresh)
    with worker(push_app, batch_size=2) as dispatcher:  # the first batch holds only missed ones
        dispatcher.sender.threads = 1
        counts = dispatcher.send_due()
    assert (counts["skipped"], counts["sent"]) == (3, 1)
