"""baseline: an empty schema that later migrations build on

Revision ID: 0001_baseline
Revises: 
Create Date: 2026-11-25 20:48:05.005933

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001_baseline'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
