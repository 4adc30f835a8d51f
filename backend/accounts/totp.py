"""Time-based one-time passwords (RFC 6238) with pyotp, refusing any code used before.

A code is accepted from the current 30-second step or the one before it (a code typed as
its step ended, RFC 6238 §5.2 allows one step of delay), never from a step still to come
(L6, issue 9: three codes were valid at any moment), and only when its step is later than
the last step accepted for the operator: the same code, or an older one, never works twice.
"""

from __future__ import annotations

import hmac
import time

import pyotp

ISSUER = "Steady operators"
STEPS_BACK = 1


def new_secret() -> str:
    """A fresh base32 secret (160 bits, as RFC 4226 recommends)."""
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, account: str) -> str:
    """The otpauth:// URI an authenticator app reads."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def accepted_step(
    secret: str, code: str, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step `code` belongs to, if it is valid now and newer than `last_step`."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    current = totp.timecode(moment)
    for step in range(current - STEPS_BACK, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if last_step is not None and step <= last_step:
                return None
            return step
    return None
