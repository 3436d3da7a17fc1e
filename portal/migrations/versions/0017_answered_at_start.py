"""answered at start: the questions an application had answered before the family saw any
(not numbered: the first question the family answers is "1 of N")

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 02:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answered_at_start', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_column('answered_at_start')
