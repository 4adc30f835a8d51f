"""directory trust (issue 13): verification cleared by changes, translation flags,
four-eyes proposals for priority lines, and a note on audit rows

Revision ID: 0007_directory_trust
Revises: 0006_security
Create Date: 2026-11-26 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007_directory_trust"
down_revision = "0006_security"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("helplines") as batch:
        batch.add_column(sa.Column("changed_on", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("needs_translation", sa.JSON(), nullable=False, server_default="[]")
        )
    with op.batch_alter_table("audit_entries") as batch:
        batch.add_column(sa.Column("note", sa.String(length=500), nullable=True))
    op.create_table(
        "helpline_proposals",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("helpline_id", sa.Uuid(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("via", sa.String(length=12), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_label", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_label", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["helpline_id"], ["helplines.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("helpline_proposals") as batch:
        batch.create_index("ix_helpline_proposals_helpline_id", ["helpline_id"])
        batch.create_index("ix_helpline_proposals_state", ["state"])


def downgrade():
    op.drop_table("helpline_proposals")
    with op.batch_alter_table("audit_entries") as batch:
        batch.drop_column("note")
    with op.batch_alter_table("helplines") as batch:
        batch.drop_column("needs_translation")
        batch.drop_column("changed_on")
