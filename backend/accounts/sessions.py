"""Console sessions kept on the server, so that signing out really ends them (M1, issue 9).

The session cookie is signed by SECRET_KEY but is otherwise a bearer token: before, a copy
taken before signing out still opened the console until its 12-hour limit. Now each
signed-in browser has a row holding the sha256 of a random key its cookie carries; every
console request needs that row, signing out deletes it, and a password change, a change to
the operator, deactivation or "sign out everywhere" delete all of them. The idle and
absolute limits are checked on the row as well as on the cookie. `confirmed_at` records the
last time the operator proved it was them (password and code) in that session, which
changing sign-in settings and making API tokens require (M2).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select

from backend.accounts.models import Operator, OperatorSession
from backend.database import utcnow
from backend.extensions import db

# seen_at is written at most this often per session, so reading pages stays cheap; the
# idle limit allows for it.
SEEN_RESOLUTION = timedelta(minutes=1)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def open_session(operator: Operator, *, confirmed: bool = True, now: datetime | None = None) -> str:
    """A new session for `operator`; returns the key for the cookie (never stored)."""
    now = now or utcnow()
    key = secrets.token_urlsafe(32)
    db.session.add(
        OperatorSession(
            operator_id=operator.id,
            key_hash=_digest(key),
            created_at=now,
            seen_at=now,
            confirmed_at=now if confirmed else None,
        )
    )
    db.session.commit()
    return key


def find_session(
    key: str | None,
    operator_id: int,
    *,
    idle: timedelta,
    longest: timedelta,
    now: datetime | None = None,
) -> OperatorSession | None:
    """The live session this key names for this operator, or None (unknown, ended, idle
    too long or too old)."""
    if not key or len(key) > 100:
        return None
    row = db.session.scalar(select(OperatorSession).where(OperatorSession.key_hash == _digest(key)))
    now = now or utcnow()
    if row is None or row.operator_id != operator_id:
        return None
    if row.created_at + longest <= now or row.seen_at + idle + SEEN_RESOLUTION <= now:
        return None
    return row


def mark_seen(row: OperatorSession, now: datetime | None = None) -> None:
    """Record activity (written at most once a minute)."""
    now = now or utcnow()
    if now - row.seen_at >= SEEN_RESOLUTION:
        row.seen_at = now
        db.session.commit()


def mark_confirmed(row: OperatorSession, now: datetime | None = None) -> None:
    """The operator proved it was them in this session just now."""
    row.confirmed_at = now or utcnow()
    db.session.commit()


def confirmed_within(row: OperatorSession | None, window: timedelta) -> bool:
    """Did the operator prove it was them in this session within `window`?"""
    return bool(row and row.confirmed_at and utcnow() - row.confirmed_at < window)


def end_session(key: str | None) -> None:
    """Sign out the session this key names (nothing happens for an unknown key)."""
    if key:
        db.session.execute(delete(OperatorSession).where(OperatorSession.key_hash == _digest(key)))
        db.session.commit()


def forget_sessions(operator_id: int) -> None:
    """Delete every session of an operator WITHOUT committing: for the service functions that
    change the operator, so the change and the sign-out are written together."""
    db.session.execute(delete(OperatorSession).where(OperatorSession.operator_id == operator_id))


def end_all_sessions(operator: Operator) -> None:
    """Sign the operator out everywhere."""
    forget_sessions(operator.id)
    db.session.commit()


def prune_sessions(longest: timedelta, now: datetime | None = None) -> int:
    """Delete sessions past the absolute limit; returns how many."""
    cutoff = (now or utcnow()) - longest
    result = db.session.execute(delete(OperatorSession).where(OperatorSession.created_at < cutoff))
    db.session.commit()
    return result.rowcount or 0
