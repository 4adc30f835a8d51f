"""security: console sessions on the server, token expiry, forced first-password change
(issue 9)

Revision ID: 0006_security
Revises: 0005_contact_audience
Create Date: 2026-11-26 14:00:00

Existing API tokens get an expiry 90 days after they were made (at least 7 days from now,
so none dies the moment this runs). Existing TOTP seeds stay readable as they are and are
encrypted by `flask operators rotate-totp-key` (docs/deploy.md), or at their owner's next
sign-in (a sealed seed fits the column as it is). A downgrade forgets sealed seeds (those
operators enrol again).
"""
from datetime import UTC, datetime, timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0006_security"
down_revision = "0005_contact_audience"
branch_labels = None
depends_on = None

TOKEN_DAYS = 90
GRACE_DAYS = 7


def _token_expiries():
    tokens = sa.table(
        "api_tokens",
        sa.column("id", sa.Integer()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("expires_at", sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    now = datetime.now(UTC)
    for token_id, created_at in connection.execute(sa.select(tokens.c.id, tokens.c.created_at)):
        if created_at.tzinfo is None:
            created_at = created_at.replace(tzinfo=UTC)
        expires = max(created_at + timedelta(days=TOKEN_DAYS), now + timedelta(days=GRACE_DAYS))
        connection.execute(
            tokens.update().where(tokens.c.id == token_id).values(expires_at=expires)
        )


def upgrade():
    op.create_table(
        "operator_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["operator_id"],
            ["operators.id"],
            name=op.f("fk_operator_sessions_operator_id_operators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operator_sessions")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_operator_sessions_key_hash")),
    )
    with op.batch_alter_table("operator_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_operator_sessions_operator_id"), ["operator_id"], unique=False
        )
    # Not in batch mode: on SQLite a batch rebuilds the table, and dropping `operators` with
    # foreign keys on would delete every API token with it (ON DELETE CASCADE).
    op.add_column(
        "operators",
        sa.Column(
            "password_change_required", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    _token_expiries()
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.alter_column(
            "expires_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )


def downgrade():
    # Sealed seeds (64 characters of base64url) mean nothing to the code before this
    # revision: those operators set up their authenticator app again at their next sign-in.
    op.execute("UPDATE operators SET totp_secret = NULL WHERE LENGTH(totp_secret) = 64")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
    op.drop_column("operators", "password_change_required")  # natively: see upgrade()
    with op.batch_alter_table("operator_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operator_sessions_operator_id"))
    op.drop_table("operator_sessions")
