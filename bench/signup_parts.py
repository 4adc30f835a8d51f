"""The parts every reminder sign-up needs, timed inside gunicorn's workers under load, next to
the server CPU per request of the whole sign-up and of /healthz, measured as bench/load.py
measures them (issue 15's target: a sign-up at most 2× /healthz).

    .venv/bin/python bench/signup_parts.py [--workers 2] [--threads 1] [--clients 4]
        [--seconds 4] [--rounds 3]

The app runs as in bench/load.py (production settings, PostgreSQL, the limit counted in
Redis), under gunicorn with bench/gunicorn_parts.py: the web process's own settings, and in
each worker the CPU time of the parts of bench/profile_signup.py's PARTS (the per-address
count in the limiter's storage; reading and checking the body; the INSERT and its
connection), per thread, written when the worker exits. /healthz and the sign-up are loaded
in turn, --rounds times, closed loop with --clients clients; the medians are shown.
Twice /healthz's CPU per request, less /healthz's own, is what the target leaves for all a
sign-up adds to a request. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import HEALTHZ, Target, app_env, hit, prepare, subscription_bodies  # noqa: E402
from bench.loadgen import Gunicorn  # noqa: E402
from bench.postgres import scratch_database  # noqa: E402
from bench.profile_signup import PARTS  # noqa: E402

SIGN_UP = Target("POST /api/v1/reminders", "/api/v1/reminders", "POST", expect=(201, 200))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--subscriptions", type=int, default=10_000)
    args = parser.parse_args()

    bodies = itertools.cycle(subscription_bodies(args.subscriptions))
    bounds = {"clients": args.clients, "seconds": args.seconds, "limit": 1_000_000}
    healthz, sign_up, sign_ups = [], [], 0
    with (
        scratch_database("steady_bench_parts") as database_url,
        tempfile.TemporaryDirectory(prefix="steady-parts-") as folder,
    ):
        env = app_env(database_url)
        prepare(env)
        env |= {
            "WEB_CONCURRENCY": str(args.workers),
            "GUNICORN_THREADS": str(args.threads),
            "STEADY_BENCH_PARTS": folder,
        }
        options = ["-c", "bench/gunicorn_parts.py"]
        log = Path(folder) / "gunicorn.log"
        with Gunicorn("backend:create_app()", env, log, options, probe="/healthz") as server:
            for target in (HEALTHZ, SIGN_UP):  # warm up
                figures = hit(server, target, bodies, **{**bounds, "seconds": 1.0})
                sign_ups += figures["requests"] + figures["errors"] if target is SIGN_UP else 0
            for _ in range(args.rounds):
                healthz.append(hit(server, HEALTHZ, None, **bounds)["server_us"])
                figures = hit(server, SIGN_UP, bodies, **bounds)
                sign_up.append(figures["server_us"])
                sign_ups += figures["requests"] + figures["errors"]
        totals: dict[str, float] = dict.fromkeys((label for label, _ in PARTS), 0.0)
        for written in Path(folder).glob("*.json"):
            for label, seconds in json.loads(written.read_text()).items():
                totals[label] += seconds

    base, whole = statistics.median(healthz), statistics.median(sign_up)
    print(f"# gunicorn {args.workers}×{args.threads} (gthread), PostgreSQL, Redis; ", end="")
    print(
        f"{args.clients} clients, {args.rounds} rounds of {args.seconds:g} s; {sign_ups:,} sign-ups"
    )
    print("| CPU µs per request | µs |\n| --- | --- |")
    print(f"| GET /healthz, the whole request (server) | {base:,.0f} |")
    print(f"| POST /api/v1/reminders, the whole request (server) | {whole:,.0f} |")
    floor = 0.0
    for label, seconds in totals.items():
        part = seconds * 1e6 / sign_ups
        floor += part
        print(f"| part: {label} | {part:,.0f} |")
    print(f"| the three parts together | {floor:,.0f} |")
    print(f"| what ≤ 2× /healthz leaves for all a sign-up adds | {base:,.0f} |")
    print(f"The sign-up costs {whole / base:.2f}× /healthz; ", end="")
    verdict = "within" if floor <= base else "over"
    print(f"its three parts alone are {verdict} what 2× allows ({floor / base:.2f}× of it).")


if __name__ == "__main__":
    main()
