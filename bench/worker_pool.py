"""Reminder worker processes for bench/dispatch.py, started together and timed together.

Each process builds the app from `settings`, connects to the database, says it is ready and
waits at a barrier; once all are ready the caller makes reminders due, and they are let go
at one instant. Each runs `Dispatcher.send_due()` (what `flask reminders send-due` runs) and
reports its counts, when it finished and the CPU time it spent sending.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from backend import create_app
from backend.extensions import db
from backend.reminders.dispatch import Dispatcher
from backend.reminders.push import PushSender


def worker(settings: dict, ready, go, results) -> None:
    """One worker process: connect, wait for `go`, send everything due, report."""
    app = create_app(settings)
    with app.app_context(), PushSender.from_app(app) as sender:
        dispatcher = Dispatcher.from_app(app, sender)
        db.session.execute(text("SELECT 1"))
        db.session.rollback()
        ready.put(os.getpid())
        go.wait()
        cpu = time.process_time()
        counts = dispatcher.send_due()
        ended, cpu = time.monotonic(), time.process_time() - cpu
        db.engine.dispose()
    results.put({"counts": dict(counts), "ended": ended, "cpu": cpu})


def cpu_ticks(pid: int | None = None) -> tuple[int, int]:
    """(busy, total) clock ticks of the whole machine; or (busy, 0) of one process."""
    if pid is not None:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12]), 0
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(values) - values[3] - values[4], sum(values)


def run_workers(settings: dict, count: int, make_due: Callable[[], None], watched: int) -> dict:
    """Start `count` workers, call `make_due` once they wait, let them go; return their
    reports, the seconds from go to the last one done, the machine's busy share and the
    CPU seconds the `watched` process (the receiver) used meanwhile."""
    context = multiprocessing.get_context("spawn")
    ready, results, go = context.Queue(), context.Queue(), context.Event()
    processes = [
        context.Process(target=worker, args=(settings, ready, go, results)) for _ in range(count)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.get(timeout=60)
    make_due()
    machine, other = cpu_ticks(), cpu_ticks(watched)[0]
    started = time.monotonic()
    go.set()
    reports = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    busy, total = (now - then for now, then in zip(cpu_ticks(), machine, strict=True))
    return {
        "reports": reports,
        "seconds": max(r["ended"] for r in reports) - started,
        "machine_busy": busy / total,
        "watched_cpu": (cpu_ticks(watched)[0] - other) / os.sysconf("SC_CLK_TCK"),
    }
