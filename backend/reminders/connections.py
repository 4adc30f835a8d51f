"""The push sender's HTTP connections: one pooled session, a hard deadline on every send, and
one retry of a stale keep-alive connection (issue 12).

- Deadline. requests' `timeout=(connect, read)` limits each socket read, not the request: a
  push service that dribbles one header byte every 2 s held a send for 144 s. Every send
  here runs under a `Watch`; a single watchdog thread shuts the socket down when the deadline
  passes, so the blocked read ends at once and the send is counted as failed. The watch lets
  go of the connection before urllib3 puts it back in the pool, so a late watchdog can never
  touch a connection another send is using.
- Stale keep-alive. A pooled connection the push service closed while idle fails on its next
  request before any answer (RemoteDisconnected, reset, broken pipe). That request is tried
  again once on a fresh connection, instead of waiting for a retry a minute later.
- The SSRF guard (addresses.py, issue 9) stays underneath: the pool classes here extend the
  checked ones, and connect only to checked public addresses.
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import itertools
import socket
import threading
import time
from collections.abc import Iterator

import requests

from backend.reminders.addresses import CheckedAddressAdapter

_current = threading.local()  # the Watch of the send running on this thread, if any
STALE_ERRORS = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class Watch:
    """One send's deadline and the connection it is using."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.fired = False
        self.reused = False  # the last request went out on a pooled (kept-alive) connection
        self._connection = None
        self._done = False
        self._lock = threading.Lock()

    def attach(self, connection) -> None:
        with self._lock:
            self._connection = connection
            self.reused = getattr(connection, "_steady_requests", 0) > 0
            connection._steady_requests = getattr(connection, "_steady_requests", 0) + 1
            connection._steady_watch = self

    def detach(self, connection) -> None:
        with self._lock:
            if self._connection is connection:
                self._connection = None

    def finish(self) -> None:
        with self._lock:
            self._done = True
            self._connection = None

    def fire(self) -> None:
        """The deadline has passed: end the send by shutting its socket down."""
        with self._lock:
            if self._done:
                return
            self.fired = True
            sock = getattr(self._connection, "sock", None)
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


class Watchdog:
    """One thread that fires each Watch whose deadline has passed."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._heap: list[tuple[float, int, Watch]] = []
        self._order = itertools.count()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="push-deadline", daemon=True)
        self._thread.start()

    @contextlib.contextmanager
    def watch(self, seconds: float) -> Iterator[Watch]:
        """Run the block under a deadline `seconds` from now."""
        watch = Watch(time.monotonic() + seconds)
        with self._condition:
            heapq.heappush(self._heap, (watch.deadline, next(self._order), watch))
            if self._heap[0][2] is watch:  # only an earlier deadline needs the thread awake
                self._condition.notify()
        _current.watch = watch
        try:
            yield watch
        finally:
            _current.watch = None
            watch.finish()

    def close(self) -> None:
        with self._condition:
            self._closed = True
            self._condition.notify()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        with self._condition:
            while not self._closed:
                now = time.monotonic()
                while self._heap and self._heap[0][0] <= now:
                    heapq.heappop(self._heap)[2].fire()
                self._condition.wait(self._heap[0][0] - now if self._heap else None)


def _watched(pool_class: type) -> type:
    """A pool class whose connections report to the running send's Watch."""

    class WatchedConnection(pool_class.ConnectionCls):
        def request(self, *args, **kwargs):
            watch = getattr(_current, "watch", None)
            if watch is not None:
                watch.attach(self)
            return super().request(*args, **kwargs)

    class WatchedPool(pool_class):
        ConnectionCls = WatchedConnection

        def _put_conn(self, conn) -> None:
            watch = getattr(conn, "_steady_watch", None)
            if watch is not None:  # back in the pool: no longer this send's to shut down
                watch.detach(conn)
            super()._put_conn(conn)

    return WatchedPool


class WatchedAdapter(CheckedAddressAdapter):
    """The checked adapter (addresses.py) whose connections a Watch can end."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._pool_classes = {name: _watched(cls) for name, cls in self._pool_classes.items()}
        self.poolmanager.pool_classes_by_scheme = self._pool_classes


def is_stale_connection(error: BaseException) -> bool:
    """Did the request fail because the kept-alive connection was already closed?"""
    seen: set[int] = set()
    pending: list[object] = [error]
    while pending:
        item = pending.pop()
        if id(item) in seen or not isinstance(item, BaseException):
            continue
        seen.add(id(item))
        if isinstance(item, STALE_ERRORS):
            return True
        pending += [*item.args, item.__cause__, item.__context__]
    return False


class NoRedirectSession(requests.Session):
    """A push service answers; it never redirects. Following a redirect would let a public
    endpoint send the worker to an address on our own network, so a 3xx is an answer."""

    def request(self, method, url, *args, **kwargs):
        kwargs["allow_redirects"] = False
        return super().request(method, url, *args, **kwargs)


def push_session(*, allow_loopback: bool, pool_size: int) -> requests.Session:
    """One session for every send: checked, watched, pooled; no retries of its own."""
    session = NoRedirectSession()
    # requests scans the whole environment for proxy settings on every request (about
    # 0.3 ms here); read them once instead. No .netrc credentials ever go to a push service.
    session.proxies.update(requests.utils.get_environ_proxies("https://push.invalid/"))
    session.trust_env = False
    adapter = WatchedAdapter(  # H1: only to public addresses, checked at connect
        allow_loopback=allow_loopback, pool_connections=16, pool_maxsize=pool_size, max_retries=0
    )
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
