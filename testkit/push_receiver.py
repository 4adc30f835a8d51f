"""A real Web Push receiver for tests: an HTTP server on 127.0.0.1 that plays the push service.

Interface (kept stable: the browser tests import it too)::

    from testkit.push_receiver import PushReceiver, Reply

    with PushReceiver() as receiver:                 # serves http://127.0.0.1:<port>
        subscriber = receiver.make_subscriber()      # keys made as a browser makes them
        subscriber.endpoint                          # "http://127.0.0.1:<port>/push/<id>"
        subscriber.p256dh, subscriber.auth           # base64url, as PushSubscription.toJSON()
        subscriber.subscription                      # {"endpoint", "expirationTime", "keys"}
        subscriber.private_key                       # the P-256 private key (cryptography)

        receiver.respond(subscriber, Reply(429, retry_after="3"), Reply(201))
        receiver.respond(subscriber, Reply(dribble=2.0))  # one byte of the answer every 2 s
        receiver.respond(subscriber, Reply(drop=True))    # read the request, close, no answer
        receiver.delay = 0.2                         # every answer slowed down by 0.2 s
        messages = receiver.wait_for(1, subscriber=subscriber, timeout=10)
        messages[0].payload                          # the decrypted JSON, e.g. {"o", "m", "l"}
        messages[0].text                             # the decrypted bytes as text
        messages[0].topic, .ttl, .urgency, .claims, .status, .headers

- `make_subscriber(server_key=None)`: a new subscriber: a fresh P-256 key pair and 16-byte auth
  secret. With `server_key` (the VAPID application server key, base64url), a push whose
  `k=` differs is refused with 403, as a real push service does.
- `respond(subscriber_or_path, *replies)`: the answers for that subscriber, one per request, in
  order; the last one repeats. `Reply(status=201, retry_after=None, delay=0.0, location=None,
  dribble=0.0, drop=False)`: `delay` hangs before answering; `dribble` sends the answer's
  head one byte at a time, that many seconds apart (a slow-header push service); `drop`
  closes the connection without answering (recorded with status 0). Default: 201.
- `most_at_once`: the most requests the receiver was handling at the same moment.
- `messages` / `delivered(subscriber=None)`: every accepted request (all statuses, or only the
  2xx ones), with headers and decrypted payload. `rejections`: requests refused because they
  broke the protocol (bad VAPID, missing TTL/Urgency/Topic, wrong encoding, undecryptable).
- `wait_for(count, subscriber=None, timeout=10.0, delivered=True)` waits for that many messages.

Checks, in the order a push service makes them: a known endpoint (else 404); `Authorization:
vapid t=<JWT>,k=<key>` with an ES256 signature by `k`, `aud` equal to this server's origin
including the port, `exp` in the future and within 24 h, `sub` a mailto: or https: URL (else 401);
`TTL` an integer > 0, `Urgency` one of RFC 8030's four, `Topic` at most 32 base64url characters,
`Content-Encoding: aes128gcm` (else 400); a body of at most 4096 bytes (else 413) that
decrypts with the subscriber's keys (else 400). Only then is the scripted reply given.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from testkit.push_checks import (
    MAX_RECORD,
    Refused,
    b64url,
    b64url_decode,
    check_claims,
    check_headers,
    verify_vapid,
)

__all__ = ["PushReceiver", "ReceivedMessage", "Reply", "Subscriber", "b64url", "b64url_decode"]


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a status, an optional Retry-After value, and a delay in seconds."""

    status: int = 201
    retry_after: str | None = None
    delay: float = 0.0
    location: str | None = None  # a Location header (e.g. for a 3xx)
    dribble: float = 0.0  # seconds between the bytes of the answer's head
    drop: bool = False  # close the connection without answering


@dataclass
class Subscriber:
    """A browser's push subscription, with the private half only a browser would hold."""

    path: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes
    server_key: str | None = None

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    @property
    def subscription(self) -> dict:
        """What `PushSubscription.toJSON()` gives in a browser."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }


RECEIVING = -1  # the status of a message not yet recorded


@dataclass
class ReceivedMessage:
    """One push request the receiver accepted (whatever status it then answered)."""

    path: str
    status: int
    headers: dict[str, str]
    claims: dict
    vapid_key: str
    ttl: int
    urgency: str
    topic: str | None
    body: bytes
    text: str
    received_at: float = field(default_factory=time.monotonic)

    @property
    def payload(self):
        """The decrypted body as JSON (None when it is not JSON)."""
        try:
            return json.loads(self.text)
        except ValueError:
            return None

    @property
    def delivered(self) -> bool:
        return 200 <= self.status < 300


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, receiver: PushReceiver) -> None:
        self.receiver = receiver
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    def process_request(self, request, client_address):
        with self.sockets_lock:
            self.open_sockets.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address) -> None:
        """A client that vanished mid-request (a killed worker) is normal here: stay quiet."""
        error = sys.exc_info()[1]
        if not isinstance(error, (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def close_open_connections(self) -> None:
        """Wake handler threads parked on idle keep-alive connections so they finish."""
        with self.sockets_lock:
            sockets = list(self.open_sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as push services offer
    disable_nagle_algorithm = True  # else keep-alive clients crawl at ~23 messages/s
    server: _Server

    def log_message(self, format, *args):
        pass  # quiet: the receiver records what matters

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        receiver = self.server.receiver
        status, headers, reply, message = receiver._handle(self.path, self.headers, body)
        if reply is not None and reply.drop:
            self.close_connection = True  # no answer at all: the client sees the socket close
            receiver._arrived_message(message, 0)
            return
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        if reply is None or not reply.dribble:
            # Recorded before the answer goes out, so a sender that has read the answer always
            # finds the message in `messages`; taken back to "never answered" if it cannot go.
            receiver._arrived_message(message, status)
            try:
                self.end_headers()
            except OSError:
                receiver._arrived_message(message, 0)
                raise
            return
        head = b"".join(self._headers_buffer) + b"\r\n"
        self._headers_buffer = []
        try:
            for byte in head:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(reply.dribble)
        except OSError:
            receiver._arrived_message(message, 0)  # the client gave up: never answered
            raise
        receiver._arrived_message(message, status)

    def do_GET(self):
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()


class PushReceiver:
    """A push service on 127.0.0.1:<random port>; use it as a context manager."""

    def __init__(self) -> None:
        self._server = _Server(self)
        self.port = self._server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.delay = 0.0
        self._lock = threading.Lock()
        self._subscribers: dict[str, Subscriber] = {}
        self._replies: dict[str, list[Reply]] = {}
        self._messages: list[ReceivedMessage] = []
        self._rejections: list[tuple[str, int, str]] = []
        self._verified: dict[str, tuple[dict, str]] = {}
        self._arrived = threading.Condition(self._lock)
        self._handling = 0
        self.most_at_once = 0
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # --- life cycle ------------------------------------------------------------------------

    def start(self) -> PushReceiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.close_open_connections()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> PushReceiver:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- subscribers and scripts -----------------------------------------------------------

    def make_subscriber(self, server_key: str | None = None) -> Subscriber:
        """A new subscriber with keys generated as a browser generates them."""
        path = f"/push/{secrets.token_urlsafe(16)}"
        subscriber = Subscriber(
            path=path,
            endpoint=self.origin + path,
            private_key=ec.generate_private_key(ec.SECP256R1()),
            auth_secret=secrets.token_bytes(16),
            server_key=server_key,
        )
        with self._lock:
            self._subscribers[path] = subscriber
        return subscriber

    def respond(self, subscriber: Subscriber | str, *replies: Reply) -> None:
        """Script the answers for one subscriber: in order, the last one repeating."""
        path = subscriber if isinstance(subscriber, str) else subscriber.path
        with self._lock:
            self._replies[path] = list(replies) or [Reply()]

    # --- what arrived ----------------------------------------------------------------------

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self._lock:
            return list(self._messages)

    @property
    def rejections(self) -> list[tuple[str, int, str]]:
        """(path, status, reason) for each request refused for breaking the protocol."""
        with self._lock:
            return list(self._rejections)

    def delivered(self, subscriber: Subscriber | None = None) -> list[ReceivedMessage]:
        """Messages answered with a 2xx, for one subscriber or for all."""
        return [
            m
            for m in self.messages
            if m.delivered and (subscriber is None or m.path == subscriber.path)
        ]

    def wait_for(
        self,
        count: int,
        subscriber: Subscriber | None = None,
        timeout: float = 10.0,
        delivered: bool = True,
    ) -> list[ReceivedMessage]:
        """Wait until `count` messages (2xx only unless delivered=False) have arrived."""

        def matching() -> list[ReceivedMessage]:
            return [
                m
                for m in self._messages
                if (m.delivered or not delivered)
                and (subscriber is None or m.path == subscriber.path)
            ]

        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(found := matching()) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(found)} of {count} push messages arrived")
                self._arrived.wait(left)
            return found

    # --- the push service ------------------------------------------------------------------

    def _handle(self, path: str, headers, body: bytes):
        """(status, headers, reply, message): the message is recorded once answered."""
        with self._lock:
            self._handling += 1
            self.most_at_once = max(self.most_at_once, self._handling)
        try:
            return self._answer(path, headers, body)
        finally:
            with self._lock:
                self._handling -= 1

    def _answer(self, path: str, headers, body: bytes):
        with self._lock:
            subscriber = self._subscribers.get(path)
        try:
            if subscriber is None:
                raise Refused(404, "unknown subscription")
            claims, key = self._check_vapid(headers.get("Authorization", ""), subscriber)
            ttl, urgency, topic = check_headers(headers)
            if len(body) > MAX_RECORD:
                raise Refused(413, f"body of {len(body)} bytes")
            try:
                text = http_ece.decrypt(
                    body,
                    private_key=subscriber.private_key,
                    auth_secret=subscriber.auth_secret,
                    version="aes128gcm",
                ).decode("utf-8")
            except Exception as error:  # any failure to decrypt is the sender's fault
                raise Refused(400, f"cannot decrypt: {error!r}") from error
        except Refused as refused:
            with self._arrived:
                self._rejections.append((path, refused.status, refused.reason))
                self._arrived.notify_all()
            return refused.status, {}, None, None
        reply = self._next_reply(path)
        if reply.delay or self.delay:
            time.sleep(reply.delay + self.delay)
        message = ReceivedMessage(
            path=path,
            status=RECEIVING,
            headers={k.lower(): v for k, v in headers.items()},
            claims=claims,
            vapid_key=key,
            ttl=ttl,
            urgency=urgency,
            topic=topic,
            body=body,
            text=text,
        )
        answer = {}
        if reply.retry_after is not None:
            answer["Retry-After"] = reply.retry_after
        if reply.location is not None:
            answer["Location"] = reply.location
        elif reply.status == 201:
            answer["Location"] = f"{self.origin}/message/{secrets.token_urlsafe(8)}"
        return reply.status, answer, reply, message

    def _arrived_message(self, message: ReceivedMessage | None, status: int) -> None:
        """Record a message with the status of its answer (0: it never got one); a second call
        for the same message only changes its status."""
        if message is None:
            return
        with self._arrived:
            first = message.status == RECEIVING
            message.status = status
            if first:
                message.received_at = time.monotonic()
                self._messages.append(message)
            self._arrived.notify_all()

    def _next_reply(self, path: str) -> Reply:
        with self._lock:
            script = self._replies.get(path)
            if not script:
                return Reply()
            return script.pop(0) if len(script) > 1 else script[0]

    def _check_vapid(self, authorization: str, subscriber: Subscriber) -> tuple[dict, str]:
        """RFC 8292: the signature is verified once per distinct header; the claims each time."""
        with self._lock:
            known = self._verified.get(authorization)
        if known is None:
            known = verify_vapid(authorization)
            with self._lock:
                self._verified[authorization] = known
        claims, key = known
        check_claims(claims, key, self.origin, subscriber.server_key)
        return claims, key
