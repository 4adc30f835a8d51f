"""Reminder dispatch on PostgreSQL with 100,000 subscriptions: the claim (its query plans and
its time), and reminders delivered per second by 1, 2 and 4 worker processes.

    .venv/bin/python bench/dispatch.py [--subscriptions 100000] [--due 10000] [--claims 15]
                                       [--per-run 5000] [--workers 1,2,4] [--threads 8]

A scratch database (bench/postgres.py) migrated to head, filled by COPY and ANALYZEd: every
subscription with a valid P-256 key and auth secret. --per-run × runs of them are on the test
push receiver (testkit/push_receiver.py, in its own process: VAPID checked, every body
decrypted) and fall due only in their run; the others share ONE key pair on endpoints never
contacted, --due of them due within the last 10 minutes, the rest over the next 24 hours. Each
has a day-old `sent` occurrence (the week of history the table keeps).
Claim: EXPLAIN (ANALYZE, BUFFERS) of the exact SELECTs one `Dispatcher.claim()` sends, then
the median of --claims claims of one batch (retries, due subscriptions FOR UPDATE SKIP LOCKED,
occurrences inserted, subscriptions advanced, commit) and of the bare SELECT (rolled back).
Delivery: per run, N worker processes running `Dispatcher.send_due()` (what `flask reminders
send-due` runs; batches of 50, --threads send threads) start, connect and wait at a barrier;
then --per-run subscriptions fall due and the workers go. msgs/s = delivered ÷ (last worker
done − go); the receiver must count exactly --per-run, none refused, none twice.
--hostile: a hostile push service instead (429 with long Retry-After, slow headers, hung and
refused endpoints, SIGKILLed workers): bench/hostile.py says what it prints.
Not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, select, text, update  # noqa: E402

from backend import create_app  # noqa: E402
from backend.database import utcnow  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.reminders.claims import SUB, due_subscriptions  # noqa: E402
from backend.reminders.dispatch import Dispatcher  # noqa: E402
from backend.reminders.push import PushSender  # noqa: E402
from backend.reminders.service import sha256_hex  # noqa: E402
from backend.reminders.vapid import new_vapid_pem  # noqa: E402
from bench.postgres import scratch_database  # noqa: E402
from bench.push import Receiver  # noqa: E402
from bench.worker_pool import run_workers  # noqa: E402
from testkit.push_receiver import b64url  # noqa: E402

SUB_COLUMNS = (
    "id, endpoint, endpoint_hash, p256dh, auth, days, times, timezone, message, lang, "
    "next_due_at, token_hash, sent_count, failure_count, created_at, last_sent_at"
)
OCC_COLUMNS = "id, subscription_id, occurrence_at, status, attempts"
NEVER_CONTACTED = "https://push.example.net/bench/"  # endpoints of the shared key pair
DUE_INDEX = "ix_reminder_subscriptions_due"


def browser_keys() -> tuple[str, str]:
    """(p256dh, auth) as PushSubscription.toJSON() gives them: a fresh P-256 point, 16 bytes."""
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return b64url(point), b64url(os.urandom(16))


def subscription_rows(total: int, due: int, on_receiver: list, receiver_ids: list):
    """COPY rows: subscriptions on one shared key pair, `due` of them due over the last 10
    minutes and the rest over the next 24 hours; then the receiver's, due in 30 days."""
    now, (p256dh, auth), others = utcnow(), browser_keys(), total - len(on_receiver)
    rows = [
        (uuid.uuid4(), f"{NEVER_CONTACTED}{n}", p256dh, auth,
         -600 * (n + 1) / due if n < due else 86400 * (n - due) / (others - due))
        for n in range(others)
    ]  # fmt: skip
    pairs = zip(receiver_ids, on_receiver, strict=True)
    rows += [(sub_id, *keys, 30 * 86400.0) for sub_id, keys in pairs]
    for sub_id, endpoint, p256dh, auth, ahead in rows:
        yield (
            sub_id, endpoint, sha256_hex(endpoint), p256dh, auth, "[0, 1, 2, 3, 4, 5, 6]",
            '["08:00"]', "UTC", "checkin", "en", now + timedelta(seconds=ahead),
            sha256_hex(uuid.uuid4().hex), 1, 0, now - timedelta(days=30), now - timedelta(days=1),
        )  # fmt: skip


def fill(app, total: int, due: int, on_receiver: list[tuple[str, str, str]]) -> list[uuid.UUID]:
    """COPY the subscriptions and a day-old `sent` occurrence each, then ANALYZE; return the
    ids of the receiver's subscriptions."""
    receiver_ids = [uuid.uuid4() for _ in on_receiver]
    yesterday = utcnow() - timedelta(days=1)
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            with raw.cursor() as cursor:
                ids = []
                with cursor.copy(f"COPY reminder_subscriptions ({SUB_COLUMNS}) FROM STDIN") as copy:
                    for row in subscription_rows(total, due, on_receiver, receiver_ids):
                        copy.write_row(row)
                        ids.append(row[0])
                with cursor.copy(f"COPY reminder_occurrences ({OCC_COLUMNS}) FROM STDIN") as copy:
                    for sub_id in ids:
                        copy.write_row((uuid.uuid4(), sub_id, yesterday, "sent", 1))
                cursor.execute("ANALYZE reminder_subscriptions")
                cursor.execute("ANALYZE reminder_occurrences")
            raw.commit()
        finally:
            raw.close()
    return receiver_ids


def explain(app, statements: list[tuple[str, dict]]) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of each statement, in a transaction rolled back."""
    lines = []
    with app.app_context(), db.engine.connect() as connection:
        for statement, parameters in statements:
            lines.append("  " + " ".join(statement.split()))
            plan = connection.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
            lines += [f"    {row[0]}" for row in plan]
            connection.rollback()
    return lines


def measure_claims(app, count: int) -> dict:
    """Plans of the claim's SELECTs, then `count` timed claims and bare SELECTs (ms)."""
    with app.app_context(), PushSender.from_app(app) as sender:
        dispatcher, engine = Dispatcher.from_app(app, sender), db.engine
        batch = dispatcher.batch_size
        sent: list[tuple[str, dict]] = []

        def capture(_conn, _cursor, statement, parameters, _context, executemany):
            if statement.lstrip().upper().startswith("SELECT") and not executemany:
                sent.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", capture)
        try:
            dispatcher.claim(batch, Counter())  # also warms the pool and the statement cache
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        plans = explain(app, sent)
        claim_ms = []
        for _ in range(count):
            started = time.perf_counter()
            dispatcher.claim(batch, Counter())
            claim_ms.append((time.perf_counter() - started) * 1000)
        select_ms = []
        for _ in range(count):
            started = time.perf_counter()
            rows = db.session.execute(due_subscriptions(utcnow(), batch)).all()
            select_ms.append((time.perf_counter() - started) * 1000)
            db.session.rollback()
            assert len(rows) == batch
        # Forget the claims: the workers must only find the receiver's subscriptions due.
        db.session.execute(text("DELETE FROM reminder_occurrences WHERE status = 'pending'"))
        db.session.execute(
            text(
                "UPDATE reminder_subscriptions SET next_due_at = next_due_at + interval '3 days',"
                " lease_until = NULL WHERE next_due_at <= now() + interval '2 days'"
            )
        )
        db.session.commit()
        db.session.execute(text("ANALYZE reminder_subscriptions"))
        db.session.commit()
        db.engine.dispose()
    return {"plans": plans, "claim": claim_ms, "select": select_ms, "batch": batch}


def delivery_run(app, settings, receiver, ids: list[uuid.UUID], workers: int) -> dict:
    """`workers` processes send to `ids`, made due once they wait; figures and checks."""

    def make_due() -> None:
        with app.app_context():
            due = utcnow() - timedelta(seconds=30)
            db.session.execute(update(SUB).where(SUB.c.id.in_(ids)).values(next_due_at=due))
            db.session.commit()
            db.engine.dispose()

    before, _ = receiver.counts()
    run = run_workers(settings, workers, make_due, receiver.process.pid)
    after, rejected = receiver.counts()
    with app.app_context():
        query = select(func.sum(SUB.c.sent_count - 1), func.max(SUB.c.sent_count))
        sent_total, most = db.session.execute(query.where(SUB.c.id.in_(ids))).one()
        db.engine.dispose()
    per_worker = [r["counts"].get("sent", 0) for r in run["reports"]]
    assert after - before == len(ids) == sum(per_worker) == sent_total, (after - before, per_worker)
    assert rejected == 0 and most == 2, (rejected, most)  # each sent once (1 before: history)
    return {
        "workers": workers, "sent": len(ids), "seconds": run["seconds"], "per_worker": per_worker,
        "machine_busy": run["machine_busy"], "receiver_cpu": run["watched_cpu"] / run["seconds"],
        "worker_cpu_ms": 1000 * sum(r["cpu"] for r in run["reports"]) / len(ids),
    }  # fmt: skip


def report(args, runs, filled: float, load_before: float, claims: dict, deliveries) -> None:
    others, on_receiver = args.subscriptions - args.per_run * len(runs), args.per_run * len(runs)
    print(
        f"\n{args.subscriptions:,} subscriptions in PostgreSQL: {others:,} sharing one key "
        f"pair ({args.due:,} of them due), {on_receiver:,} on the receiver; and "
        f"{args.subscriptions:,} day-old occurrences; COPYed and ANALYZEd in {filled:.1f} s"
    )
    print(
        f"load average (1 min) before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f} "
        f"({os.cpu_count()} cores)"
    )
    print("\nEXPLAIN (ANALYZE, BUFFERS) of the SELECTs one Dispatcher.claim() sent:")
    print("\n".join(claims["plans"]))
    uses = any(DUE_INDEX in line and "Index" in line for line in claims["plans"])
    print(f"\nThe due-subscriptions claim uses {DUE_INDEX}: {'yes' if uses else 'NO'}")
    batch = claims["batch"]
    timed = {
        f"claim one batch of {batch} (retries, then due SELECT … FOR UPDATE SKIP LOCKED; "
        f"{batch} occurrences inserted, {batch} subscriptions advanced; commit)": claims["claim"],
        f"SELECT … FOR UPDATE SKIP LOCKED of {batch} due subscriptions alone (rolled back)": (
            claims["select"]
        ),
    }
    for label, values in timed.items():
        print(
            f"{label}: median {statistics.median(values):.2f} ms, min {min(values):.2f}, "
            f"max {max(values):.2f} ({len(values)} times)"
        )
    print(
        f"\nDelivery to the local receiver: {args.per_run:,} due subscriptions per run, "
        f"{args.threads} send threads per worker, the receiver in its own process"
    )
    print(
        "| workers | delivered | seconds | msgs/s | sent by each worker | machine CPU busy "
        "| receiver CPU | worker CPU ms/msg |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for r in deliveries:
        print(
            f"| {r['workers']} | {r['sent']:,} | {r['seconds']:.2f} "
            f"| {r['sent'] / r['seconds']:,.0f} | {'/'.join(map(str, r['per_worker']))} "
            f"| {r['machine_busy']:.0%} | {r['receiver_cpu']:.0%} of a core "
            f"| {r['worker_cpu_ms']:.2f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000, help="of the others, due now")
    parser.add_argument("--claims", type=int, default=15, help="timed claims (median)")
    parser.add_argument("--per-run", type=int, default=5000, help="receiver subscriptions/run")
    parser.add_argument("--workers", default="1,2,4", help="worker processes per run")
    parser.add_argument("--threads", type=int, default=8, help="REMINDERS_SEND_THREADS")
    parser.add_argument("--hostile", action="store_true", help="the hostile run (hostile.py)")
    parser.add_argument("--normal", type=int, default=1000, help="hostile: normal reminders")
    parser.add_argument("--spread", type=float, default=30.0, help="hostile: seconds they span")
    parser.add_argument("--kills", type=int, default=3, help="hostile: workers SIGKILLed")
    parser.add_argument("--seed", type=int, default=12, help="hostile: random seed")
    args = parser.parse_args()
    if args.hostile:
        from bench import hostile

        args.workers = int(args.workers.split(",")[0]) if "," not in args.workers else 2
        hostile.run(args)
        return
    runs = [int(n) for n in args.workers.split(",")]
    load_before = os.getloadavg()[0]

    pem, _ = new_vapid_pem()
    with scratch_database("steady_bench_dispatch") as url:
        settings = {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "VAPID_PRIVATE_KEY": pem.decode(),
            "REMINDERS_SEND_THREADS": args.threads,
        }
        app = create_app(settings)
        with app.app_context():
            upgrade(revision="heads")
        receiver = Receiver(args.per_run * len(runs), 0.0)
        try:
            began = time.perf_counter()
            receiver_ids = fill(app, args.subscriptions, args.due, receiver.subscribers)
            filled = time.perf_counter() - began
            claims = measure_claims(app, args.claims)
            deliveries = []
            for k, workers in enumerate(runs):
                ids = receiver_ids[k * args.per_run : (k + 1) * args.per_run]
                deliveries.append(delivery_run(app, settings, receiver, ids, workers))
        finally:
            receiver.stop()
            with app.app_context():
                db.engine.dispose()
    report(args, runs, filled, load_before, claims, deliveries)


if __name__ == "__main__":
    main()
