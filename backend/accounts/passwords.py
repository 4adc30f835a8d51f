"""Passwords: argon2id hashes (argon2-cffi), rehashed when the parameters change.

The hasher's parameters come from the PASSWORD_HASHING setting (argon2-cffi's defaults,
RFC 9106's low-memory profile, when it is empty). A password is at least 12 characters;
length beats composition rules (NIST SP 800-63B §5.1.1.2). A new password is also refused
when it is one of the 100,000 passwords most found in breaches (data/README.md says where
the list comes from), ignoring case, or is one of them with only digits, symbols or
spaces added at either end ("Password123!" is "password123" with a "!"): ASVS 5.0 6.2.4,
M4 of issue 9.
"""

from __future__ import annotations

import gzip
import string
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from flask import current_app

MIN_LENGTH = 12
# Long enough for any passphrase, short enough that hashing cannot be used to tie up a worker.
MAX_LENGTH = 256
COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common_passwords.txt.gz"
# What people add to a common password to get past composition rules.
PADDING = string.digits + string.punctuation + string.whitespace


class WeakPassword(ValueError):
    """The password does not meet the rules; the message says why."""


def hasher() -> PasswordHasher:
    """An argon2id hasher with the configured parameters."""
    params = dict(current_app.config.get("PASSWORD_HASHING") or {})
    return PasswordHasher(**params)


def check_strength(password: str, email: str = "") -> None:
    """Raise WeakPassword when `password` is too short, too long or is the e-mail address."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"Use at least {MIN_LENGTH} characters.")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Use at most {MAX_LENGTH} characters.")
    if email and password.strip().lower() == email.strip().lower():
        raise WeakPassword("Do not use your e-mail address as your password.")
    if len(set(password)) < 4:
        raise WeakPassword("Use more than a few different characters.")
    if is_common(password):
        raise WeakPassword(
            "This password is too common: it is on a list of passwords found in data "
            "breaches, so it is among the first ones tried. Choose another, for example a "
            "few unrelated words."
        )


@cache
def common_passwords() -> frozenset[str]:
    """The common-password list, lower case (read once per process, on first use)."""
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n") for line in lines)


def is_common(password: str) -> bool:
    """Is `password`, ignoring case, a common one, or a common one padded with digits,
    symbols or spaces at either end?"""
    lowered = password.lower()
    core = lowered.strip(PADDING)
    known = common_passwords()
    return lowered in known or (bool(core) and core in known)


def hash_password(password: str) -> str:
    """The argon2id hash of `password` (salted; the parameters are in the hash)."""
    return hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Does `password` match `stored_hash`? False for a mismatch or an unreadable hash."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        return hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Was `stored_hash` made with other parameters than the current ones?"""
    try:
        return hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def spend_time_as_if_verifying(password: str) -> None:
    """Hash once, so an unknown e-mail takes as long to refuse as a wrong password."""
    hasher().hash(password[:MAX_LENGTH])
