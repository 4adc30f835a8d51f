"""Signing in: password, then TOTP (every role); lockout kept on the operator row; every
attempt in the audit log.

A wrong password counts against the account only from the address it came from (the
console's rate limit: views_auth.py), so someone who merely knows an operator's e-mail
address cannot lock them out (L6, issue 9). A wrong code needs the right password first:
after ADMIN_LOCKOUT_AFTER of those (or of failed confirmations in a session) the account is
locked for ADMIN_LOCKOUT_MINUTES, whatever process or address they came from. An unknown or
inactive e-mail costs the same hashing time as a wrong password and gets the same answer.
Success, failure and lockout are written to the audit log with the account (never the
e-mail address typed for an unknown one: it may be a password) and the address (L5).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, update

from backend.accounts import passwords, totp, totp_seal
from backend.accounts.models import Operator
from backend.accounts.service import actor_for, find_operator
from backend.audit import Actor, record
from backend.database import utcnow
from backend.extensions import db

log = logging.getLogger(__name__)

# What a password check leads to (every operator has a second step).
NEEDS_CODE = "needs_code"
NEEDS_ENROLMENT = "needs_enrolment"
REFUSED = "refused"
SOMEONE = Actor(id=None, label="sign-in attempt")


@dataclass(frozen=True)
class PasswordCheck:
    """The outcome of an e-mail and password; `operator` is None when refused."""

    outcome: str
    operator: Operator | None = None


def is_locked(operator: Operator, now: datetime | None = None) -> bool:
    """Is the account locked after too many failed codes?"""
    return operator.locked_until is not None and operator.locked_until > (now or utcnow())


def _audit(action: str, operator: Operator | None, address: str | None, **facts) -> None:
    """One sign-in event in the audit log (added to the session; the caller commits)."""
    actor = (
        actor_for(operator)
        if operator is not None and action in ("sign_in", "confirm")
        else SOMEONE
    )
    entity = str(operator.id) if operator is not None else "unknown"
    record(actor, action, "operator", entity, None, {"address": address or "unknown", **facts})


def _register_failure(operator: Operator, now: datetime, address: str | None, reason: str) -> None:
    # One UPDATE, so attempts from several processes all count.
    db.session.execute(
        update(Operator)
        .where(Operator.id == operator.id)
        .values(failed_logins=Operator.failed_logins + 1)
    )
    db.session.refresh(operator)
    _audit("sign_in.failed", operator, address, reason=reason)
    if operator.failed_logins >= current_app.config["ADMIN_LOCKOUT_AFTER"]:
        minutes = current_app.config["ADMIN_LOCKOUT_MINUTES"]
        operator.locked_until = now + timedelta(minutes=minutes)
        operator.failed_logins = 0
        _audit("sign_in.locked", operator, address, minutes=minutes)
    db.session.commit()


def _signed_in(operator: Operator, now: datetime, address: str | None, how: str) -> None:
    operator.failed_logins = 0
    operator.locked_until = None
    operator.last_login_at = now
    _audit("sign_in", operator, address, second_step=how)
    db.session.commit()


def check_password(
    email: str, password: str, address: str | None = None, now: datetime | None = None
) -> PasswordCheck:
    """Check an e-mail and password; then ask for the code, or for enrolment."""
    now = now or utcnow()
    operator = find_operator(email)
    if operator is None or not operator.active or is_locked(operator, now):
        passwords.spend_time_as_if_verifying(password)
        reason = "locked" if operator is not None and operator.active else "unknown or inactive"
        _audit("sign_in.failed", operator if reason == "locked" else None, address, reason=reason)
        db.session.commit()
        return PasswordCheck(REFUSED)
    if not passwords.verify_password(operator.password_hash, password):
        _audit("sign_in.failed", operator, address, reason="wrong password")
        db.session.commit()
        return PasswordCheck(REFUSED)
    if passwords.needs_rehash(operator.password_hash):
        operator.password_hash = passwords.hash_password(password)
        db.session.commit()
    if operator.totp_enrolled:
        return PasswordCheck(NEEDS_CODE, operator)
    return PasswordCheck(NEEDS_ENROLMENT, operator)


def _claim_step(operator: Operator, step: int) -> bool:
    """Store `step` as the last one used, unless another request already used it."""
    result = db.session.execute(
        update(Operator)
        .where(
            Operator.id == operator.id,
            or_(Operator.totp_last_step.is_(None), Operator.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    db.session.refresh(operator)
    return result.rowcount == 1


def _fresh_code(operator: Operator, code: str, now: datetime) -> bool:
    """Is `code` a code of this operator not used before? (claims its step if so)"""
    owner = totp_seal.for_operator(operator.id)
    try:
        seed = totp_seal.unseal(operator.totp_secret, owner)
    except totp_seal.SeedUnreadable:
        log.error(
            "the TOTP seed of operator %s cannot be read: check TOTP_ENCRYPTION_KEY", operator.id
        )
        return False
    step = totp.accepted_step(seed, code, operator.totp_last_step, now=now.timestamp())
    if step is None or not _claim_step(operator, step):
        return False
    if totp_seal.needs_sealing_again(operator.totp_secret, owner):  # plain, or an old key
        operator.totp_secret = totp_seal.seal(seed, owner)
    return True


def check_code(
    operator: Operator, code: str, address: str | None = None, now: datetime | None = None
) -> bool:
    """Second step: is `code` a fresh TOTP code for this operator? Signs them in if so."""
    now = now or utcnow()
    if not operator.active or not operator.totp_secret or is_locked(operator, now):
        return False
    if not _fresh_code(operator, code, now):
        _register_failure(operator, now, address, "wrong code")
        return False
    _signed_in(operator, now, address, "code")
    return True


def confirm_identity(
    operator: Operator, password: str, code: str, address: str | None = None,
    now: datetime | None = None,
) -> bool:  # fmt: skip
    """In a signed-in session: are this the operator's password and a fresh code? (M2)

    A failure counts towards the lockout like a wrong code: the session may not be theirs.
    """
    now = now or utcnow()
    if not operator.active or is_locked(operator, now):
        return False
    if not passwords.verify_password(operator.password_hash, password) or not _fresh_code(
        operator, code, now
    ):
        _register_failure(operator, now, address, "wrong password or code when confirming")
        return False
    _audit("sign_in.confirmed", operator, address)
    db.session.commit()
    return True


def enrol_totp(
    operator: Operator, secret: str, code: str, address: str | None = None,
    now: datetime | None = None, signing_in: bool = True,
) -> bool:  # fmt: skip
    """Turn on TOTP with `secret` (or move it to a new app) once the person proves their app
    shows the right code.

    Their other sessions end (the session version moves on); the caller signs this one
    in again.
    """
    from backend.accounts.sessions import forget_sessions

    now = now or utcnow()
    if not operator.active or is_locked(operator, now):
        return False
    # A wrong code here is not counted as a failed login: the person chose this secret
    # a moment ago, so there is nothing to guess.
    step = totp.accepted_step(secret, code, None, now=now.timestamp())
    if step is None:
        return False
    moving = operator.totp_enrolled  # to a new app: the old one stops working
    before, after = (
        ({"totp_app": "old"}, {"totp_app": "new"})
        if moving
        else ({"totp_enrolled": False}, {"totp_enrolled": True})
    )
    operator.totp_secret = totp_seal.seal(secret, totp_seal.for_operator(operator.id))
    operator.totp_last_step = step
    operator.session_version = (operator.session_version or 0) + 1
    forget_sessions(operator.id)
    record(
        actor_for(operator),
        "operator.update",
        "operator",
        str(operator.id),
        before,
        after,
    )
    if signing_in:
        _signed_in(operator, now, address, "enrolment")
    else:
        db.session.commit()
    return True
