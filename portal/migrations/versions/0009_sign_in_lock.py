"""wrong sign-in tries counted per account and source

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 13:00:00

"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sign_in_lock',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_hash', sa.String(length=64), nullable=False),
        sa.Column('source', sa.String(length=64), nullable=False),
        sa.Column('tries', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_lock')),
        sa.UniqueConstraint('account_hash', 'source', name=op.f('uq_sign_in_lock_account_hash')),
    )


def downgrade():
    op.drop_table('sign_in_lock')
