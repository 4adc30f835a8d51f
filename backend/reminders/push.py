"""Sending Web Push messages with pywebpush: keys loaded once, pooled connections, timeouts.

- The VAPID key is read once (vapid.py) and handed to the sender.
- The VAPID `Authorization` header is signed once per push-service origin and reused until an
  hour before it expires (exp 12 h ahead; RFC 8292 allows at most 24 h). We sign it ourselves
  with py_vapid from a fresh claims dict: pywebpush's `webpush()` writes `aud`/`exp` into the
  dict it is given, so a shared dict would carry one origin's `aud` to the next.
- One pooled `requests.Session` (connections.py) shared by a bounded thread pool: every send
  has a connect and a read timeout AND a hard deadline for the whole request, always shorter
  than a claim's lease; a stale keep-alive connection is tried again once.
- Per origin (origins.py): a few sends at a time, and a short, capped pause only when the
  whole origin keeps failing.
- Headers: `TTL` (never 0: RFC 8030 would let the service drop it at once), `Urgency: normal`
  and a `Topic` per subscription, so the push service replaces an undelivered older reminder
  (or a repeat) instead of adding one.
- Answers become outcomes (RFC 8030 §5, §8.4): 2xx sent; 404/410 gone; 429 wait Retry-After
  (for that subscription only: dispatch); 5xx, timeouts, connection errors and a passed
  deadline retry; other 4xx rejected.
Endpoints are secrets: logs carry `endpoint_tag()`, a short hash, never the URL.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import requests
from flask import Flask
from py_vapid import Vapid
from pywebpush import WebPusher

from backend.reminders.connections import Watchdog, is_stale_connection, push_session
from backend.reminders.origins import OriginGate
from backend.reminders.vapid import PushNotConfigured, vapid_for

log = logging.getLogger(__name__)

# RFC 8291: one 4096-byte aes128gcm record holds at most 3993 bytes of plaintext.
MAX_PLAINTEXT = 3993
VAPID_LIFETIME = 12 * 60 * 60
VAPID_REFRESH_BEFORE = 60 * 60
DEFAULT_RETRY_AFTER = 60.0
SEND_DEADLINE = 15.0  # seconds: connect + the whole answer, at most (issue 12)
ORIGIN_BUSY_WAIT = 1.0  # seconds a send waits for one of its origin's slots
LONGEST_RETRY_AFTER = 24 * 60 * 60.0


# --- messages and outcomes -----------------------------------------------------------------


def endpoint_tag(endpoint: str) -> str:
    """A short, stable, non-reversible name for an endpoint, for logs."""
    return hashlib.sha256(endpoint.encode("utf-8")).hexdigest()[:12]


def origin_of(endpoint: str) -> str:
    """scheme://host[:port] — the VAPID `aud` and the unit of Retry-After."""
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass(frozen=True)
class PushMessage:
    endpoint: str
    p256dh: str
    auth: str
    payload: bytes
    topic: str
    ttl: int


SENT, GONE, RETRY, WAIT, REJECTED, NOT_STARTED = (
    "sent",
    "gone",
    "retry",
    "wait",
    "rejected",
    "not_started",
)


@dataclass(frozen=True)
class PushOutcome:
    """What became of one send: `result` is one of SENT, GONE, RETRY, WAIT (429 about this
    subscription, or with no status an origin pausing or busy: try after `retry_after`
    seconds), REJECTED, NOT_STARTED. `timed_out`: the send's deadline ended it."""

    result: str
    status: int | None = None
    retry_after: float | None = None
    timed_out: bool = False


def parse_retry_after(value: str | None, now: float | None = None) -> float:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return DEFAULT_RETRY_AFTER
    value = value.strip()
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - (now or time.time())
        except (TypeError, ValueError, IndexError):
            return DEFAULT_RETRY_AFTER
    return min(max(seconds, 0.0), LONGEST_RETRY_AFTER)


def outcome_for(status: int, retry_after: str | None) -> PushOutcome:
    """Map a push service's answer to what to do next."""
    if status in (200, 201, 202):
        return PushOutcome(SENT, status)
    if status in (404, 410):
        return PushOutcome(GONE, status)
    if status == 429:
        return PushOutcome(WAIT, status, parse_retry_after(retry_after))
    if status >= 500:
        return PushOutcome(RETRY, status)
    return PushOutcome(REJECTED, status)


# --- the sender ----------------------------------------------------------------------------


class PushSender:
    """Sends PushMessages from a bounded pool of threads over one pooled session."""

    def __init__(
        self,
        vapid: Vapid,
        subject: str,
        *,
        threads: int = 8,
        connect_timeout: float = 3.05,
        read_timeout: float = 10.0,
        deadline: float = SEND_DEADLINE,
        origin_concurrency: int | None = None,
        origin_pause: float = 30.0,
        loopback_only: bool = False,
        allow_loopback: bool = False,
    ) -> None:
        if not subject.startswith(("mailto:", "https:")):
            raise PushNotConfigured("VAPID_SUBJECT must be a mailto: or https: URL")
        self.vapid = vapid
        self.subject = subject
        self.threads = threads
        self.timeout = (connect_timeout, read_timeout)
        # A dribbling service never trips the read timeout: the deadline ends every send.
        self.deadline = min(deadline, connect_timeout + read_timeout)
        self.loopback_only = loopback_only
        # urllib3 writes each request line (the endpoint's secret path) at DEBUG: keep it quiet.
        quiet = logging.getLogger("urllib3.connectionpool")
        if quiet.getEffectiveLevel() < logging.INFO:
            quiet.setLevel(logging.INFO)
        self.session = push_session(allow_loopback=allow_loopback, pool_size=threads)
        self.watchdog = Watchdog()
        self.origins = OriginGate(origin_concurrency or threads, longest_pause=origin_pause)
        self.pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="push")
        self._lock = threading.Lock()
        self._headers: dict[str, tuple[str, float]] = {}

    @classmethod
    def from_app(cls, app: Flask) -> PushSender:
        """A sender configured from the app's settings."""
        config = app.config
        return cls(
            vapid_for(app),
            config["VAPID_SUBJECT"],
            threads=config["REMINDERS_SEND_THREADS"],
            connect_timeout=config["REMINDERS_CONNECT_TIMEOUT"],
            read_timeout=config["REMINDERS_READ_TIMEOUT"],
            deadline=config["REMINDERS_SEND_DEADLINE"],
            origin_concurrency=config["REMINDERS_ORIGIN_CONCURRENCY"],
            origin_pause=config["REMINDERS_ORIGIN_PAUSE_SECONDS"],
            loopback_only=config["REMINDERS_PUSH_LOOPBACK_ONLY"],
            allow_loopback=config["REMINDERS_ALLOW_LOOPBACK_ENDPOINTS"],
        )

    @property
    def longest_send(self) -> float:
        """The most one send can take, waiting for its origin included: its deadline ends it."""
        return self.deadline + ORIGIN_BUSY_WAIT

    def close(self) -> None:
        self.pool.shutdown(wait=True)
        self.watchdog.close()
        self.session.close()

    def __enter__(self) -> PushSender:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def submit(self, message: PushMessage, start_before: float | None = None) -> Future:
        """Send on the pool; a send that could not end before `start_before` (epoch seconds,
        e.g. a claim's lease) is not started at all and comes back NOT_STARTED."""
        return self.pool.submit(self.send, message, start_before)

    def authorization(self, origin: str) -> str:
        """The `vapid t=…,k=…` header for an origin, signed at most once per refresh."""
        now = time.time()
        with self._lock:  # held while signing (~0.1 ms) so two threads never both sign
            cached = self._headers.get(origin)
            if cached and cached[1] - VAPID_REFRESH_BEFORE > now:
                return cached[0]
            expires = int(now) + VAPID_LIFETIME
            claims = {"sub": self.subject, "aud": origin, "exp": expires}  # fresh every time
            header = self.vapid.sign(claims)["Authorization"]
            self._headers[origin] = (header, expires)
            return header

    def send(self, message: PushMessage, start_before: float | None = None) -> PushOutcome:
        """Encrypt and POST one message; never raises for a network or HTTP failure."""
        if len(message.payload) > MAX_PLAINTEXT:
            raise ValueError(f"push payload of {len(message.payload)} bytes is over the limit")
        if message.ttl <= 0:
            raise ValueError("a push TTL of 0 lets the service drop the message at once")
        if start_before is not None and time.time() + self.longest_send >= start_before:
            return PushOutcome(NOT_STARTED)
        origin = origin_of(message.endpoint)
        if self.loopback_only and not _is_loopback(message.endpoint):
            log.error(
                "push to a non-loopback host refused (testing); endpoint %s",
                endpoint_tag(message.endpoint),
            )
            return PushOutcome(REJECTED)
        waiting = self.origins.pause_left(origin)
        if waiting > 0:
            return PushOutcome(WAIT, None, waiting)
        if not self.origins.enter(origin, ORIGIN_BUSY_WAIT):
            return PushOutcome(WAIT, None, 0.0)  # all its slots busy: postponed, not tried
        outcome = PushOutcome(RETRY)
        try:
            outcome = self._post(message, origin)
        finally:
            self.origins.leave(origin, _says_of_origin(outcome))
        return outcome

    def _post(self, message: PushMessage, origin: str) -> PushOutcome:
        """POST under the deadline; once more at once if a kept-alive connection was stale."""
        headers = {
            "Authorization": self.authorization(origin),
            "Urgency": "normal",
            "Topic": message.topic,
        }
        subscription = {
            "endpoint": message.endpoint,
            "keys": {"p256dh": message.p256dh, "auth": message.auth},
        }
        with self.watchdog.watch(self.deadline) as watch:
            for attempt in (1, 2):
                left = watch.deadline - time.monotonic()
                timeout = (min(self.timeout[0], left), min(self.timeout[1], left))
                try:
                    response = WebPusher(subscription, requests_session=self.session).send(
                        message.payload, dict(headers), ttl=message.ttl, timeout=timeout
                    )
                    break
                except requests.RequestException as error:
                    stale = watch.reused and not watch.fired and is_stale_connection(error)
                    if attempt == 1 and stale and left > 1.0:
                        continue  # the service had closed the idle connection: not a try
                    log.warning(
                        "push to %s failed: %s%s",
                        endpoint_tag(message.endpoint),
                        type(error).__name__,
                        " (deadline passed)" if watch.fired else "",
                    )
                    return PushOutcome(RETRY, timed_out=watch.fired)
        return outcome_for(response.status_code, response.headers.get("Retry-After"))


def _says_of_origin(outcome: PushOutcome) -> bool | None:
    """Did the push service as a whole answer (True), or fail (False: no answer in time,
    refused, 5xx)? A 429 is about one subscription and a 4xx about one message: None."""
    if outcome.result in (SENT, GONE):
        return True
    return False if outcome.result == RETRY else None


def _is_loopback(endpoint: str) -> bool:
    try:
        return ipaddress.ip_address(urlsplit(endpoint).hostname or "").is_loopback
    except ValueError:
        return False
