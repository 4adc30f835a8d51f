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
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event  # noqa: E402

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


if __name__ == "__main__":
    main()
