"""unpaid count index: "approved, not paid after 30 days" counted from the index alone (the
approved amount joins status and decision date in it)

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 19:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_status_decided_at')
        batch_op.create_index(
            'ix_application_status_decided_at_amount',
            ['status', 'decided_at', 'amount_approved_kr'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('application', schema=None) as batch_op:
        batch_op.drop_index('ix_application_status_decided_at_amount')
        batch_op.create_index(
            'ix_application_status_decided_at', ['status', 'decided_at'], unique=False
        )
