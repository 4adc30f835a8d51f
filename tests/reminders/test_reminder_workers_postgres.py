"""Several worker PROCESSES on PostgreSQL sharing the work through row locks.

- 4 processes and 10,000 due subscriptions: every occurrence reaches the receiver exactly once.
- A worker killed with SIGKILL mid-batch: once its leases end, the others finish its work.
  Nothing is lost, and nothing is doubled except (possibly) the few occurrences the dead
  worker held at the moment it died: their send may have reached the push service before the
  worker could record it, so they are sent again — with the same Topic, which makes a push
  service replace the undelivered copy instead of showing two (RFC 8030 §5.4). The test
  allows exactly that and nothing more.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select, text

from backend.database import utcnow
from backend.extensions import db
from backend.reminders.claims import due_subscriptions
from backend.reminders.models import ReminderOccurrence, ReminderSubscription
from backend.reminders.service import sha256_hex
from tests.conftest import make_app

pytestmark = pytest.mark.postgres
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def pg_app(postgres_url):
    app = make_app(postgres_url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def add_due_subscriptions(app, subscribers) -> None:
    """Insert subscriptions that fell due a minute ago (as the API would have stored them)."""
    now = utcnow()
    rows = [
        {
            "id": uuid.uuid4(),
            "endpoint": s.endpoint,
            "endpoint_hash": sha256_hex(s.endpoint),
            "p256dh": s.p256dh,
            "auth": s.auth,
            "days": list(range(7)),
            "times": ["08:00"],
            "timezone": "UTC",
            "paused_until": None,
            "message": "checkin",
            "lang": "en",
            "next_due_at": now - timedelta(minutes=1),
            "lease_until": None,
            "token_hash": sha256_hex(uuid.uuid4().hex),
            "sent_count": 0,
            "failure_count": 0,
            "last_error_code": None,
            "created_at": now,
            "last_sent_at": None,
        }
        for s in subscribers
    ]
    with app.app_context():
        db.session.execute(insert(ReminderSubscription), rows)
        db.session.commit()


class Workers:
    """`flask reminders run` in separate processes (tests/reminders/worker_process.py)."""

    def __init__(self, tmp_path: Path, database_url: str, **settings) -> None:
        self.tmp_path = tmp_path
        self.settings = {"SQLALCHEMY_DATABASE_URI": database_url, **settings}
        self.processes: list[tuple[subprocess.Popen, Path]] = []

    def start(self, count: int) -> list[subprocess.Popen]:
        started = []
        for _ in range(count):
            log = self.tmp_path / f"worker-{len(self.processes)}.log"
            with log.open("w") as out:
                process = subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "tests.reminders.worker_process",
                        json.dumps(self.settings),
                        "run",
                    ],
                    cwd=ROOT,
                    env={**os.environ, "PYTHONPATH": str(ROOT)},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            self.processes.append((process, log))
            started.append(process)
        return started

    def stop(self) -> list[int]:
        """SIGTERM the live ones; return their exit codes."""
        codes = []
        for process, _ in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process, _ in self.processes:
            try:
                codes.append(process.wait(timeout=20))
            except subprocess.TimeoutExpired:
                process.kill()
                codes.append(process.wait())
        return codes

    def sent_by_each(self) -> list[int]:
        """What each process says it sent (`run` prints one summary line per pass)."""
        totals = []
        for _, log in self.processes:
            lines = log.read_text().splitlines()
            totals.append(sum(int(line.split(",")[0].split()[1]) for line in lines
                              if line.startswith("sent ")))  # fmt: skip
        return totals


def wait_until_all_sent(app, expected: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    with app.app_context():
        while True:
            sent = db.session.scalar(
                select(func.count())
                .select_from(ReminderOccurrence)
                .where(ReminderOccurrence.status == "sent")
            )
            db.session.rollback()
            if sent >= expected:
                return
            assert time.monotonic() < deadline, f"only {sent} of {expected} sent in {seconds} s"
            time.sleep(0.2)


def occurrence_rows(app) -> list:
    with app.app_context():
        rows = db.session.execute(
            select(
                ReminderOccurrence.id,
                ReminderOccurrence.subscription_id,
                ReminderOccurrence.status,
            )
        ).all()
        db.session.rollback()
        return rows


def test_four_worker_processes_send_ten_thousand_reminders_exactly_once(
    pg_app, postgres_url, receiver, tmp_path
):
    subscribers = [receiver.make_subscriber() for _ in range(10_000)]
    add_due_subscriptions(pg_app, subscribers)
    workers = Workers(
        tmp_path,
        postgres_url,
        REMINDERS_SEND_THREADS=8,
        REMINDERS_LEASE_SECONDS=10,
        REMINDERS_CONNECT_TIMEOUT=2.0,
        REMINDERS_READ_TIMEOUT=5.0,
        REMINDERS_POLL_SECONDS=0.2,
    )
    started = time.monotonic()
    workers.start(4)
    try:
        wait_until_all_sent(pg_app, 10_000, seconds=45)
    finally:
        codes = workers.stop()
    elapsed = time.monotonic() - started
    assert codes == [0, 0, 0, 0]

    delivered = Counter(m.payload["o"] for m in receiver.delivered())
    assert len(delivered) == 10_000
    assert max(delivered.values()) == 1, "an occurrence reached the push service twice"
    rows = occurrence_rows(pg_app)
    assert {str(r.id) for r in rows} == set(delivered)
    assert {r.status for r in rows} == {"sent"}
    assert len({r.subscription_id for r in rows}) == 10_000  # one occurrence each
    assert receiver.rejections == []
    shares = workers.sent_by_each()
    assert sum(shares) == 10_000 and min(shares) > 0, shares  # all four did a share
    print(f"\n10,000 reminders by 4 worker processes in {elapsed:.1f} s; shares {shares}")


def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(
    pg_app, postgres_url, receiver, tmp_path
):
    subscribers = [receiver.make_subscriber() for _ in range(300)]
    add_due_subscriptions(pg_app, subscribers)
    receiver.delay = 0.05  # a slow push service, so the kill lands among sends in flight
    workers = Workers(
        tmp_path,
        postgres_url,
        REMINDERS_SEND_THREADS=4,
        REMINDERS_BATCH_SIZE=8,
        REMINDERS_LEASE_SECONDS=2,
        REMINDERS_CONNECT_TIMEOUT=0.5,
        REMINDERS_READ_TIMEOUT=1.0,
        REMINDERS_POLL_SECONDS=0.2,
    )
    (doomed,) = workers.start(1)
    try:
        receiver.wait_for(30, timeout=30)
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
        killed_at = time.monotonic()
        held = {str(r.id) for r in occurrence_rows(pg_app) if r.status == "pending"}
        assert held, "the worker died holding no claim: the test did not test anything"
        workers.start(2)
        wait_until_all_sent(pg_app, 300, seconds=40)
    finally:
        codes = workers.stop()
    assert codes == [-signal.SIGKILL, 0, 0]

    rows = occurrence_rows(pg_app)
    assert len(rows) == 300 and {r.status for r in rows} == {"sent"}
    assert len({r.subscription_id for r in rows}) == 300  # one occurrence per subscription
    by_occurrence = defaultdict(list)
    for message in receiver.delivered():
        by_occurrence[message.payload["o"]].append(message)
    assert set(by_occurrence) == {str(r.id) for r in rows}  # nothing lost
    doubled = {o: copies for o, copies in by_occurrence.items() if len(copies) > 1}
    assert set(doubled) <= held  # only what the dead worker held could be sent twice…
    for copies in doubled.values():
        assert len(copies) == 2 and copies[0].topic == copies[1].topic  # …as a replacement
    for occurrence in held:  # the survivors finished the dead worker's claims
        assert by_occurrence[occurrence][-1].received_at > killed_at


def test_the_claim_query_can_use_the_due_index(pg_app):
    with pg_app.app_context(), db.engine.connect() as connection:
        statement = due_subscriptions(utcnow(), 100)
        compiled = statement.compile(dialect=connection.dialect)
        connection.exec_driver_sql("SET enable_seqscan = off")
        plan = "\n".join(
            row[0]
            for row in connection.exec_driver_sql("EXPLAIN " + str(compiled), compiled.params)
        )
        connection.execute(text("RESET enable_seqscan"))
    assert "ix_reminder_subscriptions_due" in plan
    assert "LockRows" in plan
