"""The checks a push service makes on a Web Push request (RFC 8030, 8291, 8292), for the
test receiver: VAPID (ES256 signature by k, aud, exp, sub) and the TTL, Urgency, Topic and
Content-Encoding headers. Each failure raises Refused(status, reason)."""

from __future__ import annotations

import base64
import json
import re
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

URGENCIES = ("very-low", "low", "normal", "high")
TOPIC = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MAX_RECORD = 4096
MAX_EXP_SECONDS = 24 * 60 * 60


def b64url(data: bytes) -> str:
    """Unpadded base64url, as browsers and VAPID write it."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Decode base64url with or without padding."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Refused(Exception):
    """A request that breaks the protocol: answered with `status`, recorded with `reason`."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def verify_vapid(authorization: str) -> tuple[dict, str]:
    """RFC 8292: parse `vapid t=<JWT>,k=<key>` and verify the ES256 signature with k.

    Returns (claims, k). Raises Refused(401) for anything else.
    """
    scheme, _, params = authorization.partition(" ")
    if scheme.lower() != "vapid":
        raise Refused(401, "Authorization is not the vapid scheme")
    parts = dict(p.strip().split("=", 1) for p in params.split(",") if "=" in p)
    token, key = parts.get("t", ""), parts.get("k", "")
    try:
        signing_input, signature_part = token.rsplit(".", 1)
        header_part, claims_part = signing_input.split(".")
        header = json.loads(b64url_decode(header_part))
        claims = json.loads(b64url_decode(claims_part))
        signature = b64url_decode(signature_part)
        point = b64url_decode(key)
        if header.get("alg") != "ES256" or len(signature) != 64:
            raise Refused(401, "the JWT is not ES256")
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        der = utils.encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        public_key.verify(der, signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except Refused:
        raise
    except (ValueError, TypeError, InvalidSignature) as error:
        raise Refused(401, f"bad VAPID token: {error!r}") from error
    if not isinstance(claims, dict):
        raise Refused(401, "JWT claims are not an object")
    return claims, key


def check_claims(claims: dict, key: str, origin: str, server_key: str | None) -> None:
    """`aud` is this receiver's origin (port included), `exp` is in the next 24 h, `sub` is a
    mailto: or https: URL, and k is the subscription's application server key if it has one."""
    if claims.get("aud") != origin:
        raise Refused(401, f"aud {claims.get('aud')!r} is not {origin!r}")
    exp = claims.get("exp")
    now = time.time()
    if not isinstance(exp, int) or not now < exp <= now + MAX_EXP_SECONDS:
        raise Refused(401, f"exp {exp!r} is not within 24 hours")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not re.match(r"^(mailto:[^@\s]+@[^@\s]+|https://\S+)$", sub):
        raise Refused(401, f"sub {sub!r} is not a mailto: or https: URL")
    if server_key and key != server_key:
        raise Refused(403, "k is not the application server key of this subscription")
    return claims, key


def check_headers(headers) -> tuple[int, str, str | None]:
    """RFC 8030/8291 headers: (TTL, Urgency, Topic); Refused(400) when one is wrong."""
    ttl_text = headers.get("TTL", "")
    if not ttl_text.isdigit() or int(ttl_text) <= 0:
        raise Refused(400, f"TTL {ttl_text!r} is not a positive integer")
    urgency = headers.get("Urgency", "")
    if urgency not in URGENCIES:
        raise Refused(400, f"Urgency {urgency!r} is not one of {URGENCIES}")
    topic = headers.get("Topic")
    if topic is None or not TOPIC.match(topic):
        raise Refused(400, f"Topic {topic!r} is not 1-32 base64url characters")
    encoding = headers.get("Content-Encoding", "")
    if encoding != "aes128gcm":
        raise Refused(400, f"Content-Encoding {encoding!r} is not aes128gcm")
    return int(ttl_text), urgency, topic
