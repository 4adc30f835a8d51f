"""Public pages under gunicorn: first-load bytes, and requests/s with p50/p99 latency of `/`
and `/check` next to a bare "hello" Flask route (bench/hello_app.py) measured in the same run.

    .venv/bin/python bench/pages.py [--seconds 5] [--requests 20000] [--threads 8] [--workers 2]

Both apps run as `gunicorn -w <workers> -b 127.0.0.1:<port>` (sync workers, the Procfile's
kind). Steady runs with STEADY_ENV=development on a fresh SQLite file migrated with
`flask db upgrade heads`. The load generator is plain Python: threads, each with its own
http.client connection (kept alive when the server allows; gunicorn's sync workers close
each one), bounded by a request count and a time limit, talking to 127.0.0.1 only.
First-load bytes follow tests/pages/test_budget.py: the HTML, the files its <link>s and
<script>s name and every module those scripts import; text gzip-compressed at level 6.
Not part of `make test`.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pages.test_budget import first_load  # noqa: E402

HOST = "127.0.0.1"
PAGES = ["/", "/check", "/help-someone", "/helplines", "/privacy", "/overdose"]
LOADED = ["/", "/check"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    """One gunicorn serving `app` on a free port of 127.0.0.1, its log in `log_path`."""

    def __init__(self, app: str, workers: int, env: dict, log_path: Path, chdir: Path) -> None:
        self.port = free_port()
        self.log = log_path.open("wb")
        command = [str(ROOT / ".venv/bin/gunicorn"), "-w", str(workers)]
        command += ["-b", f"{HOST}:{self.port}", "--chdir", str(chdir), app]
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 30
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"gunicorn for {app} did not start; see {log_path}")
            time.sleep(0.1)

    def answers(self) -> bool:
        try:
            status, _, _ = get(HOST, self.port, "/")
        except OSError:
            return False
        return status == 200

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def get(host: str, port: int, path: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection(host, port, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Language": "en-US"})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def first_load_bytes(port: int) -> list[tuple[str, int, int, int]]:
    """(page, files, raw bytes, sent bytes) for the first load of each public page."""

    def fetch(url: str) -> tuple[str, bytes]:
        status, content_type, body = get(HOST, port, url)
        if status != 200:
            raise SystemExit(f"GET {url} answered {status}")
        return content_type, body

    rows = []
    for page in PAGES:
        loaded = first_load(fetch, page)
        rows.append((page, len(loaded), sum(r for _, r, _ in loaded), sum(s for *_, s in loaded)))
    return rows


def load(port: int, path: str, threads: int, seconds: float, limit: int) -> dict:
    """Requests/s and latency percentiles of GET `path`, bounded by `limit` and `seconds`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    remaining = [limit]
    deadline = time.perf_counter() + seconds

    def take() -> bool:
        with lock:
            if remaining[0] <= 0 or time.perf_counter() >= deadline:
                return False
            remaining[0] -= 1
            return True

    def client() -> None:
        connection = None
        mine: list[float] = []
        while take():
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(HOST, port, timeout=10)
                connection.request("GET", path, headers={"Accept-Language": "en-US"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                ok = False
                if connection is not None:
                    connection.close()
                connection = None
            if ok:
                mine.append(time.perf_counter() - started)
            else:
                with lock:
                    errors[0] += 1
        if connection is not None:
            connection.close()
        with lock:
            latencies.extend(mine)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies.sort()

    def percentile(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000

    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / elapsed,
        "p50": percentile(0.50) if latencies else float("nan"),
        "p99": percentile(0.99) if latencies else float("nan"),
    }


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
        steady = Gunicorn("backend:create_app()", args.workers, env, folder / "steady.log", ROOT)
        try:
            hello = Gunicorn(
                "hello_app:app", args.workers, env, folder / "hello.log", ROOT / "bench"
            )
            try:
                pages = first_load_bytes(steady.port)
                targets = [("hello  /", hello.port, "/")]
                targets += [(f"steady {path}", steady.port, path) for path in LOADED]
                for _, port, path in targets:  # warm up: imports, templates, connections
                    load(port, path, args.threads, 1.0, 200)
                results = [
                    (label, load(port, path, args.threads, args.seconds, args.requests))
                    for label, port, path in targets
                ]
            finally:
                hello.stop()
        finally:
            steady.stop()

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
