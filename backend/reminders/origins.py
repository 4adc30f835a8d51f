"""What the sender keeps per push-service origin: a few sends at a time, and a short pause
when the origin as a whole is failing (issue 12).

One 429 is about one subscription (RFC 8030 §8.4 lets a service throttle per subscription):
it becomes that subscription's back-off (`not_before`, dispatch), never the origin's. The
origin pauses only when it keeps failing — `trip_after` failures in a row with no success
between (refused, timed out, 5xx; never a 429) — and then only for a short time, which grows
only when a send after the pause fails too, and is capped (`longest_pause`, at most a
minute). A success ends the pause at once. While an origin is paused its sends are postponed
by the pause, never skipped. FCM is one origin for every Chrome user: nothing here may black
it out for long.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

LONGEST_ORIGIN_PAUSE = 60.0  # seconds: the cap the issue asks for; the default is shorter


class OriginGate:
    """Per-origin bounded concurrency and a bounded back-off."""

    def __init__(
        self,
        concurrency: int,
        *,
        trip_after: int = 5,
        first_pause: float = 1.0,
        longest_pause: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 0 < longest_pause <= LONGEST_ORIGIN_PAUSE:
            raise ValueError(f"an origin pause is at most {LONGEST_ORIGIN_PAUSE:.0f} s")
        self.concurrency = concurrency
        self.trip_after = trip_after
        self.first_pause = first_pause
        self.longest_pause = longest_pause
        self.clock = clock
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._failures: dict[str, int] = {}
        self._paused_until: dict[str, float] = {}

    def pause_left(self, origin: str) -> float:
        """Seconds before sends to `origin` may start again (0 when it is not paused)."""
        with self._lock:
            return max(0.0, self._paused_until.get(origin, 0.0) - self.clock())

    def enter(self, origin: str, timeout: float) -> bool:
        """Take one of the origin's send slots, waiting at most `timeout` seconds."""
        with self._lock:
            slots = self._slots.get(origin)
            if slots is None:
                slots = self._slots[origin] = threading.BoundedSemaphore(self.concurrency)
        return slots.acquire(timeout=max(0.0, timeout))

    def leave(self, origin: str, succeeded: bool | None) -> None:
        """Give the slot back and note how the send went (None: says nothing of the origin)."""
        with self._lock:
            if succeeded:
                self._failures.pop(origin, None)
                self._paused_until.pop(origin, None)
            elif succeeded is not None and self.clock() >= self._paused_until.get(origin, 0.0):
                # (While paused, nothing starts: a failure then is a send that was already on
                # its way when the pause began, and says nothing new. Counting those grew one
                # pause to the cap from a handful of bad subscriptions at once.)
                failures = self._failures[origin] = self._failures.get(origin, 0) + 1
                if failures >= self.trip_after:
                    pause = self.first_pause * 2 ** (failures - self.trip_after)
                    self._paused_until[origin] = self.clock() + min(pause, self.longest_pause)
            slots = self._slots[origin]
        slots.release()
