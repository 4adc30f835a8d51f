"""`bench/dispatch.py --hostile`: reminder workers against a hostile push service (issue 12).

    .venv/bin/python bench/dispatch.py --hostile [--normal 1000] [--spread 30] [--workers 2]
                                       [--kills 3] [--seed 12]

A scratch PostgreSQL database (bench/postgres.py) and `flask reminders run` worker processes
with the production settings (poll 5 s, connect 3.05 s, read 10 s, TTL 4 h) except a 20 s
lease, so a killed worker's claims come back within the run. Push receivers (testkit, in this
process: VAPID checked, every body decrypted):
- service A: --normal subscriptions falling due evenly over --spread seconds (answering after
  50 ms, as a push service across the internet does), and 20 answering 429 with
  `Retry-After: 86400`, due first;
- service B: 10 dribbling the answer's head one byte every 2 s, and 10 hanging for 300 s;
- service C: 10 endpoints on a port where nothing listens (connection refused).
During the spread a random worker is SIGKILLed --kills times (and replaced at once). Printed:
normal reminders delivered; lateness of their first copy (arrival − due) p50/p99/max; copies
at the receivers beyond the first (duplicates), per kill and in all; occurrence statuses; and
shown-once in a real browser (every copy, duplicates included, handed to the service worker
through DevTools) when Chromium and Playwright are there. Not part of `make test`.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from backend import create_app
from backend.database import utcnow
from backend.extensions import db
from backend.reminders.claims import OCC, SUB
from backend.reminders.service import sha256_hex
from backend.reminders.vapid import new_vapid_pem
from bench.postgres import scratch_database
from testkit.push_receiver import PushReceiver, Reply

ROOT = Path(__file__).resolve().parent.parent
RUN_WORKER = (
    "import json, sys\n"
    "from backend import create_app\n"
    "from backend.reminders.cli import reminders\n"
    "app = create_app(json.loads(sys.argv[1]))\n"
    "with app.app_context():\n"
    "    reminders.main(args=['run'], prog_name='flask reminders')\n"
)
LEASE = 20


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def subscription_row(endpoint: str, p256dh: str, auth: str, due) -> dict:
    return {
        "id": uuid.uuid4(), "endpoint": endpoint, "endpoint_hash": sha256_hex(endpoint),
        "p256dh": p256dh, "auth": auth, "days": list(range(7)), "times": ["08:00"],
        "timezone": "UTC", "paused_until": None, "message": "checkin", "lang": "en",
        "next_due_at": due, "lease_until": None, "token_hash": sha256_hex(uuid.uuid4().hex),
        "sent_count": 0, "failure_count": 0, "last_error_code": None, "created_at": utcnow(),
        "last_sent_at": None,
    }  # fmt: skip


class Fleet:
    """`flask reminders run` processes, started and SIGKILLed by the bench."""

    def __init__(self, settings: dict, logs: Path) -> None:
        self.settings, self.logs = settings, logs
        self.live: list[subprocess.Popen] = []
        self.all: list[subprocess.Popen] = []

    def start(self) -> None:
        log = (self.logs / f"worker-{len(self.all)}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-c", RUN_WORKER, json.dumps(self.settings)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.live.append(process)
        self.all.append(process)

    def kill_one(self, chance: random.Random) -> None:
        victim = self.live.pop(chance.randrange(len(self.live)))
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)

    def stop(self) -> None:
        for process in self.live:
            process.send_signal(signal.SIGTERM)
        for process in self.live:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def leased(app) -> set[str]:
    with app.app_context():
        rows = db.session.execute(
            select(OCC.c.id).where(OCC.c.status == "pending", OCC.c.next_attempt_at > utcnow())
        ).all()
        db.session.rollback()
    return {str(r.id) for r in rows}


def run(args) -> None:
    """The hostile run and its report."""
    chance = random.Random(args.seed)
    pem, _ = new_vapid_pem()
    logs = Path(os.environ.get("TMPDIR", "/tmp")) / f"steady-hostile-{os.getpid()}"
    logs.mkdir(parents=True, exist_ok=True)
    with (
        scratch_database("steady_bench_hostile") as url,
        PushReceiver() as service_a,
        PushReceiver() as service_b,
    ):
        settings = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url,
                    "VAPID_PRIVATE_KEY": pem.decode(), "REMINDERS_LEASE_SECONDS": LEASE,
                    "REMINDERS_CONNECT_TIMEOUT": 3.05, "REMINDERS_READ_TIMEOUT": 10.0,
                    "REMINDERS_POLL_SECONDS": 5.0}  # fmt: skip
        app = create_app(settings)
        with app.app_context():
            upgrade(revision="heads")
        service_a.delay = 0.05
        start_wall, start_mono = utcnow() + timedelta(seconds=3), time.monotonic() + 3
        rows, due, kind = [], {}, {}

        def add(subscriber, what: str, at: float, endpoint: str | None = None) -> None:
            endpoint = endpoint or subscriber.endpoint
            rows.append(subscription_row(endpoint, subscriber.p256dh, subscriber.auth,
                                         start_wall + timedelta(seconds=at)))  # fmt: skip
            due[endpoint], kind[endpoint] = start_mono + at, what

        for _ in range(20):
            subscriber = service_a.make_subscriber()
            service_a.respond(subscriber, Reply(429, retry_after="86400"))
            add(subscriber, "429", -1.0)
        for what, reply in (("slow-header", Reply(dribble=2.0)), ("hung", Reply(delay=300))):
            for _ in range(10):
                subscriber = service_b.make_subscriber()
                service_b.respond(subscriber, reply)
                add(subscriber, what, -1.0)
        refused = f"http://127.0.0.1:{closed_port()}/push/"
        for n in range(10):
            add(service_b.make_subscriber(), "refused", -1.0, f"{refused}{n}")
        for n in range(args.normal):
            add(service_a.make_subscriber(), "normal", args.spread * n / args.normal)
        with app.app_context():
            db.session.execute(insert(SUB), rows)
            db.session.commit()

        fleet = Fleet(settings, logs)
        for _ in range(args.workers):
            fleet.start()
        kills: list[tuple[float, set[str]]] = []
        moments = sorted(chance.uniform(5, args.spread) for _ in range(args.kills))
        try:
            for moment in moments:
                time.sleep(max(0.0, start_mono + moment - time.monotonic()))
                fleet.kill_one(chance)
                kills.append((time.monotonic(), leased(app)))
                fleet.start()
            time.sleep(max(0.0, start_mono + args.spread + LEASE + 15 - time.monotonic()))
        finally:
            fleet.stop()
        messages = service_a.delivered() + service_b.delivered()
        with app.app_context():
            statuses = Counter(
                dict(
                    db.session.execute(
                        select(OCC.c.status, func.count()).group_by(OCC.c.status)
                    ).all()
                )
            )
            db.engine.dispose()
    report(args, messages, due, kind, kills, statuses)


def report(args, messages, due, kind, kills, statuses) -> None:
    copies = defaultdict(list)
    for message in sorted(messages, key=lambda m: m.received_at):
        copies[message.payload["o"]].append(message)
    endpoint = {o: f"http://{c[0].headers['host']}{c[0].path}" for o, c in copies.items()}
    normal = [o for o in copies if kind[endpoint[o]] == "normal"]
    late = sorted(copies[o][0].received_at - due[endpoint[o]] for o in normal)
    doubled = {o for o, c in copies.items() if len(c) > 1}
    per_kill = [0] * len(kills)
    for occurrence in doubled:  # to the first kill whose snapshot of leases held it
        holders = [k for k, (_, held) in enumerate(kills) if occurrence in held]
        if holders:
            per_kill[holders[0]] += 1
    delivered_by_kind = Counter(kind[endpoint[o]] for o in copies)

    def pct(q: float) -> str:
        return f"{late[min(len(late) - 1, int(q * len(late)))]:.2f}" if late else "-"

    print(f"\nHostile push service: {args.normal} normal reminders due over {args.spread} s, "
          f"{args.workers} workers, {args.kills} SIGKILLs (lease {LEASE} s)")  # fmt: skip
    print("| normal delivered | lateness p50 s | p99 s | max s | duplicates at the receivers "
          "| duplicates per kill | 429 / slow / hung / refused delivered |")  # fmt: skip
    print("|---|---|---|---|---|---|---|")
    hostile = "/".join(str(delivered_by_kind[k]) for k in ("429", "slow-header", "hung", "refused"))
    print(
        f"| {len(normal)} of {args.normal} | {pct(0.5)} | {pct(0.99)} "
        f"| {late[-1] if late else 0:.2f} | {sum(len(c) - 1 for c in copies.values())} "
        f"| {per_kill} | {hostile} |"
    )
    print("occurrence statuses:", dict(sorted(statuses.items())))
    if late:
        print(f"mean lateness of normal reminders {statistics.mean(late):.2f} s")
    print("shown once in a browser:", browser_check(copies))


def browser_check(copies) -> str:
    """Every copy handed to a real service worker; how many occurrences showed twice."""
    try:
        from bench.shown_once import shown_twice
    except ImportError as error:  # no Playwright here
        return f"not checked ({error})"
    twice, never = shown_twice(copies)
    return (
        f"{len(copies)} occurrences, {sum(map(len, copies.values()))} copies delivered, "
        f"{twice} shown twice, {never} never shown"
    )
