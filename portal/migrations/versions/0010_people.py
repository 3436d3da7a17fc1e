"""people: one person across applications; the cap per person; Latin spelling; CPR hash

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 15:30:00

Every participant of a sent application becomes its own person (no two are merged here: a
guide or the matching on submission does that). Applicants (parents) become persons from their
next application on (the same phone or e-mail). ``person_year`` is a running total of the
ledger, so it is rebuilt from the ledger rows, keyed on the person.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'person',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('latin_first_name', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('latin_last_name', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('cpr_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('cpr_birth', sa.String(length=6), nullable=True))
        batch_op.create_index(batch_op.f('ix_participant_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participant_cpr_hash'), ['cpr_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_participant_birth_on'), ['birth_on'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_participant_person_id_person'), 'person', ['person_id'], ['id']
        )

    with op.batch_alter_table('applicant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('person_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_applicant_person_id'), ['person_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_applicant_person_id_person'), 'person', ['person_id'], ['id']
        )

    # One person per participant of a sent application, with the same id (so the ledger's
    # participant ids are the new person ids).
    op.execute(
        "INSERT INTO person (id, created_at) SELECT participant.id, participant.created_at "
        "FROM participant WHERE EXISTS (SELECT 1 FROM application WHERE "
        "application.participant_id = participant.id AND application.status <> 'draft')"
    )
    op.execute(
        "UPDATE participant SET person_id = id "
        "WHERE id IN (SELECT id FROM person)"
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "SELECT setval(pg_get_serial_sequence('person', 'id'), "
            "COALESCE((SELECT MAX(id) FROM person), 0) + 1, false)"
        )

    op.create_table(
        'person_match',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('matched_participant_id', sa.Integer(), nullable=False),
        sa.Column('certain', sa.Boolean(), nullable=False),
        sa.Column('state', sa.Enum('open', 'same', 'not_same', name='matchstate', native_enum=False, length=32), nullable=False),
        sa.Column('previous_person_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_person_match_decided_by_id_user')),
        sa.ForeignKeyConstraint(['matched_participant_id'], ['participant.id'], name=op.f('fk_person_match_matched_participant_id_participant')),
        sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_person_match_participant_id_participant')),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_match_person_id_person')),
        sa.ForeignKeyConstraint(['previous_person_id'], ['person.id'], name=op.f('fk_person_match_previous_person_id_person')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person_match')),
        sa.UniqueConstraint('participant_id', 'person_id', name=op.f('uq_person_match_participant_id')),
    )
    with op.batch_alter_table('person_match', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_match_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_match_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_match_state'), ['state'], unique=False)

    _rebuild_person_year('person')


def _rebuild_person_year(key):
    """``person_year`` keyed on ``key`` (``person`` or ``participant``), refilled from the ledger."""
    with op.batch_alter_table('person_year', schema=None) as batch_op:
        batch_op.drop_index('ix_person_year_participant_id' if key == 'person' else 'ix_person_year_person_id')
        batch_op.drop_index('ix_person_year_scheme_year_id')
    op.drop_table('person_year')
    op.create_table(
        'person_year',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('scheme_year_id', sa.Integer(), nullable=False),
        sa.Column(f'{key}_id', sa.Integer(), nullable=False),
        sa.Column('reserved_kr', sa.Integer(), nullable=False),
        sa.Column('paid_kr', sa.Integer(), nullable=False),
        sa.CheckConstraint('reserved_kr >= 0 AND paid_kr >= 0', name=op.f('ck_person_year_amounts_not_negative')),
        sa.ForeignKeyConstraint([f'{key}_id'], [f'{key}.id'], name=op.f(f'fk_person_year_{key}_id_{key}')),
        sa.ForeignKeyConstraint(['scheme_year_id'], ['scheme_year.id'], name=op.f('fk_person_year_scheme_year_id_scheme_year')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person_year')),
        sa.UniqueConstraint('scheme_year_id', f'{key}_id', name=op.f('uq_person_year_scheme_year_id')),
    )
    with op.batch_alter_table('person_year', schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_person_year_{key}_id'), [f'{key}_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_year_scheme_year_id'), ['scheme_year_id'], unique=False)
    owner = 'participant.person_id' if key == 'person' else 'participant.id'
    op.execute(
        f"INSERT INTO person_year (scheme_year_id, {key}_id, reserved_kr, paid_kr) "
        f"SELECT ledger_entry.scheme_year_id, {owner}, "
        "SUM(CASE ledger_entry.kind WHEN 'reserve' THEN ledger_entry.amount_kr "
        "ELSE -ledger_entry.amount_kr END), "
        "SUM(CASE ledger_entry.kind WHEN 'pay' THEN ledger_entry.amount_kr ELSE 0 END) "
        "FROM ledger_entry JOIN participant ON participant.id = ledger_entry.participant_id "
        f"GROUP BY ledger_entry.scheme_year_id, {owner}"
    )


def downgrade():
    # Totals go back to each participant (people merged since are counted apart again).
    _rebuild_person_year('participant')
    with op.batch_alter_table('person_match', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_match_state'))
        batch_op.drop_index(batch_op.f('ix_person_match_person_id'))
        batch_op.drop_index(batch_op.f('ix_person_match_participant_id'))
    op.drop_table('person_match')
    with op.batch_alter_table('applicant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_applicant_person_id_person'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_applicant_person_id'))
        batch_op.drop_column('person_id')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_participant_person_id_person'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_participant_birth_on'))
        batch_op.drop_index(batch_op.f('ix_participant_cpr_hash'))
        batch_op.drop_index(batch_op.f('ix_participant_person_id'))
        batch_op.drop_column('cpr_birth')
        batch_op.drop_column('cpr_hash')
        batch_op.drop_column('latin_last_name')
        batch_op.drop_column('latin_first_name')
        batch_op.drop_column('person_id')
    op.drop_table('person')
