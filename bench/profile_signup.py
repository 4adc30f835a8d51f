"""Where `POST /api/v1/reminders` spends its time: cProfile over many sign-ups in one process.

    .venv/bin/python bench/profile_signup.py [--requests 2000] [--postgres] [--redis]
        [--top 25] [--sort tottime|cumulative] [--wall]

The app is built with production's checks (the push-host allow-list, no loopback endpoints)
on a scratch SQLite file, or with --postgres on a throwaway PostgreSQL database
(bench/postgres.py); --redis counts the rate limit in Redis at 127.0.0.1:6379 as production
does with several processes. Every request is a new browser's subscription, made as
bench/load.py makes them, sent through Flask's test client (no HTTP server: the figures are
the app's own). Prints the wall and CPU time per request, the SQL statements per request,
and the profile's top functions: by CPU time (what the server's cores pay), or with --wall
by wall time (waiting on the databases too). Not part of `make test`.

Then, without the profiler, the CPU time of the three parts every sign-up needs, each timed
inside real sign-ups (so with the caches as a request leaves them, not warm as in a loop):
the per-address count in the limiter's storage (limits), reading and checking the body
(webargs and marshmallow, through flask-smorest), and the INSERT with its connection
(SQLAlchemy and psycopg); next to what twice /healthz's CPU leaves for everything a sign-up
adds to a request (issue 15's target). Their sum is a floor for that target as long as these
libraries do these jobs.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import pstats
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from limits.strategies import FixedWindowRateLimiter  # noqa: E402
from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Connection, Engine  # noqa: E402
from webargs.core import Parser  # noqa: E402

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from bench.load import PUSH_ORIGIN, subscription_bodies  # noqa: E402
from bench.postgres import scratch_database  # noqa: E402

PATH = "/api/v1/reminders"


def make_app(database_url: str, redis: bool):
    """A testing app with production's endpoint checks, on `database_url`, migrated."""
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0" if redis else "memory://",
            "REMINDERS_CREATE_RATE_LIMIT": "1000000/hour",
            "REMINDERS_ALLOW_LOOPBACK_ENDPOINTS": False,
            "REMINDERS_PUSH_HOSTS": (PUSH_ORIGIN.removeprefix("https://"),),
        }
    )
    with app.app_context():
        upgrade(revision="heads")
    return app


def post_all(client, bodies: list[bytes]) -> None:
    for body in bodies:
        response = client.post(PATH, data=body, content_type="application/json")
        assert response.status_code == 201, response.get_data(as_text=True)


def cpu_per_request(client, count: int, send) -> tuple[float, float]:
    """(wall µs, CPU µs) per request over `count` calls of `send(client, i)`."""
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(count):
        send(client, i)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return wall * 1e6 / count, cpu * 1e6 / count


def healthz(client, _i: int) -> None:
    assert client.get("/healthz").status_code == 200


# (label, [(class, method), …]): the parts every sign-up needs, as the libraries do them.
PARTS = (
    ("the per-address count in the limiter's storage", [(FixedWindowRateLimiter, "hit")]),
    ("reading and checking the body (webargs, marshmallow)", [(Parser, "parse")]),
    (
        "the INSERT … RETURNING and its connection (SQLAlchemy, psycopg)",
        [(Engine, "connect"), (Connection, "execute"), (Connection, "close")],
    ),
)


@contextmanager
def timing_parts():
    """While open, add the CPU time spent in each of PARTS' methods to its label's total."""
    totals = dict.fromkeys((label for label, _ in PARTS), 0.0)
    originals = []
    for label, methods in PARTS:
        for owner, name in methods:
            original = getattr(owner, name)
            originals.append((owner, name, original))

            def timed(*args, _original=original, _label=label, **kwargs):
                started = time.thread_time()
                try:
                    return _original(*args, **kwargs)
                finally:
                    totals[_label] += time.thread_time() - started

            setattr(owner, name, functools.wraps(original)(timed))
    try:
        yield totals
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def print_parts(totals: dict, count: int, cpu: float, base_cpu: float) -> None:
    print("\n# The parts every sign-up needs, timed inside sign-ups (CPU µs per sign-up)")
    print("| part | µs |\n| --- | --- |")
    for label, seconds in totals.items():
        print(f"| {label} | {seconds * 1e6 / count:,.0f} |")
    floor = sum(totals.values()) * 1e6 / count
    print(f"| the three together | {floor:,.0f} |")
    print(f"| the whole sign-up | {cpu:,.0f} |")
    print(f"| GET /healthz, the whole request | {base_cpu:,.0f} |")
    print(f"| what 2× /healthz leaves for all a sign-up adds to a request | {base_cpu:,.0f} |")
    verdict = "within" if floor <= base_cpu else "over"
    print(f"The three parts alone are {verdict} that allowance ({floor / base_cpu:.2f}× of it).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--redis", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumulative"])
    parser.add_argument(
        "--wall", action="store_true", help="profile wall time (waits too), not CPU time"
    )
    args = parser.parse_args()

    with ExitStack() as stack:
        if args.postgres:
            database_url = stack.enter_context(scratch_database("steady_bench_signup"))
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="steady-signup-"))
            database_url = f"sqlite:///{folder}/signup.sqlite3"
        app = make_app(database_url, args.redis)
        client = app.test_client()
        post_all(client, subscription_bodies(100))  # warm up: imports, pools, caches
        bodies = subscription_bodies(args.requests)
        statements = []
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", lambda *a: statements.append(1))

        cpu_per_request(client, 200, healthz)  # warm up
        # /healthz before and after the sign-ups, in the same process: the ratio is what
        # bench/load.py's target is about, and it moves less than either figure on a busy box.
        base = [cpu_per_request(client, args.requests, healthz)]
        before = len(statements)
        wall, cpu = cpu_per_request(client, args.requests, lambda c, i: post_all(c, [bodies[i]]))
        count = len(statements) - before
        base.append(cpu_per_request(client, args.requests, healthz))
        base_cpu = sum(b[1] for b in base) / 2

        with timing_parts() as totals:
            bodies = subscription_bodies(args.requests)
            _, parts_cpu = cpu_per_request(
                client, args.requests, lambda c, i: post_all(c, [bodies[i]])
            )

        profile = cProfile.Profile() if args.wall else cProfile.Profile(time.process_time)
        bodies = subscription_bodies(args.requests)
        profile.enable()
        post_all(client, bodies)
        profile.disable()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()

    n = args.requests
    storage = "Redis" if args.redis else "memory"
    print(f"# POST {PATH}: {n:,} sign-ups, {'PostgreSQL' if args.postgres else 'SQLite'}, ", end="")
    print(f"rate limit counted in {storage}")
    print(f"wall {wall:,.0f} µs/request, CPU {cpu:,.0f} µs/request, ", end="")
    print(f"{count / n:.1f} SQL statements/request")
    print(f"GET /healthz: CPU {base_cpu:,.0f} µs/request; the sign-up costs {cpu / base_cpu:.2f}×")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())
    print_parts(totals, n, parts_cpu, base_cpu)


if __name__ == "__main__":
    main()
