"""report fact: one narrow row per sent application for the report (issue 14: the report at
100,000 applications), filled from the live tables; kept by portal.reports.facts afterwards

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 00:30:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

FILL = """
INSERT INTO report_fact (
    submitted_at, application_id, decided_at, status, scheme_id, activity_id,
    decision_reason_id, person_id, birth_on, gender, locale, postcode,
    reserved_kr, paid_kr, released_kr, enrolment_status, start_on, active_at_season_end,
    enrolled_at, days_to_decision, days_to_start)
SELECT a.submitted_at, a.id, a.decided_at, a.status, a.scheme_id, a.activity_id,
    a.decision_reason_id, p.person_id, p.birth_on, p.gender, ap.preferred_locale, h.postcode,
    (SELECT COALESCE(SUM(l.amount_kr), 0) FROM ledger_entry l
        WHERE l.application_id = a.id AND l.kind = 'reserve'),
    (SELECT COALESCE(SUM(l.amount_kr), 0) FROM ledger_entry l
        WHERE l.application_id = a.id AND l.kind = 'pay'),
    (SELECT COALESCE(SUM(l.amount_kr), 0) FROM ledger_entry l
        WHERE l.application_id = a.id AND l.kind = 'release'),
    e.status, e.start_on, e.active_at_season_end, e.created_at, {to_decision}, {to_start}
FROM application a
JOIN household h ON h.id = a.household_id
LEFT OUTER JOIN participant p ON p.id = a.participant_id
LEFT OUTER JOIN applicant ap ON ap.id = a.applicant_id
LEFT OUTER JOIN enrolment e ON e.application_id = a.id
WHERE a.submitted_at IS NOT NULL
"""
DAYS = {
    'sqlite': (
        'CAST(julianday(a.decided_at) - julianday(a.submitted_at) AS INTEGER)',
        'CAST(julianday(date(e.start_on)) - julianday(date(a.decided_at)) AS INTEGER)',
    ),
    'postgresql': (
        'CAST(FLOOR(EXTRACT(EPOCH FROM (CAST(a.decided_at AS TIMESTAMP) - '
        'CAST(a.submitted_at AS TIMESTAMP))) / 86400) AS INTEGER)',
        '(CAST(e.start_on AS DATE) - CAST(a.decided_at AS DATE))',
    ),
}


def upgrade():
    op.create_table(
        "report_fact",
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("application_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "needs_info",
                "approved",
                "rejected",
                "withdrawn",
                "paid",
                "closed",
                "expired",
                name="applicationstatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("scheme_id", sa.Integer(), nullable=True),
        sa.Column("activity_id", sa.Integer(), nullable=True),
        sa.Column("decision_reason_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("birth_on", sa.Date(), nullable=True),
        sa.Column(
            "gender",
            sa.Enum(
                "female",
                "male",
                "other",
                name="gender",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("postcode", sa.String(length=4), nullable=True),
        sa.Column("reserved_kr", sa.Integer(), nullable=False),
        sa.Column("paid_kr", sa.Integer(), nullable=False),
        sa.Column("released_kr", sa.Integer(), nullable=False),
        sa.Column(
            "enrolment_status",
            sa.Enum(
                "pending",
                "trial",
                "confirmed",
                "waitlisted",
                "declined",
                "stopped",
                name="enrolmentstatus",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("active_at_season_end", sa.Boolean(), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(), nullable=True),
        sa.Column("days_to_decision", sa.Integer(), nullable=True),
        sa.Column("days_to_start", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("submitted_at", "application_id", name=op.f("pk_report_fact")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_report_fact_application_id", "report_fact", ["application_id"], unique=True)
    to_decision, to_start = DAYS[op.get_bind().dialect.name]
    op.execute(FILL.format(to_decision=to_decision, to_start=to_start))


def downgrade():
    op.drop_index("ix_report_fact_application_id", table_name="report_fact")
    op.drop_table("report_fact")
