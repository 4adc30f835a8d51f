"""Schemas for the reminders API: what a browser may send, and what it gets back.

The endpoint is checked without resolving anything: a plain https URL (read the same way by
urlsplit and by urllib3, which sends it) on a public host name (no IP literal outside the
public ranges, no localhost/.local/.internal names, no port), so the worker can never be
pointed at the server's own network (server-side request forgery); and
by default only on the browsers' push services (REMINDERS_PUSH_HOSTS), so that no name we do
not trust can later resolve to a private address (DNS rebinding).
Loopback receivers are allowed only when REMINDERS_ALLOW_LOOPBACK_ENDPOINTS is on (testing).
At send time the worker checks the addresses the name resolves to (addresses.py).
Keys are checked by decoding them; the endpoint and keys are never returned.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
import socket
from datetime import UTC, datetime, timedelta
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import available_timezones

from cryptography.hazmat.primitives.asymmetric import ec
from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from backend.reminders.models import LANGUAGES, MESSAGES
from backend.wall_clock import HH_MM

MAX_ENDPOINT_LENGTH = 2048
MAX_PAUSE = timedelta(days=366)
BASE64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")
# Names that only mean something inside a private network (RFC 6761, 6762, 8375, ICANN).
PRIVATE_SUFFIXES = (".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa")


def decode_base64url(text: str) -> bytes:
    """Decode base64url (padded or not); raise ValueError for anything else."""
    if not BASE64URL.match(text):
        raise ValueError("not base64url")
    try:
        return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))
    except binascii.Error as error:
        raise ValueError("not base64url") from error


# A push endpoint as the worker will read it, character by character (H1, issue 9): https,
# a host of lower-case letters, digits, dots and dashes, then an optional path and query of
# RFC 3986 characters. Nothing two URL parsers could read differently gets through: no
# backslash (urllib3 stops the host there, urlsplit does not), no user, port, percent-sign
# or non-ASCII letter in the host, no fragment.
PUBLIC_ENDPOINT = re.compile(
    r"https://(?P<host>[a-z0-9.-]{1,253})(?:[/?][A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?"
)
# With the development switch: a receiver on this machine, by address, on any port.
LOOPBACK_ENDPOINT = re.compile(
    r"https?://(?:127\.0\.0\.1|\[::1\])(?::[0-9]{1,5})?(?:[/?][A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?"
)
HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
NOT_PLAIN = "Must be a plain https address: a host name of letters, digits, dots and dashes."


def _as_the_sender_reads_it(url: str) -> tuple[str | None, str | None, int | None, str | None]:
    """(scheme, host, port, user) as urllib3 (and so requests, and so pywebpush) reads `url`."""
    try:
        parsed = parse_url(url)
    except LocationParseError:
        return None, None, None, None
    return parsed.scheme, parsed.host, parsed.port, parsed.auth


def endpoint_problem(
    url: str, allow_loopback: bool = False, push_hosts: tuple[str, ...] = ("*",)
) -> str | None:
    """Why a push endpoint is refused, or None when it may be used. Resolves nothing (the
    worker checks the addresses when it connects: addresses.py).

    ``push_hosts`` lists the push services allowed (a host and its subdomains, e.g.
    "push.apple.com" for web.push.apple.com); "*" allows any public host.
    """
    if allow_loopback and LOOPBACK_ENDPOINT.fullmatch(url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "Not a valid URL."
    if _is_private_address(parts.hostname or ""):
        return "Must be on a public host."
    if parts.scheme != "https":
        return "Must be https."
    plain = PUBLIC_ENDPOINT.fullmatch(url)
    if plain is None:
        if "@" in parts.netloc:
            return "Must be an https URL with a host name."
        if port is not None:
            return "Must use the standard https port."
        return NOT_PLAIN
    host = plain["host"]
    if _as_the_sender_reads_it(url) != ("https", host, None, None):
        return NOT_PLAIN
    if not all(HOST_LABEL.fullmatch(label) for label in host.split(".")):
        return NOT_PLAIN  # an empty label (a trailing dot, "..") or a dash at a label's edge
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None:
        if _is_private_address(host):
            return "Must be on a public host."
        return None if "*" in push_hosts else "Must be a browser's push service."
    if host == "localhost" or host.endswith(PRIVATE_SUFFIXES) or "." not in host:
        return "Must be on a public host."
    if _looks_like_ipv4(host):  # 0x7f.1, 2130706433 and other spellings of an address
        return "Must be on a public host."
    if "*" not in push_hosts and not any(
        host == known or host.endswith("." + known) for known in push_hosts
    ):
        return "Must be a browser's push service."
    return None


def _is_private_address(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global or address.is_multicast


def _looks_like_ipv4(host: str) -> bool:
    try:
        socket.inet_aton(host)
    except OSError:
        return False
    return True


def p256dh_problem(text: str) -> str | None:
    """The browser's public key: 65 bytes, uncompressed (0x04), a point on P-256."""
    try:
        raw = decode_base64url(text)
    except ValueError:
        return "Must be base64url."
    if len(raw) != 65 or raw[0] != 4:
        return "Must be an uncompressed P-256 public key (65 bytes)."
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError:
        return "Is not a point on P-256."
    return None


def auth_problem(text: str) -> str | None:
    """The browser's auth secret: 16 bytes."""
    try:
        raw = decode_base64url(text)
    except ValueError:
        return "Must be base64url."
    return None if len(raw) == 16 else "Must be 16 bytes."


@cache
def known_timezones() -> frozenset[str]:
    """IANA zone names this machine's tz database knows (read once)."""
    return frozenset(available_timezones())


def _unique(values: list) -> None:
    if len(set(values)) != len(values):
        raise ValidationError("Must not repeat a value.")


class PushKeysSchema(Schema):
    p256dh = fields.String(required=True, validate=validate.Length(max=128))
    auth = fields.String(required=True, validate=validate.Length(max=64))

    @validates("p256dh")
    def _p256dh(self, value: str, **_) -> None:
        if problem := p256dh_problem(value):
            raise ValidationError(problem)

    @validates("auth")
    def _auth(self, value: str, **_) -> None:
        if problem := auth_problem(value):
            raise ValidationError(problem)


class PushSubscriptionSchema(Schema):
    """What `PushSubscription.toJSON()` gives in the browser."""

    endpoint = fields.String(
        required=True, validate=validate.Length(min=1, max=MAX_ENDPOINT_LENGTH)
    )
    expirationTime = fields.Float(  # the browser's own name; ignored
        load_default=None, allow_none=True, metadata={"description": "Ignored."}
    )
    keys = fields.Nested(PushKeysSchema, required=True)

    @validates("endpoint")
    def _endpoint(self, value: str, **_) -> None:
        allow = current_app.config.get("REMINDERS_ALLOW_LOOPBACK_ENDPOINTS", False)
        hosts = current_app.config.get("REMINDERS_PUSH_HOSTS", ("*",))
        if problem := endpoint_problem(value, allow_loopback=allow, push_hosts=hosts):
            raise ValidationError(problem)


class ScheduleSchema(Schema):
    """When to remind: days (0 = Monday … 6 = Sunday), 1-3 local times, an IANA zone."""

    days = fields.List(
        fields.Integer(strict=True, validate=validate.Range(0, 6)),
        required=True,
        validate=[validate.Length(min=1, max=7), _unique],
    )
    times = fields.List(
        fields.String(validate=validate.Regexp(HH_MM, error="Must be a time as HH:MM.")),
        required=True,
        validate=[validate.Length(min=1, max=3), _unique],
        metadata={"description": "Local wall-clock times, HH:MM (24-hour)."},
    )
    timezone = fields.String(
        required=True,
        validate=validate.Length(max=64),
        metadata={"description": "An IANA time zone, e.g. Europe/Madrid."},
    )
    paused_until = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "Local date reminders start again (none fire before it)."},
    )

    @validates("timezone")
    def _timezone(self, value: str, **_) -> None:
        if value not in known_timezones():
            raise ValidationError("Must be an IANA time zone, e.g. America/New_York.")

    @validates("paused_until")
    def _paused_until(self, value, **_) -> None:
        if value is not None and value > datetime.now(UTC).date() + MAX_PAUSE:
            raise ValidationError("Must be within a year.")


class ReminderCreateSchema(Schema):
    """A new subscription (or the same endpoint again: then it is updated)."""

    subscription = fields.Nested(PushSubscriptionSchema, required=True)
    schedule = fields.Nested(ScheduleSchema, required=True)
    message = fields.String(load_default="checkin", validate=validate.OneOf(MESSAGES))
    lang = fields.String(load_default="en", validate=validate.OneOf(LANGUAGES))


class ScheduleChangeSchema(ScheduleSchema):
    """Any of the schedule's fields; the others stay as they are."""


class ReminderUpdateSchema(Schema):
    """A change: any of the schedule's fields, the message or the language."""

    schedule = fields.Nested(ScheduleChangeSchema(partial=True))
    message = fields.String(validate=validate.OneOf(MESSAGES))
    lang = fields.String(validate=validate.OneOf(LANGUAGES))


class ReminderSchema(Schema):
    """A subscription as its device sees it: never the endpoint or keys."""

    id = fields.UUID(required=True)
    schedule = fields.Nested(ScheduleSchema, required=True)
    message = fields.String(required=True)
    lang = fields.String(required=True)
    next_due_at = fields.AwareDateTime(allow_none=True, metadata={"description": "UTC."})
    created_at = fields.AwareDateTime(required=True)
    last_sent_at = fields.AwareDateTime(allow_none=True)


class ReminderCreatedSchema(ReminderSchema):
    token = fields.String(
        required=True,
        metadata={"description": "The manage token, shown once: send it as a Bearer token."},
    )


class PushKeySchema(Schema):
    public_key = fields.String(
        required=True,
        metadata={"description": "VAPID application server key: base64url, uncompressed P-256."},
    )
