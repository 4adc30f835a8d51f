"""helplines, their contact methods, and the audit log

Revision ID: 0002_helplines
Revises: 0001_baseline
Create Date: 2026-11-25 21:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0002_helplines"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "helplines",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.JSON(), nullable=False),
        sa.Column("description", sa.JSON(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("free", sa.Boolean(), nullable=True),
        sa.Column("confidential", sa.Boolean(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("alert", sa.JSON(), nullable=True),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("source_status", sa.String(length=24), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("verified_by", sa.String(length=200), nullable=True),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_helplines")),
    )
    with op.batch_alter_table("helplines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_helplines_country"), ["country"], unique=False)
        batch_op.create_index(batch_op.f("ix_helplines_status"), ["status"], unique=False)
        batch_op.create_index(
            "ix_helplines_modified_at_version", ["modified_at", "version"], unique=False
        )

    op.create_table(
        "helpline_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("helpline_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=500), nullable=False),
        sa.Column("keyword", sa.String(length=40), nullable=True),
        sa.Column("note", sa.JSON(), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["helpline_id"],
            ["helplines.id"],
            name=op.f("fk_helpline_contacts_helpline_id_helplines"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_helpline_contacts")),
    )
    with op.batch_alter_table("helpline_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_helpline_contacts_helpline_id"), ["helpline_id"], unique=False
        )

    op.create_table(
        "audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("entity_type", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entries_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entries_action"), ["action"], unique=False)
        batch_op.create_index(
            "ix_audit_entries_entity", ["entity_type", "entity_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_entries_entity")
        batch_op.drop_index(batch_op.f("ix_audit_entries_action"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entries_at"))
    op.drop_table("audit_entries")

    with op.batch_alter_table("helpline_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_helpline_contacts_helpline_id"))
    op.drop_table("helpline_contacts")

    with op.batch_alter_table("helplines", schema=None) as batch_op:
        batch_op.drop_index("ix_helplines_modified_at_version")
        batch_op.drop_index(batch_op.f("ix_helplines_status"))
        batch_op.drop_index(batch_op.f("ix_helplines_country"))
    op.drop_table("helplines")
