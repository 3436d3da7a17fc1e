"""sms delivery status: the provider's id for a message, what became of it, and a guide's
follow-up of one that failed

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider_ref', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('delivery_status', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('delivery_status_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('followed_up_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('followed_up_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_message_followed_up_by_id_user'), 'user', ['followed_up_by_id'], ['id']
        )
        batch_op.create_index(batch_op.f('ix_outbox_message_provider_ref'), ['provider_ref'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_followed_up_by_id_user'), type_='foreignkey')
        batch_op.drop_column('followed_up_by_id')
        batch_op.drop_column('followed_up_at')
        batch_op.drop_index(batch_op.f('ix_outbox_message_provider_ref'))
        batch_op.drop_column('delivery_status_at')
        batch_op.drop_column('delivery_status')
        batch_op.drop_column('provider_ref')
