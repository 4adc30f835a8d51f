"""Signing in: password, then TOTP; lockout kept on the operator row.

After ADMIN_LOCKOUT_AFTER failed attempts (a wrong password or a wrong code) an account
is locked for ADMIN_LOCKOUT_MINUTES, whatever process or address the attempts came from.
An unknown or inactive e-mail costs the same hashing time as a wrong password and gets
the same answer, so the form does not tell anyone which addresses exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, update

from backend.accounts import passwords, totp
from backend.accounts.models import Operator
from backend.accounts.service import actor_for, find_operator
from backend.audit import record
from backend.database import utcnow
from backend.extensions import db

# What a password check leads to.
SIGNED_IN = "signed_in"
NEEDS_CODE = "needs_code"
NEEDS_ENROLMENT = "needs_enrolment"
REFUSED = "refused"


@dataclass(frozen=True)
class PasswordCheck:
    """The outcome of an e-mail and password; `operator` is None when refused."""

    outcome: str
    operator: Operator | None = None


def is_locked(operator: Operator, now: datetime | None = None) -> bool:
    """Is the account locked after too many failed attempts?"""
    return operator.locked_until is not None and operator.locked_until > (now or utcnow())


def _register_failure(operator: Operator, now: datetime) -> None:
    # One UPDATE, so attempts from several processes all count.
    db.session.execute(
        update(Operator)
        .where(Operator.id == operator.id)
        .values(failed_logins=Operator.failed_logins + 1)
    )
    db.session.refresh(operator)
    if operator.failed_logins >= current_app.config["ADMIN_LOCKOUT_AFTER"]:
        minutes = current_app.config["ADMIN_LOCKOUT_MINUTES"]
        operator.locked_until = now + timedelta(minutes=minutes)
        operator.failed_logins = 0
    db.session.commit()


def _signed_in(operator: Operator, now: datetime) -> None:
    operator.failed_logins = 0
    operator.locked_until = None
    operator.last_login_at = now
    db.session.commit()


def check_password(email: str, password: str, now: datetime | None = None) -> PasswordCheck:
    """Check an e-mail and password; sign in, or ask for the code or for enrolment."""
    now = now or utcnow()
    operator = find_operator(email)
    if operator is None or not operator.active or is_locked(operator, now):
        passwords.spend_time_as_if_verifying(password)
        return PasswordCheck(REFUSED)
    if not passwords.verify_password(operator.password_hash, password):
        _register_failure(operator, now)
        return PasswordCheck(REFUSED)
    if passwords.needs_rehash(operator.password_hash):
        operator.password_hash = passwords.hash_password(password)
        db.session.commit()
    if operator.totp_enrolled:
        return PasswordCheck(NEEDS_CODE, operator)
    if operator.totp_required:
        return PasswordCheck(NEEDS_ENROLMENT, operator)
    _signed_in(operator, now)
    return PasswordCheck(SIGNED_IN, operator)


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


def check_code(operator: Operator, code: str, now: datetime | None = None) -> bool:
    """Second step: is `code` a fresh TOTP code for this operator? Signs them in if so."""
    now = now or utcnow()
    if not operator.active or not operator.totp_secret or is_locked(operator, now):
        return False
    step = totp.accepted_step(
        operator.totp_secret, code, operator.totp_last_step, now=now.timestamp()
    )
    if step is None or not _claim_step(operator, step):
        _register_failure(operator, now)
        return False
    _signed_in(operator, now)
    return True


def enrol_totp(operator: Operator, secret: str, code: str, now: datetime | None = None) -> bool:
    """Turn on TOTP with `secret` once the person proves their app shows the right code.

    Their other sessions end (the session version moves on); the caller signs this one
    in again.
    """
    now = now or utcnow()
    if not operator.active or is_locked(operator, now):
        return False
    # A wrong code here is not counted as a failed login: the person chose this secret
    # a moment ago, so there is nothing to guess.
    step = totp.accepted_step(secret, code, None, now=now.timestamp())
    if step is None:
        return False
    before = {"totp_enrolled": operator.totp_enrolled}
    operator.totp_secret = secret
    operator.totp_last_step = step
    operator.session_version = (operator.session_version or 0) + 1
    record(
        actor_for(operator),
        "operator.update",
        "operator",
        str(operator.id),
        before,
        {"totp_enrolled": True},
    )
    _signed_in(operator, now)
    return True
