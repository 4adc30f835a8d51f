"""Helpline API throughput under gunicorn: the list (200), the same list revalidated (304),
and /healthz as the baseline, all in one run; and SQL queries per request.

    .venv/bin/python bench/helplines.py [--lines 3000] [--seconds 5] [--clients 8]
                                        [--workers 2] [--threads 4] [--max-requests 20000]

The database is a temporary SQLite file, or PostgreSQL when STEADY_BENCH_DATABASE_URL is
set (an empty database: the script creates the tables and fills them). gunicorn runs as a
child process on 127.0.0.1 with the gthread worker (keep-alive). The load generator is
bench/loadgen.py's closed loop: N threads, each with one keep-alive http.client connection,
for a fixed time and at most --max-requests requests per scenario. SQL queries are counted
in this process with a `before_cursor_execute` listener, for pages of 10 and 100 lines (they
must not differ). Not part of `make test`.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event  # noqa: E402

from backend import create_app  # noqa: E402
from backend.extensions import db  # noqa: E402
from backend.helplines.records import new_line  # noqa: E402
from backend.helplines.schemas import HelplineSchema  # noqa: E402
from bench.loadgen import Gunicorn, fetch, load  # noqa: E402

COUNTRIES = ("US", "GB", "IE", "CA", "AU", "NZ", "ES", "MX")
TOPICS = ("crisis", "substance_use", "mental_health", "family_support", "poison_overdose")
LIST_PATH = "/api/v1/helplines?country=US"


def generated_line(n: int, rng: random.Random) -> dict:
    """A plausible line: US numbers are toll-free 1-800s; hours always open or weekdays."""
    country = "US" if n % 3 == 0 else rng.choice(COUNTRIES)
    hours = (
        {"always_open": True}
        if n % 2
        else {
            "always_open": False,
            "timezone": "America/New_York",
            "periods": [{"day": d, "opens": "09:00", "closes": "17:00"} for d in range(5)],
        }
    )
    contacts = [
        {
            "kind": "chat",
            "value": f"https://example.org/{n}/chat",
            "languages": ["en"],
            "hours": hours,
        }
    ]
    if country == "US":
        contacts.insert(
            0,
            {
                "kind": "call",
                "value": f"+1800{5550000 + n:07d}",
                "languages": ["en", "es"],
                "hours": hours,
            },
        )
    return {
        "name": {"en": f"Generated line {n}", "es": f"Línea generada {n}"},
        "description": {"en": "A generated line for the benchmark. " * 3},
        "country": country,
        "topics": rng.sample(TOPICS, 2),
        "priority": n % 4,
        "source_status": "secondary",
        "contacts": contacts,
    }


def fill(app, count: int) -> None:
    """Create the tables and `count` lines (without audit rows: this is not an import)."""
    rng, schema = random.Random(3), HelplineSchema()
    with app.app_context():
        upgrade(revision="heads")
        for start in range(0, count, 500):
            db.session.add_all(
                new_line(schema.load(generated_line(n, rng)))
                for n in range(start, min(count, start + 500))
            )
            db.session.commit()


def queries_per_request(app) -> list[tuple[str, int]]:
    """SQL statements per request, counted in this process through the test client."""
    client = app.test_client()
    etag = client.get(LIST_PATH).headers["ETag"]
    cases = [
        ("/healthz", {}, ""),
        (LIST_PATH + "&per_page=10", {}, "built"),
        (LIST_PATH + "&per_page=100", {}, "built"),
        (LIST_PATH, {}, "page cache"),  # built above
        (LIST_PATH, {"If-None-Match": etag}, "If-None-Match"),
    ]
    counted = []
    with app.app_context():
        engine = db.engine
    for path, headers, how in cases:
        statements: list[str] = []

        def count(_c, _cur, statement, *_a, statements=statements):
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            status = client.get(path, headers=headers).status_code
        finally:
            event.remove(engine, "before_cursor_execute", count)
        counted.append((f"{path} {f'({how})' if how else ''} → {status}", len(statements)))
    return counted


def throwaway_vapid_key() -> str:
    """Production settings refuse to start without a VAPID key; the bench sends no pushes."""
    number = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return base64.urlsafe_b64encode(number.to_bytes(32, "big")).rstrip(b"=").decode()


def start_gunicorn(
    database_url: str, args: argparse.Namespace, log: Path, page_cache: bool
) -> Gunicorn:
    """The app as production runs it (STEADY_ENV=production), on a free local port; without
    ``page_cache`` every list is built from the database (HELPLINES_LIST_CACHE_SIZE=0)."""
    factory = (
        "backend:create_app()"
        if page_cache
        else 'backend:create_app({"HELPLINES_LIST_CACHE_SIZE": 0})'
    )
    env = {
        **os.environ,
        "STEADY_ENV": "production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(32),
        "TOTP_ENCRYPTION_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "VAPID_PRIVATE_KEY": throwaway_vapid_key(),
        # Production counts limits in Redis when it runs more than one process (issue 9, L1).
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "WEB_CONCURRENCY": str(args.workers),
        "PREFER_HTTPS": "0",
    }
    options = [
        "--workers", str(args.workers), "--worker-class", "gthread",
        "--threads", str(args.threads), "--keep-alive", "30", "--log-level", "warning",
    ]  # fmt: skip
    return Gunicorn(factory, env, log, options, probe="/healthz")


def measure(database_url: str, args: argparse.Namespace, log: Path, page_cache: bool) -> list:
    """Start gunicorn, load each scenario in turn, stop it; (name, figures) per scenario."""
    with start_gunicorn(database_url, args, log, page_cache) as server:
        etag = fetch(server.port, LIST_PATH)[1]["ETag"]
        if page_cache:
            scenarios = [
                ("GET /healthz", "/healthz", {}, 200),
                (f"GET {LIST_PATH} → 200, page cache", LIST_PATH, {}, 200),
                (
                    f"GET {LIST_PATH} If-None-Match → 304",
                    LIST_PATH,
                    {"If-None-Match": etag},
                    304,
                ),
            ]
        else:
            scenarios = [(f"GET {LIST_PATH} → 200, built each time", LIST_PATH, {}, 200)]
        return [
            (
                name,
                load(
                    server.port,
                    path,
                    headers=headers,
                    clients=args.clients,
                    seconds=args.seconds,
                    limit=args.max_requests,
                    expect=(status,),
                ),
            )
            for name, path, headers, status in scenarios
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=20000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        database_url = os.environ.get("STEADY_BENCH_DATABASE_URL") or (
            f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        )
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url})
        began = time.perf_counter()
        fill(app, args.lines)
        first = app.test_client().get(LIST_PATH)
        us_lines = json.loads(first.headers["X-Pagination"])["total"]
        kind = database_url.split("://")[0]
        filled = time.perf_counter() - began
        counted = queries_per_request(app)
        with app.app_context():
            db.engine.dispose()
        log = Path(folder) / "gunicorn.log"
        results = measure(database_url, args, log, page_cache=True)
        results += measure(database_url, args, log, page_cache=False)

    print(f"database: {kind}, {args.lines} lines ({us_lines} in the US), filled in {filled:.1f}s")
    print(
        f"gunicorn: {args.workers} workers × {args.threads} threads (gthread); "
        f"{args.clients} keep-alive clients; {args.seconds:g}s per row; "
        f"list page: 50 lines, {len(first.data)} bytes"
    )
    print(f"{'request':<66} {'n':>7} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}  statuses")
    for name, r in results:
        figures = f"{r['requests']:>7} {r['rps']:>7.0f} {r['p50']:>7.2f} {r['p99']:>7.2f}"
        print(f"{name:<66} {figures}  {r['statuses']}")
    print("\nSQL queries per request (counted in-process, before_cursor_execute):")
    for name, count in counted:
        print(f"  {name:<72} {count}")


if __name__ == "__main__":
    main()
