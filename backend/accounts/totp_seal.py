"""TOTP seeds encrypted at rest, with keys of their own (TOTP_ENCRYPTION_KEY).

Anyone who reads a seed can make the operator's codes, so a copy of the database (a backup,
a leaked dump) must not carry them readable. A seed is sealed with AES-256-GCM
(cryptography's AESGCM, a fresh 96-bit nonce each time) under a key that is not SECRET_KEY
and not derived from it: a leaked SECRET_KEY forges sessions, not second factors. The
operator's id is the associated data, so a sealed seed copied to another operator's row
does not open. Nonce, ciphertext and tag of a 160-bit seed are 48 bytes: 64 characters of
base64url, which fit the column as it always was.

TOTP_ENCRYPTION_KEY is one or more keys (32 random bytes, url-safe base64), comma-separated:
the first seals, every one is tried to open, so a key is rotated by putting a new one first,
running `flask operators rotate-totp-key` and then removing the old one (docs/deploy.md).
A seed stored before encryption (base32 text) is still read, and sealed at its owner's next
sign-in or by the rotate command. The seed of an enrolment in progress travels in the
session cookie sealed the same way, never readable (L4, issue 9).
"""

from __future__ import annotations

import base64
import binascii
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app
from sqlalchemy import select

from backend.extensions import db

PLAIN_SEED = re.compile(r"^[A-Z2-7]+=*$")
NONCE_BYTES = 12
LONGEST_SEED_BYTES = 20  # 160 bits (RFC 4226's recommendation; totp.new_secret)


class SeedUnreadable(ValueError):
    """A sealed seed that none of the configured keys opens."""


def read_keys(value: str) -> list[bytes]:
    """The keys in a TOTP_ENCRYPTION_KEY value; ValueError when one is not 32 bytes."""
    keys = []
    for text in (part.strip() for part in (value or "").split(",")):
        if not text:
            continue
        try:
            key = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            key = b""
        if len(key) != 32:
            raise ValueError("each key must be 32 random bytes in url-safe base64")
        keys.append(key)
    if not keys:
        raise ValueError("no key is set")
    return keys


def _ciphers() -> list[AESGCM]:
    return [AESGCM(key) for key in read_keys(current_app.config.get("TOTP_ENCRYPTION_KEY"))]


def for_operator(operator_id: int) -> str:
    """Whose seed it is, for a seed stored on an operator's row."""
    return f"operator:{operator_id}"


def for_enrolment(operator_id: int) -> str:
    """Whose seed it is, for the seed of an enrolment in progress (in the cookie)."""
    return f"enrolment:{operator_id}"


def _context(owner: str) -> bytes:
    return f"steady totp seed for {owner}".encode()


def seal(seed: str, owner: str) -> str:
    """The seed as stored for `owner` ("operator:<id>", "enrolment:<id>"): 64 characters."""
    raw = base64.b32decode(seed + "=" * (-len(seed) % 8))
    if len(raw) > LONGEST_SEED_BYTES:
        raise ValueError("a TOTP seed is at most 160 bits")
    nonce = os.urandom(NONCE_BYTES)
    sealed = nonce + _ciphers()[0].encrypt(nonce, raw, _context(owner))
    return base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("=")


def _open(stored: str, owner: str, ciphers: list[AESGCM]) -> str:
    try:
        sealed = base64.urlsafe_b64decode(stored + "=" * (-len(stored) % 4))
    except (binascii.Error, ValueError):
        raise SeedUnreadable("not a sealed seed") from None
    nonce, body = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    for cipher in ciphers:
        try:
            return base64.b32encode(cipher.decrypt(nonce, body, _context(owner))).decode()
        except (InvalidTag, ValueError):
            continue
    raise SeedUnreadable("the TOTP seed cannot be read with TOTP_ENCRYPTION_KEY")


def unseal(stored: str, owner: str) -> str:
    """The seed a stored value holds (a seed stored before encryption is returned as is)."""
    if PLAIN_SEED.match(stored):
        return stored
    return _open(stored, owner, _ciphers())


def needs_sealing_again(stored: str, owner: str) -> bool:
    """Is this value plain text, or sealed with a key that is no longer the first?"""
    if PLAIN_SEED.match(stored):
        return True
    try:
        _open(stored, owner, _ciphers()[:1])
    except SeedUnreadable:
        return True
    return False


def reseal_all() -> tuple[int, int]:
    """Seal every stored seed with the first key; commits once.

    Returns (sealed again, unreadable): an unreadable seed is left as it is, so that adding
    the key it was sealed with and running this again still saves it.
    """
    from backend.accounts.models import Operator

    resealed = unreadable = 0
    for operator in db.session.scalars(select(Operator).where(Operator.totp_secret.is_not(None))):
        owner = for_operator(operator.id)
        if not needs_sealing_again(operator.totp_secret, owner):
            continue
        try:
            operator.totp_secret = seal(unseal(operator.totp_secret, owner), owner)
        except SeedUnreadable:
            unreadable += 1
            continue
        resealed += 1
    db.session.commit()
    return resealed, unreadable
