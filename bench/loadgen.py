"""The HTTP benchmarks' shared parts: gunicorn in a child process on 127.0.0.1, and a plain
Python load generator (bench/pages.py, bench/helplines.py and bench/load.py use them).

    with Gunicorn("backend:create_app()", env, log_path, ["-w", "2"]) as server:
        figures = load(server.port, "/healthz", clients=8, seconds=5, limit=20_000)

`load()` runs in one of two ways, always bounded by a request count and a time limit:
- closed loop (the default): `clients` threads, each with its own http.client connection
  (kept alive when the server allows; gunicorn's sync workers close each one), send the next
  request as soon as the last one is answered: this finds how many requests/s the server
  can answer;
- paced (`rate=` requests/s): request i is due at start + i / rate, whoever is free sends it,
  and its latency counts from when it was due, not from when it was sent, so a server that
  falls behind shows its queue in the percentiles (no "coordinated omission").
The figures: answers with an expected status (`requests`, their `rps`, `p50`/`p99` in ms),
`errors` (other statuses, refused or broken connections), every `statuses` count, and
`client_cpu`: the share of one core this process spent generating the load.
`Gunicorn.cpu_seconds()` is the server's own CPU time, for its cost per request.
Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import http.client
import itertools
import os
import socket
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def fetch(
    port: int, path: str, headers: dict | None = None
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One GET on a new connection: (status, response headers, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


class Gunicorn:
    """`gunicorn <options> -b 127.0.0.1:<free port> <app>` as a child process, its output
    appended to `log_path`; ready once GET `probe` answers 200. A context manager."""

    def __init__(
        self,
        app: str,
        env: dict,
        log_path: Path,
        options: Sequence[str] = (),
        *,
        chdir: Path = ROOT,
        probe: str = "/",
        start_timeout: float = 30.0,
    ) -> None:
        self.port = free_port()
        self.log_path = log_path
        # The app logs a line per request: to a file, never an unread pipe (it would block).
        self.log = log_path.open("ab")
        command = [str(GUNICORN), *options, "-b", f"{HOST}:{self.port}", "--chdir", str(chdir)]
        self.process = subprocess.Popen(
            [*command, app], cwd=chdir, env=env, stdout=self.log, stderr=self.log
        )
        deadline = time.monotonic() + start_timeout
        while not self.answers(probe):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                tail = log_path.read_text(errors="replace")[-2000:]
                raise SystemExit(f"gunicorn for {app} did not start; {log_path}:\n{tail}")
            time.sleep(0.1)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server has used so far: the master and every worker
        (all their threads), read from /proc. Unlike requests/s, this does not move when other
        work shares the machine, so per request it is the server's own cost."""
        tick = os.sysconf("SC_CLK_TCK")
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended while we looked
            pid, parent = int(stat.parent.name), int(fields[1])
            if self.process.pid in (pid, parent):
                total += int(fields[11]) + int(fields[12])  # utime, stime (man 5 proc)
        return total / tick

    def answers(self, path: str) -> bool:
        try:
            status, _, _ = fetch(self.port, path)
        except OSError:
            return False
        return status == 200

    def stop(self) -> None:
        """SIGTERM (gunicorn's graceful shutdown), then SIGKILL after 30 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def __enter__(self) -> Gunicorn:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """The p-quantile (0..1) of already sorted values, nearest rank; NaN when empty."""
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(p * len(sorted_values)))]


def load(
    port: int,
    path: str,
    *,
    method: str = "GET",
    headers: dict | None = None,
    bodies: Iterator[bytes] | None = None,
    clients: int = 8,
    seconds: float = 5.0,
    limit: int = 20_000,
    expect: Sequence[int] = (200,),
    rate: float | None = None,
) -> dict:
    """Send `method path` to 127.0.0.1:`port` (each body the next of `bodies`) and return the
    figures described in the module docstring; latencies in milliseconds."""
    lock = threading.Lock()
    slots = itertools.count()
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors = [0]
    headers = dict(headers or {})
    if bodies is not None:
        headers.setdefault("Content-Type", "application/json")
    began = time.perf_counter()
    stop_at = began + seconds
    # A paced run that falls behind may drain its backlog for a while, but not for ever.
    give_up_at = began + (3 * seconds if rate else seconds)

    def next_request() -> tuple[float, bytes | None] | None:
        """(when it is due, body), or None when the run is over."""
        with lock:
            slot = next(slots)
            due = began + slot / rate if rate else time.perf_counter()
            if slot >= limit or due >= stop_at or time.perf_counter() >= give_up_at:
                return None
            return due, (next(bodies) if bodies is not None else None)

    def client() -> None:
        connection: http.client.HTTPConnection | None = None
        mine: list[float] = []
        codes: Counter = Counter()
        failed = 0
        while (taken := next_request()) is not None:
            due, body = taken
            if (wait := due - time.perf_counter()) > 0:
                time.sleep(wait)
            started = due if rate else time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(HOST, port, timeout=10)
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                codes[response.status] += 1
                if response.status in expect:
                    mine.append((time.perf_counter() - started) * 1000)
                else:
                    failed += 1
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException):
                failed += 1
                codes["refused or broken"] += 1
                if connection is not None:
                    connection.close()
                connection = None
        if connection is not None:
            connection.close()
        with lock:
            latencies.extend(mine)
            statuses.update(codes)
            errors[0] += failed

    cpu = time.process_time()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    cpu = time.process_time() - cpu
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / elapsed,
        "p50": percentile(latencies, 0.50),
        "p99": percentile(latencies, 0.99),
        "statuses": dict(statuses),
        "seconds": elapsed,
        "client_cpu": cpu / elapsed,
    }
