"""Step 2 of the worker: keep a bounded number of sends in flight, claiming while a slot is
free, and record each result the moment it comes back (issue 12).

The old pass claimed nothing more once a claim came back empty until every send in flight had
finished, so one slow push service held up everything due meanwhile. Here:
- at most 2 × `sender.threads` claims are held: one sending on each thread and one ready to
  go when it finishes (so a thread never idles while this loop writes to the database);
  it claims in chunks (half the slots, or sooner when a thread would run dry). A claim waits
  in the pool at most one send's deadline; one that could no longer end within its lease is
  not started;
- when a claim finds nothing, it looks again every `claim_every` seconds while any slot is
  free, so a reminder falling due behind slow sends is late by that at most;
- each finished send is recorded at once, lease-checked (records.py): the sends that
  finished while the last was being recorded go in the same transaction; none waits.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import TYPE_CHECKING

from backend.reminders.claims import Claim

if TYPE_CHECKING:
    from backend.reminders.dispatch import Dispatcher


def send_due(dispatcher: Dispatcher, stop: threading.Event | None = None) -> Counter:
    """Send everything due now, then return counts. With `stop` set, claim nothing more and
    return once the sends in flight are recorded."""
    counts: Counter = Counter()
    in_flight: dict[Future, Claim] = {}
    threads = dispatcher.sender.threads
    slots = 2 * threads  # every thread busy, and its next send ready
    backlog = True  # the last claim found work: there may be more
    next_claim = 0.0  # when to look again at the latest (monotonic)
    while True:
        claiming = stop is None or not stop.is_set()
        free = slots - len(in_flight)
        # Refill in chunks before any thread runs dry; and with any slot free, look at least
        # every `claim_every` seconds, however slow the sends in flight are.
        refill = backlog and (free >= slots // 2 or len(in_flight) < threads)
        if claiming and free > 0 and (refill or time.monotonic() >= next_claim):
            looked_at = _settled(counts)
            claims = dispatcher.claim(min(free, dispatcher.batch_size), counts)
            for claim in claims:
                future = dispatcher.sender.submit(
                    dispatcher.message_for(claim), claim.lease.timestamp()
                )
                in_flight[future] = claim
            backlog = bool(claims) or _settled(counts) > looked_at  # rows left to look at
            next_claim = time.monotonic() + dispatcher.claim_every
            if not backlog and not in_flight:
                return counts
        if not in_flight:
            if not claiming:
                return counts
            backlog = True  # one last look before the pass ends
            continue
        timeout = None
        if claiming and len(in_flight) < slots:
            timeout = max(0.0, next_claim - time.monotonic())
        done, _ = wait(in_flight, timeout=timeout, return_when=FIRST_COMPLETED)
        if done:  # recorded at once: whatever finished by now, nothing waits for more
            dispatcher.record([(in_flight.pop(f), f.result()) for f in done], counts)


def _settled(counts: Counter) -> int:
    """Occurrences a claim settled without sending (so there may be more rows to look at)."""
    return counts["skipped"] + counts["superseded"] + counts["waiting"]
