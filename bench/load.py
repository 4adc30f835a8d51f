"""Steady's pages and API under gunicorn on PostgreSQL, each next to /healthz in the same run:
requests/s, p50/p99 latency, and issue 5's targets.

    .venv/bin/python bench/load.py [--configs 2x1,2x4] [--levels 1,2,4,8,16,32]
        [--probe-seconds 2] [--seconds 3] [--paced-seconds 4] [--max-requests 20000]
        [--rounds 3] [--without-memory]

Set-up: a database steady_bench_load_<random> on PostgreSQL at 127.0.0.1 (bench/postgres.py),
`flask db upgrade heads`, then `flask steady prepare` (loads the seed directory); dropped at
the end. The app runs as the Procfile's web process, `gunicorn -c backend/gunicorn_conf.py
"backend:create_app()"`, bound to 127.0.0.1 only, with STEADY_ENV=production,
WEB_CONCURRENCY workers and GUNICORN_THREADS threads each (`--configs WxT`; the web process
is always gunicorn's gthread worker, which keeps connections alive: issue 9, M5). For
`POST /api/v1/reminders` every body is a new subscription with keys made as a browser makes
them (testkit/push_receiver.py's Subscriber) and an endpoint on a public-looking host under
.invalid, made the one allowed push service (REMINDERS_PUSH_HOSTS) and never resolved;
nothing is pushed (no worker runs), so nothing ever connects to it. REMINDERS_CREATE_RATE_LIMIT
is raised so the limiter counts every request but refuses none.

For each gunicorn setting:
1. /healthz's peak: closed loop (bench/loadgen.py) at each client count of --levels; the
   peak is the best requests/s, reached with C clients.
2. Throughput: each endpoint with C clients, right after /healthz with C clients; the ratio
   is /healthz's requests/s over the endpoint's. --rounds such pairs are run and the median
   one is shown, with the lowest and highest ratio: on a shared machine one pair is noise.
   Beside it, the server's own CPU per answered request (master and workers, from /proc)
   and its median ratio to /healthz's: the cost of a request, which other work on the
   machine does not move.
3. Half load, read two ways: /healthz and each endpoint paced at half /healthz's peak
   (requests sent on a fixed schedule, latency counted from when each was due, so queueing
   shows: the stricter reading); and closed loop with the client count at which /healthz
   gives nearest half its peak (never more requests in flight than clients).
Each web process keeps rendered public pages, built API list pages and the directory's
fingerprint in memory (docs/deploy.md), so after the warm-up a row measures a repeat: what a
busy service mostly serves. --without-memory turns all three off, to show what they save:
then every page is rendered and every list built and fingerprinted from the database.
Targets (issue 5): the directory API within 1.5× of /healthz, its 304 within 1.1×, p99 under
50 ms at half load. The load generator shares the machine's cores with the server: the share
of one core it used is printed with each row. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import os
import secrets
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from backend.reminders.vapid import new_vapid_pem  # noqa: E402
from bench.loadgen import Gunicorn, fetch, load  # noqa: E402
from bench.postgres import scratch_database  # noqa: E402
from testkit.push_receiver import Subscriber  # noqa: E402

LANGUAGE = {"Accept-Language": "en-US"}
API_LIST = "/api/v1/helplines?country=US"
PUSH_ORIGIN = "https://push.bench.steady.invalid"
# --without-memory: every page rendered, every list built, the fingerprint read every time.
MEMORY_SETTINGS = ("PAGE_CACHE_SIZE", "HELPLINES_LIST_CACHE_SIZE", "HELPLINES_FINGERPRINT_SECONDS")
SCHEDULE = {"days": [0, 1, 2, 3, 4, 5, 6], "times": ["08:00", "20:30"], "timezone": "UTC"}
DIRECTORY_API_TARGET = 1.5  # /healthz req/s ÷ the list's, at most
NOT_MODIFIED_TARGET = 1.1  # /healthz req/s ÷ the 304's, at most
P99_TARGET_MS = 50.0


@dataclass(frozen=True)
class Target:
    label: str
    path: str
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    expect: tuple[int, ...] = (200,)
    ratio_target: float | None = None


def targets(etag: str) -> list[Target]:
    return [
        Target("GET /", "/"),
        Target("GET /check", "/check"),
        Target("GET /helplines?country=US", "/helplines?country=US"),
        Target(f"GET {API_LIST} → 200", API_LIST, ratio_target=DIRECTORY_API_TARGET),
        Target(
            f"GET {API_LIST} → 304",
            API_LIST,
            headers={"If-None-Match": etag},
            expect=(304,),
            ratio_target=NOT_MODIFIED_TARGET,
        ),
        # 201 for a new endpoint; 200 only if the bodies ran out and one was sent again.
        Target("POST /api/v1/reminders", "/api/v1/reminders", "POST", expect=(201, 200)),
    ]


HEALTHZ = Target("GET /healthz", "/healthz")


def app_env(database_url: str) -> dict:
    """Production settings (its secrets made up for the run) on the scratch database."""
    pem, _ = new_vapid_pem()
    return {
        **os.environ,
        "STEADY_ENV": "production",
        "FLASK_APP": "backend:create_app",
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(48),
        "TOTP_ENCRYPTION_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "VAPID_PRIVATE_KEY": pem.decode(),
        # Production counts limits in Redis when it runs more than one process (issue 9, L1).
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
        "REMINDERS_CREATE_RATE_LIMIT": "1000000/hour",
        "REMINDERS_PUSH_HOSTS": PUSH_ORIGIN.removeprefix("https://"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def prepare(env: dict) -> str:
    """Migrate and load the seed, as a deploy's release step and `make run` do."""
    flask = str(ROOT / ".venv" / "bin" / "flask")
    subprocess.run(
        [flask, "db", "upgrade", "heads"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    done = subprocess.run(
        [flask, "steady", "prepare"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return " ".join(line for line in done.stdout.splitlines() if line.startswith("helplines"))


def subscription_bodies(count: int) -> list[bytes]:
    """`count` POST bodies, each a new browser's subscription (never pushed to)."""
    bodies = []
    for _ in range(count):
        path = f"/push/{secrets.token_urlsafe(16)}"
        subscriber = Subscriber(
            path=path,
            endpoint=PUSH_ORIGIN + path,
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth_secret=secrets.token_bytes(16),
        )
        body = {
            "subscription": subscriber.subscription,
            "schedule": SCHEDULE,
            "message": "checkin",
            "lang": "en",
        }
        bodies.append(json.dumps(body).encode())
    return bodies


def hit(server: Gunicorn, target: Target, bodies, **bounds) -> dict:
    """Load one target; its figures, with the server's CPU µs per answered request."""
    cpu = server.cpu_seconds()
    figures = load(
        server.port,
        target.path,
        method=target.method,
        headers={**LANGUAGE, **target.headers},
        bodies=bodies if target.method == "POST" else None,
        expect=target.expect,
        **bounds,
    )
    answered = figures["requests"] + figures["errors"]
    figures["server_us"] = (server.cpu_seconds() - cpu) * 1e6 / answered if answered else 0.0
    return figures


def median_pair(server: Gunicorn, target: Target, bodies, closed: dict, rounds: int) -> tuple:
    """(target, /healthz, endpoint) for the round with the median ratio, over `rounds` rounds
    of /healthz then the endpoint: on a shared machine one round is mostly noise. The spread
    of the ratios, and the median ratio of server CPU per request, go into the endpoint's row."""
    runs, cpu = [], []
    for _ in range(rounds):
        base, r = hit(server, HEALTHZ, None, **closed), hit(server, target, bodies, **closed)
        runs.append((base["rps"] / r["rps"] if r["rps"] else float("inf"), base, r))
        cpu.append(r["server_us"] / base["server_us"] if base["server_us"] else float("inf"))
    runs.sort(key=lambda run: run[0])
    _, base, r = runs[len(runs) // 2]
    spread = (runs[0][0], runs[-1][0])
    return target, base, {**r, "spread": spread, "cpu_ratio": sorted(cpu)[len(cpu) // 2]}


def bench_setting(env: dict, workers: int, threads: int, args, log: Path) -> dict:
    """Peak, throughput pairs and the two half-load readings for one gunicorn setting."""
    env = {**env, "WEB_CONCURRENCY": str(workers), "GUNICORN_THREADS": str(threads)}
    options = ["-c", "backend/gunicorn_conf.py"]
    bodies = itertools.cycle(subscription_bodies(args.subscriptions))
    with Gunicorn("backend:create_app()", env, log, options, probe="/healthz") as server:
        port = server.port
        status, headers, _ = fetch(port, API_LIST, LANGUAGE)
        assert status == 200, f"GET {API_LIST} answered {status}"
        rows = targets(headers["ETag"])
        for target in [HEALTHZ, *rows]:  # warm up: imports, templates, pools, page cache
            hit(server, target, bodies, clients=4, seconds=1, limit=500)
        curve = [
            (clients, hit(server, HEALTHZ, None, clients=clients, seconds=args.probe_seconds))
            for clients in args.levels
        ]
        peak_clients, peak = max(curve, key=lambda level: level[1]["rps"])
        closed = {"clients": peak_clients, "seconds": args.seconds, "limit": args.max_requests}
        pairs = [median_pair(server, t, bodies, closed, args.rounds) for t in rows]
        rate = peak["rps"] / 2
        paced = {"clients": args.paced_clients, "seconds": args.paced_seconds, "rate": rate}
        half_paced = [(t, hit(server, t, bodies, limit=10**9, **paced)) for t in [HEALTHZ, *rows]]
        # A row that cannot keep that pace at all: paced again at half its own throughput.
        own_half = [
            (t, hit(server, t, bodies, limit=10**9, **{**paced, "rate": r["rps"] / 2}))
            for (t, _base, r) in pairs
            if r["rps"] < rate
        ]
        # The other reading: the client count at which /healthz gives nearest half its peak.
        half_clients = min(curve, key=lambda level: abs(level[1]["rps"] - rate))[0]
        few = {"clients": half_clients, "seconds": args.probe_seconds}
        half_closed = [(t, hit(server, t, bodies, **few)) for t in [HEALTHZ, *rows]]
    kind = "gthread"
    return {
        "name": f"{workers} workers × {threads} thread{'s' * (threads > 1)} ({kind})",
        "curve": curve,
        "peak_clients": peak_clients,
        "peak": peak["rps"],
        "pairs": pairs,
        "rate": rate,
        "half_paced": half_paced,
        "own_half": own_half,
        "half_clients": half_clients,
        "half_closed": half_closed,
    }


def print_latencies(rows: list, reading: str) -> str:
    """A latency table (p99 against 50 ms); return the verdict line for the targets."""
    print(
        f"| {'endpoint':<42} | {'sent':>6} | {'req/s':>6} | {'p50 ms':>7} | {'p99 ms':>8} "
        f"| {'p99<50ms':<8} | {'client CPU':>10} | statuses"
    )
    print(f"|{'-' * 44}|{'-' * 8}|{'-' * 8}|{'-' * 9}|{'-' * 10}|{'-' * 10}|{'-' * 12}|---")
    met, missed = [], []
    for target, r in rows:
        ok = r["p99"] < P99_TARGET_MS
        (met if ok else missed).append(f"{target.label} ({r['p99']:.1f} ms)")
        print(
            f"| {target.label:<42} | {r['requests'] + r['errors']:>6,} | {r['rps']:>6,.0f} "
            f"| {r['p50']:>7.2f} | {r['p99']:>8.2f} | {'✓' if ok else '✗':<8} "
            f"| {r['client_cpu']:>9.0%} | {r['statuses']}"
        )
    return (
        f"p99 < 50 ms, {reading}: met by {', '.join(met) or 'none'}; "
        f"NOT met by {', '.join(missed) or 'none'}"
    )


def print_setting(result: dict, args) -> list[str]:
    """Print one setting's tables; return its target verdicts."""
    name, verdicts = result["name"], []
    print(f"\n## gunicorn -c backend/gunicorn_conf.py: {name}")
    curve = ", ".join(f"{c}: {r['rps']:,.0f}" for c, r in result["curve"])
    print(f"/healthz req/s by client count ({args.probe_seconds:g} s each): {curve}")
    print(f"peak {result['peak']:,.0f} req/s with {result['peak_clients']} clients")
    print(
        f"\nThroughput: closed loop, {result['peak_clients']} clients, {args.seconds:g} s or "
        f"{args.max_requests:,} requests per row; /healthz measured just before each endpoint, "
        f"{args.rounds} round{'s' * (args.rounds > 1)}: the median round shown, with the spread"
    )
    print(
        f"| {'endpoint':<42} | {'req/s':>6} | {'p50 ms':>6} | {'p99 ms':>7} | {'/healthz':>8} "
        f"| {'ratio':>6} | {'spread':>11} | {'target':<9} | {'server µs':>9} | {'CPU ratio':>9} "
        f"| {'client CPU':>10} | statuses"
    )
    print(
        f"|{'-' * 44}|{'-' * 8}|{'-' * 8}|{'-' * 9}|{'-' * 10}|{'-' * 8}|{'-' * 13}|{'-' * 11}"
        f"|{'-' * 11}|{'-' * 11}|{'-' * 12}|---"
    )
    for target, base, r in result["pairs"]:
        ratio = base["rps"] / r["rps"] if r["rps"] else float("inf")
        verdict = "—"
        if target.ratio_target is not None:
            ok = ratio <= target.ratio_target
            verdict = f"≤{target.ratio_target:g}× {'✓' if ok else '✗'}"
            verdicts.append(
                f"{name}: {target.label} at {ratio:.2f}× of /healthz's req/s "
                f"(target ≤ {target.ratio_target:g}×): {'met' if ok else 'NOT met'}"
            )
            cpu_ok = r["cpu_ratio"] <= target.ratio_target
            verdicts.append(
                f"{name}: {target.label} at {r['cpu_ratio']:.2f}× /healthz's server CPU per "
                f"request (target ≤ {target.ratio_target:g}×): {'met' if cpu_ok else 'NOT met'}"
            )
        print(
            f"| {target.label:<42} | {r['rps']:>6,.0f} | {r['p50']:>6.2f} | {r['p99']:>7.2f} "
            f"| {base['rps']:>8,.0f} | {ratio:>5.2f}× | {r['spread'][0]:.2f}–{r['spread'][1]:.2f}× "
            f"| {verdict:<9} | {r['server_us']:>9,.0f} | {r['cpu_ratio']:>8.2f}× "
            f"| {r['client_cpu']:>9.0%} | {r['statuses']}"
        )
    rate, due = result["rate"], result["rate"] * args.paced_seconds
    print(
        f"\nHalf load, paced: {rate:,.0f} req/s (half /healthz's peak), {due:,.0f} requests"
        f" due over {args.paced_seconds:g} s per row (a row that falls behind stops at "
        f"{3 * args.paced_seconds:g} s: sent < due); latency from when each request was due"
    )
    reading = f"paced at {rate:,.0f} req/s"
    verdicts.append(f"{name}: " + print_latencies(result["half_paced"], reading))
    if result["own_half"]:
        print(
            "\nSlower than that pace even at full load, so paced again at half their own "
            "throughput (for their latency under load; not a target)"
        )
        print_latencies(result["own_half"], "paced at half their own throughput")
    clients = result["half_clients"]
    print(
        f"\nHalf load, closed loop: {clients} client{'s' * (clients > 1)} (where /healthz gives "
        f"nearest half its peak), {args.probe_seconds:g} s per row"
    )
    reading = f"closed loop with {clients} client{'s' * (clients > 1)}"
    verdicts.append(f"{name}: " + print_latencies(result["half_closed"], reading))
    return verdicts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--configs", default="2x1,2x4", help="gunicorn WORKERSxTHREADS, …")
    parser.add_argument("--levels", default="1,2,4,8,16,32", help="client counts for the peak")
    parser.add_argument("--probe-seconds", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=3.0, help="per throughput row")
    parser.add_argument("--paced-seconds", type=float, default=4.0, help="per half-load row")
    parser.add_argument("--paced-clients", type=int, default=32)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument(
        "--rounds", type=int, default=3, help="throughput rounds per row; the median is shown"
    )
    parser.add_argument("--subscriptions", type=int, default=10_000, help="POST bodies/setting")
    parser.add_argument(
        "--without-memory",
        action="store_true",
        help="turn off what each process keeps in memory (pages, API lists, fingerprint)",
    )
    args = parser.parse_args()
    args.levels = [int(n) for n in args.levels.split(",")]
    settings = [tuple(int(n) for n in c.split("x")) for c in args.configs.split(",")]

    results, load_before = [], os.getloadavg()[0]
    with (
        scratch_database("steady_bench_load") as database_url,
        tempfile.TemporaryDirectory(prefix="steady-bench-") as folder,
    ):
        env = app_env(database_url)
        if args.without_memory:
            env |= {name: "0" for name in MEMORY_SETTINGS}
        seeded = prepare(env)
        for workers, threads in settings:
            log = Path(folder) / f"gunicorn-{workers}x{threads}.log"
            results.append(bench_setting(env, workers, threads, args, log))

    memory = "turned off (" + ", ".join(f"{n}=0" for n in MEMORY_SETTINGS) + ")"
    print(f"\n# Steady under gunicorn on PostgreSQL 127.0.0.1 ({os.cpu_count()} cores); {seeded}")
    print(f"what each process keeps in memory: {memory if args.without_memory else 'as default'}")
    print(f"load average (1 min) before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f}")
    verdicts = []
    for result in results:
        verdicts += print_setting(result, args)
    print("\nTargets")
    for verdict in verdicts:
        print(f"- {verdict}")


if __name__ == "__main__":
    main()
