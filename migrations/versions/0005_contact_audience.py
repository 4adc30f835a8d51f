"""helpline contacts: who a contact is for (audience), e.g. TTY numbers for deaf people

Revision ID: 0005_contact_audience
Revises: 0004_reminders
Create Date: 2026-11-26 14:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0005_contact_audience"
down_revision = "0004_reminders"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("helpline_contacts") as batch:
        batch.add_column(sa.Column("audience", sa.String(length=24), nullable=True))


def downgrade():
    with op.batch_alter_table("helpline_contacts") as batch:
        batch.drop_column("audience")
