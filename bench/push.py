"""Push throughput: ONE reminder worker against plain pywebpush loops, in the same run.

    .venv/bin/python bench/push.py [--subscriptions 1000] [--database-url URL] [--threads 8]
                                   [--latency 0.02]

The test push receiver (testkit/push_receiver.py: VAPID checked, every body decrypted)
runs in a child process, so this process's CPU time (time.process_time) is the sender's own.
Rows:
- worker: Dispatcher.send_due() with its database (claim, advance, record) on SQLite by
  default, pooled connections and a thread pool; every message to a distinct subscription.
- webpush() loop: pywebpush's documented one-call form per message (key file path, no
  session: a new connection each time).
- webpush() loop, key + session: the same loop with the key loaded once and one Session.
`--latency` makes the receiver answer late, as a push service across the internet does
(tens of milliseconds): that is where the pool's concurrency shows. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from py_vapid import Vapid  # noqa: E402
from pywebpush import webpush  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from backend import create_app  # noqa: E402
from backend.database import utcnow  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.reminders.dispatch import Dispatcher  # noqa: E402
from backend.reminders.models import ReminderSubscription  # noqa: E402
from backend.reminders.push import PushSender  # noqa: E402
from backend.reminders.service import sha256_hex  # noqa: E402
from backend.reminders.vapid import new_vapid_pem  # noqa: E402

PAYLOAD = '{"o":"00000000-0000-0000-0000-000000000000","m":"checkin","l":"en"}'


def serve_receiver(connection, count: int, latency: float) -> None:
    """Child process: a receiver with `count` subscribers; answers "count" and "stop"."""
    from testkit.push_receiver import PushReceiver

    with PushReceiver() as receiver:
        receiver.delay = latency
        subscribers = [receiver.make_subscriber() for _ in range(count)]
        connection.send([(s.endpoint, s.p256dh, s.auth) for s in subscribers])
        while (command := connection.recv()) != "stop":
            if command == "count":
                connection.send((len(receiver.delivered()), len(receiver.rejections)))


class Receiver:
    def __init__(self, count: int, latency: float) -> None:
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=serve_receiver, args=(child, count, latency), daemon=True
        )
        self.process.start()
        self.subscribers = self.connection.recv()

    def counts(self) -> tuple[int, int]:
        self.connection.send("count")
        return self.connection.recv()

    def stop(self) -> None:
        self.connection.send("stop")
        self.process.join(timeout=10)
        self.connection.close()


def measure(label: str, receiver: Receiver, run) -> dict:
    before, _ = receiver.counts()
    wall, cpu = time.perf_counter(), time.process_time()
    sent = run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    after, rejected = receiver.counts()
    assert after - before == sent, f"{label}: {sent} sent but {after - before} delivered"
    assert rejected == 0, f"{label}: the receiver refused {rejected}"
    return {"label": label, "sent": sent, "wall": wall, "cpu": cpu}


def worker_run(app, subscribers, threads: int):
    now = utcnow()
    rows = [
        {
            "id": uuid.uuid4(), "endpoint": endpoint, "endpoint_hash": sha256_hex(endpoint),
            "p256dh": p256dh, "auth": auth, "days": list(range(7)), "times": ["08:00"],
            "timezone": "UTC", "paused_until": None, "message": "checkin", "lang": "en",
            "next_due_at": now - timedelta(minutes=1), "lease_until": None,
            "token_hash": sha256_hex(uuid.uuid4().hex), "sent_count": 0, "failure_count": 0,
            "last_error_code": None, "created_at": now, "last_sent_at": None,
        }
        for endpoint, p256dh, auth in subscribers
    ]  # fmt: skip
    with app.app_context():
        db.session.execute(insert(ReminderSubscription), rows)
        db.session.commit()

    def run() -> int:
        with app.app_context(), PushSender.from_app(app) as sender:
            return Dispatcher.from_app(app, sender).send_due()["sent"]

    return run


def loop_run(subscribers, key: str | Vapid, session: requests.Session | None):
    def run() -> int:
        for index, (endpoint, p256dh, auth) in enumerate(subscribers):
            webpush(
                {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
                data=PAYLOAD,
                vapid_private_key=key,
                vapid_claims={"sub": "mailto:operators@steady.invalid"},  # fresh: it mutates
                ttl=4 * 3600,
                headers={"Urgency": "normal", "Topic": f"bench{index}"},
                timeout=(3.05, 10),
                requests_session=session,
            )
        return len(subscribers)

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--database-url", help="default: a new SQLite file")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--latency", type=float, default=0.0, help="seconds the receiver waits before answering"
    )
    args = parser.parse_args()
    n = args.subscriptions

    with tempfile.TemporaryDirectory() as folder:
        pem, _ = new_vapid_pem()
        key_file = Path(folder) / "vapid.pem"
        key_file.write_bytes(pem)
        app = create_app(
            {
                "TESTING": True,
                "SQLALCHEMY_DATABASE_URI": args.database_url
                or f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                "VAPID_PRIVATE_KEY": pem.decode(),
                "REMINDERS_SEND_THREADS": args.threads,
            }
        )
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(revision="heads")
        receiver = Receiver(3 * n, args.latency)
        try:
            subs = receiver.subscribers
            session = requests.Session()
            results = [
                measure(
                    f"worker ({args.threads} threads)",
                    receiver,
                    worker_run(app, subs[:n], args.threads),
                ),
                measure("webpush() loop", receiver, loop_run(subs[n : 2 * n], str(key_file), None)),
                measure(
                    "webpush() loop, key + session",
                    receiver,
                    loop_run(subs[2 * n :], Vapid.from_pem(pem), session),
                ),
            ]
            session.close()
        finally:
            receiver.stop()
            with app.app_context():
                db.engine.dispose()

    print(
        f"\n{n} subscriptions, each message VAPID-checked and decrypted by the receiver, "
        f"which answers after {1000 * args.latency:.0f} ms\n"
    )
    print(f"| {'sender':<32} | {'sent':>5} | {'seconds':>7} | {'msgs/s':>7} | {'CPU ms/msg':>10} |")
    print(f"|{'-' * 34}|{'-' * 7}|{'-' * 9}|{'-' * 9}|{'-' * 12}|")
    for r in results:
        print(
            f"| {r['label']:<32} | {r['sent']:>5} | {r['wall']:>7.2f} | "
            f"{r['sent'] / r['wall']:>7.0f} | {1000 * r['cpu'] / r['sent']:>10.3f} |"
        )


if __name__ == "__main__":
    main()
