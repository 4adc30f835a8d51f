"""Public pages under gunicorn: first-load bytes, and requests/s with p50/p99 latency of `/`
and `/check` next to a bare "hello" Flask route (bench/hello_app.py) measured in the same run.

    .venv/bin/python bench/pages.py [--seconds 5] [--requests 20000] [--threads 8] [--workers 2]

Both apps run as `gunicorn -w <workers> -b 127.0.0.1:<port>` (sync workers, the Procfile's
kind). Steady runs with STEADY_ENV=development on a fresh SQLite file migrated with
`flask db upgrade heads`. The load generator is bench/loadgen.py's closed loop: threads,
each with its own http.client connection (kept alive when the server allows; gunicorn's sync
workers close each one), bounded by a request count and a time limit, 127.0.0.1 only.
First-load bytes are counted by testkit/first_load.py, as tests/pages/test_budget.py counts
them: the HTML, the files its <link>s and <script>s name and every module those scripts
import; text gzip-compressed at level 6.
Not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import Gunicorn, fetch, load  # noqa: E402
from testkit.first_load import first_load  # noqa: E402

PAGES = ["/", "/check", "/help-someone", "/helplines", "/privacy", "/overdose"]
LOADED = ["/", "/check"]
LANGUAGE = {"Accept-Language": "en-US"}


def first_load_bytes(port: int) -> list[tuple[str, int, int, int]]:
    """(page, files, raw bytes, sent bytes) for the first load of each public page."""

    def fetch_page(url: str) -> tuple[str, bytes]:
        status, headers, body = fetch(port, url, LANGUAGE)
        if status != 200:
            raise SystemExit(f"GET {url} answered {status}")
        return headers.get("Content-Type", ""), body

    rows = []
    for page in PAGES:
        loaded = first_load(fetch_page, page)
        rows.append((page, len(loaded), sum(r for _, r, _ in loaded), sum(s for *_, s in loaded)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="time limit per target")
    parser.add_argument("--requests", type=int, default=20_000, help="request limit per target")
    parser.add_argument("--threads", type=int, default=8, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="steady-bench-") as folder:
        folder = Path(folder)
        env = {
            **os.environ,
            "STEADY_ENV": "development",
            "FLASK_APP": "backend:create_app",
            "DATABASE_URL": f"sqlite:///{folder / 'steady.sqlite3'}",
            "SECRET_KEY": secrets.token_urlsafe(32),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        flask = str(ROOT / ".venv/bin/flask")
        subprocess.run(
            [flask, "db", "upgrade", "heads"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        workers = ["-w", str(args.workers)]
        with Gunicorn("backend:create_app()", env, folder / "steady.log", workers) as steady:
            hello_log = folder / "hello.log"
            with Gunicorn("hello_app:app", env, hello_log, workers, chdir=ROOT / "bench") as hello:
                pages = first_load_bytes(steady.port)
                targets = [("hello  /", hello.port, "/")]
                targets += [(f"steady {path}", steady.port, path) for path in LOADED]
                for _, port, path in targets:  # warm up: imports, templates, connections
                    load(port, path, headers=LANGUAGE, clients=args.threads, seconds=1, limit=200)
                results = [
                    (
                        label,
                        load(
                            port,
                            path,
                            headers=LANGUAGE,
                            clients=args.threads,
                            seconds=args.seconds,
                            limit=args.requests,
                        ),
                    )
                    for label, port, path in targets
                ]

    print("\nFirst load of each public page (HTML + CSS + JS modules + manifest + icons;")
    print("sent = text gzip-compressed at level 6, images as they are)")
    print(f"{'page':<16}{'files':>7}{'raw bytes':>12}{'sent bytes':>15}")
    for page, files, raw, sent in pages:
        print(f"{page:<16}{files:>7}{raw:>12,}{sent:>15,}")
    print(
        f"\nThroughput: gunicorn -w {args.workers} (sync), {args.threads} client threads, "
        f"up to {args.requests:,} requests or {args.seconds:g} s per target"
    )
    print(f"{'target':<16}{'requests':>10}{'errors':>8}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for label, r in results:
        print(
            f"{label:<16}{r['requests']:>10,}{r['errors']:>8}{r['rps']:>10,.0f}"
            f"{r['p50']:>9.2f}{r['p99']:>9.2f}"
        )
    hello_rps = results[0][1]["rps"]
    for label, r in results[1:]:
        print(f"{label} runs at {r['rps'] / hello_rps:.0%} of the hello route's rate")


if __name__ == "__main__":
    main()
