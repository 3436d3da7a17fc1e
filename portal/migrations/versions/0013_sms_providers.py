"""sms providers: which provider took each message, and each provider's standing (a failing
provider is demoted for a while and a second one takes the messages)

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 19:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sms_provider',
        sa.Column('name', sa.String(length=16), nullable=False),
        sa.Column('demoted_until', sa.DateTime(), nullable=True),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_sms_provider')),
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provider', sa.String(length=16), nullable=True))
    # Until now GatewayAPI was the only provider that gave messages an id.
    op.execute("UPDATE outbox_message SET provider = 'gatewayapi' WHERE provider_ref IS NOT NULL")


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('provider')
    op.drop_table('sms_provider')
