"""Slow clients: a request body arrives whole within REQUEST_BODY_SECONDS, or the answer is 408.

gunicorn's gthread worker (gunicorn_conf.py) parks idle and kept-alive connections in its
event loop and gives a thread only to a request that has started, so slow *headers* cost a
thread for at most gunicorn's 5-second wait. A client that sends its headers and then
dribbles its body, though, holds the thread that reads the body for as long as it likes:
two such clients stalled both sync workers of the old set-up, and /healthz answered after
32 s (M5, issue 9). This middleware reads the whole body first, with a deadline: when the
deadline passes, the socket's read side is shut down (a read blocked in another thread
then returns at once), the client gets 408 and the thread is free again. The view then
reads the body from memory. Only under gunicorn (which puts the socket in the environ);
the development server is left alone. A proxy in front should buffer bodies too
(nginx does by default: docs/deploy.md).
"""

from __future__ import annotations

import contextlib
import heapq
import io
import itertools
import os
import socket
import threading
import time

# Larger than any body the app accepts (MAX_CONTENT_LENGTH and the import's larger form):
# a body over it is refused here without reading it.
MOST_BYTES = 4 * 1024 * 1024
CHUNK = 64 * 1024


def _cut(sock: socket.socket) -> None:
    """Stop reading from a client that is too slow (wakes a blocked recv)."""
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RD)


class Deadlines:
    """One watcher thread per process that cuts the sockets whose deadline has passed.

    It replaced a threading.Timer per request body: starting and cancelling a thread cost
    about 115 µs of CPU and a few context switches for every POST (issue 15). A deadline
    that is met is only marked done; the watcher drops it when its time comes. It wakes at
    most every SLACK seconds, so a cut comes up to that much late.
    """

    SLACK = 0.5

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._due: list[tuple[float, int, socket.socket]] = []
        self._done: set[int] = set()
        self._numbers = itertools.count()
        self._pid: int | None = None

    def add(self, seconds: float, sock: socket.socket) -> int:
        """Cut `sock` in `seconds` unless `done` is called with the number returned."""
        with self._wake:
            if self._pid != os.getpid():  # first use in this (forked) worker process
                self._pid = os.getpid()
                self._due, self._done = [], set()
                threading.Thread(target=self._watch, daemon=True, name="body-deadlines").start()
            number = next(self._numbers)
            heapq.heappush(self._due, (time.monotonic() + seconds, number, sock))
            if self._due[0][1] == number:  # sooner than any other: the watcher must know
                self._wake.notify()
        return number

    def done(self, number: int) -> None:
        with self._wake:
            self._done.add(number)

    def _watch(self) -> None:
        with self._wake:
            while True:
                if not self._due:
                    self._wake.wait()
                    continue
                now = time.monotonic()
                while self._due and self._due[0][0] <= now:
                    _, number, sock = heapq.heappop(self._due)
                    if number in self._done:
                        self._done.discard(number)
                    else:
                        _cut(sock)
                if self._due:
                    self._wake.wait(self._due[0][0] - now + self.SLACK)


DEADLINES = Deadlines()


def _plain_response(start_response, status: str, text: str):
    body = text.encode("ascii")
    start_response(
        status,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Connection", "close"),
        ],
    )
    return [body]


class BodyDeadline:
    """WSGI middleware: read the request body whole within `seconds`, or answer 408."""

    def __init__(self, app, seconds: float, most_bytes: int = MOST_BYTES) -> None:
        self.app = app
        self.seconds = seconds
        self.most_bytes = most_bytes

    def __call__(self, environ, start_response):
        sock = environ.get("gunicorn.socket")
        length = environ.get("CONTENT_LENGTH") or ""
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        if sock is None or not (chunked or (length.isdigit() and int(length) > 0)):
            return self.app(environ, start_response)
        expected = int(length) if length.isdigit() else None
        if expected is not None and expected > self.most_bytes:
            return self.app(environ, start_response)  # the app refuses it (413) unread
        body = self._read(environ["wsgi.input"], sock, expected)
        if body is None:
            return _plain_response(
                start_response, "408 Request Timeout", "The request body came too slowly.\n"
            )
        if len(body) > self.most_bytes:
            return _plain_response(start_response, "413 Content Too Large", "Too large.\n")
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)

    def _read(self, stream, sock, expected: int | None) -> bytes | None:
        """The whole body, or None when it did not arrive before the deadline."""
        deadline = DEADLINES.add(self.seconds, sock)
        parts, total = [], 0
        try:
            while expected is None or total < expected:
                want = CHUNK if expected is None else min(CHUNK, expected - total)
                part = stream.read(want)
                if not part:
                    break
                parts.append(part)
                total += len(part)
                if total > self.most_bytes:
                    break
        except Exception:  # gunicorn's NoMoreData and friends: the client stopped sending
            return None
        finally:
            DEADLINES.done(deadline)
        if expected is not None and total < expected:
            return None
        return b"".join(parts)
