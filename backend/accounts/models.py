"""Operators of the console and their API tokens.

An operator signs in with an e-mail, an argon2id password and (for admins always, for
editors when they choose) a TOTP code. Lockout state lives on the row, so it holds across
every web process. API tokens are stored only as the sha256 of the secret.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.database import UTCDateTime, utcnow
from backend.extensions import db

ROLES = ("editor", "admin")

__all__ = ["ROLES", "ApiToken", "Operator"]


class Operator(db.Model):
    """A person who keeps the helpline list: an editor, or an admin who also manages people."""

    __tablename__ = "operators"
    __table_args__ = (CheckConstraint("role IN ('editor', 'admin')", name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last TOTP time step accepted: a code is never accepted twice.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped when a password, role, TOTP or active flag changes: older sessions end.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
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
        """Admins must use a second factor; editors may."""
        return self.is_admin

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

    operator: Mapped[Operator] = relationship(back_populates="tokens")

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def __repr__(self) -> str:
        return f"<ApiToken {self.id} {self.prefix}…>"
