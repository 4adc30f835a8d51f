"""Operators of the console, their API tokens and their console sessions.

An operator signs in with an e-mail, an argon2id password and a TOTP code (every role: M3,
issue 9); the TOTP seed is stored encrypted (totp_seal.py). Lockout state lives on the row,
so it holds across every web process. API tokens are stored only as the sha256 of the
secret and expire. Each signed-in browser has a session row, stored as the sha256 of the
key its cookie carries, so signing out ends that session everywhere (sessions.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.database import UTCDateTime, utcnow
from backend.extensions import db

ROLES = ("editor", "admin")

__all__ = ["ROLES", "ApiToken", "Operator", "OperatorSession"]


class Operator(db.Model):
    """A person who keeps the helpline list: an editor, or an admin who also manages people."""

    __tablename__ = "operators"
    __table_args__ = (CheckConstraint("role IN ('editor', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    # The TOTP seed, sealed with TOTP_ENCRYPTION_KEY (totp_seal.py: 64 characters).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last TOTP time step accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped when a password, role, TOTP or active flag changes: older sessions end.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # A first password someone else chose: the operator must choose their own (L7).
    password_change_required: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="operator", cascade="all, delete-orphan", order_by="ApiToken.id"
    )

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def totp_enrolled(self) -> bool:
        return bool(self.totp_secret)

    @property
    def totp_required(self) -> bool:
        """Every operator signs in with a second factor (M3, issue 9)."""
        return True

    # Flask-Login's user protocol.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        """The session's user id, which also names the session version (see auth.py)."""
        return f"{self.id}.{self.session_version}"

    def __repr__(self) -> str:  # never the hash or secret
        return f"<Operator {self.id} {self.role}>"


class ApiToken(db.Model):
    """A per-operator token for the write API: shown once, stored as a sha256 hex digest."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operator_id: Mapped[int] = mapped_column(
        ForeignKey("operators.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Tokens expire (API_TOKEN_DAYS after they are made: L2, M3); the console shows when.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    operator: Mapped[Operator] = relationship(back_populates="tokens")

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def expired(self, now: datetime | None = None) -> bool:
        return self.expires_at <= (now or utcnow())

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}…>"


class OperatorSession(db.Model):
    """One signed-in browser: the cookie carries a random key, the row its sha256.

    Signing out deletes the row, so a copy of the cookie stops working at once (M1); a
    password change or "sign out everywhere" deletes them all. `confirmed_at` is when the
    operator last proved it was them (password and code) in this session (M2).
    """

    __tablename__ = "operator_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    operator_id: Mapped[int] = mapped_column(
        ForeignKey("operators.id", ondelete="CASCADE"), index=True
    )
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:  # never the key
        return f"<OperatorSession {self.id} of {self.operator_id}>"
