"""reminders under a hostile push service (issue 12): a back-off per subscription
(not_before), the superseded status, and an index for the prune

Revision ID: 0008_reminders_hostile
Revises: 0007_directory_trust
Create Date: 2026-11-26 17:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0008_reminders_hostile"
down_revision = "0007_directory_trust"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('pending', 'sent', 'skipped_expired', 'failed')"
NEW_STATUSES = "status IN ('pending', 'sent', 'skipped_expired', 'failed', 'superseded')"


def upgrade():
    with op.batch_alter_table("reminder_subscriptions") as batch:
        batch.add_column(sa.Column("not_before", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("reminder_occurrences") as batch:
        batch.drop_constraint(op.f("ck_reminder_occurrences_status"), type_="check")
        batch.create_check_constraint(op.f("ck_reminder_occurrences_status"), NEW_STATUSES)
        batch.create_index("ix_reminder_occurrences_occurrence_at", ["occurrence_at"])


def downgrade():
    op.execute("DELETE FROM reminder_occurrences WHERE status = 'superseded'")
    with op.batch_alter_table("reminder_occurrences") as batch:
        batch.drop_index("ix_reminder_occurrences_occurrence_at")
        batch.drop_constraint(op.f("ck_reminder_occurrences_status"), type_="check")
        batch.create_check_constraint(op.f("ck_reminder_occurrences_status"), OLD_STATUSES)
    with op.batch_alter_table("reminder_subscriptions") as batch:
        batch.drop_column("not_before")
