"""API tokens for operators' scripts: shown once, stored as sha256, revocable, expiring.

A token lives API_TOKEN_DAYS (90 by default; the console shows until when) and dies with
its operator's deactivation: reactivating them does not bring old tokens back (L2, issue 9).
The console makes one only in a session whose operator just proved it was them with their
password and code (M2, M3), so a token never skips the second factor.

A token is "stdy_" followed by 43 URL-safe characters (`secrets.token_urlsafe(32)`, 256
bits). Only its sha256 hex digest is stored, with the first 8 characters for display.
A sha256 (not argon2) is right here: the secret is random and long, so it cannot be
guessed from its hash, and every API request can check it cheaply.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from backend.accounts.models import ApiToken, Operator
from backend.audit import Actor, record
from backend.database import utcnow
from backend.extensions import db

PREFIX = "stdy_"
DISPLAY_CHARS = 8
# last_used_at is written at most this often per token, so reads of the API stay cheap.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def _actor(operator: Operator) -> Actor:
    return Actor(id=operator.id, label=f"{operator.display_name} ({operator.role})")


def issue_api_token(
    operator: Operator, label: str, actor: Actor | None = None
) -> tuple[ApiToken, str]:
    """Make a token for `operator`; returns the row and the plaintext, which is never kept."""
    label = " ".join((label or "").split())[:80] or "API token"
    plaintext = PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        operator_id=operator.id,
        label=label,
        token_hash=_digest(plaintext),
        prefix=plaintext[:DISPLAY_CHARS],
        created_at=now,
        expires_at=now + timedelta(days=current_app.config["API_TOKEN_DAYS"]),
    )
    db.session.add(token)
    db.session.flush()
    after = {
        "operator_id": operator.id,
        "label": label,
        "prefix": token.prefix,
        "expires_at": token.expires_at,
    }
    record(actor or _actor(operator), "token.issue", "api_token", str(token.id), None, after)
    db.session.commit()
    return token, plaintext


def authenticate_api_token(plaintext: str, now: datetime | None = None) -> Operator | None:
    """The active operator a token belongs to, or None (unknown, revoked, expired, inactive).

    The lookup is by the digest, and the digests are compared again in constant time,
    so timing says nothing about the secret. last_used_at is updated (at most once a
    minute per token).
    """
    if not plaintext or not plaintext.startswith(PREFIX) or len(plaintext) > 100:
        return None
    digest = _digest(plaintext)
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    now = now or utcnow()
    if token.revoked or token.expired(now) or not token.operator.active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        db.session.commit()
    return token.operator


def get_api_token(token_id: int) -> ApiToken | None:
    """The token with this id, or None."""
    return db.session.get(ApiToken, token_id)


def list_api_tokens(operator: Operator | None = None) -> list[ApiToken]:
    """Tokens of one operator (or of everyone), newest first, revoked ones included."""
    query = select(ApiToken).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    if operator is not None:
        query = query.where(ApiToken.operator_id == operator.id)
    return list(db.session.scalars(query))


def revoke_api_token(token_id: int, actor: Actor) -> ApiToken | None:
    """Revoke a token at once (kept, for the record); None when there is no such token."""
    token = get_api_token(token_id)
    if token is None:
        return None
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record(
            actor,
            "token.revoke",
            "api_token",
            str(token.id),
            {"revoked": False},
            {"revoked": True, "operator_id": token.operator_id, "prefix": token.prefix},
        )
        db.session.commit()
    return token


def revoke_all_api_tokens(operator: Operator, now: datetime | None = None) -> int:
    """Revoke every live token of an operator WITHOUT committing (for deactivation, which
    records it in its own audit row); returns how many."""
    result = db.session.execute(
        update(ApiToken)
        .where(ApiToken.operator_id == operator.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return result.rowcount or 0
