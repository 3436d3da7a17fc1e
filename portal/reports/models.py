"""The report's own table: one narrow row per sent application (kept by
:mod:`portal.reports.facts`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from portal.applications.models import Gender
from portal.db import Base, UTCDateTime, enum_column
from portal.workflow import ApplicationStatus, EnrolmentStatus


class ReportFact(Base):
    """What the report counts of one sent application, in one row: its status and dates, the
    person's age, gender, language and area, the place's start and season-end mark, and the
    ledger's sums. Read instead of five joined tables (issue 14: the report at 100,000
    applications). Never written by hand: :mod:`portal.reports.facts` writes it in the same
    transaction as any change to what it copies.

    Rows are in ``submitted_at`` order (the primary key; on SQLite the table is clustered on
    it, ``WITHOUT ROWID``), so a year's report reads one stretch of the table."""

    __tablename__ = "report_fact"
    __table_args__ = (
        Index("ix_report_fact_application_id", "application_id", unique=True),
        {"sqlite_with_rowid": False},
    )

    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    application_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[ApplicationStatus] = mapped_column(enum_column(ApplicationStatus))
    scheme_id: Mapped[int | None]
    activity_id: Mapped[int | None]
    decision_reason_id: Mapped[int | None]
    person_id: Mapped[int | None]
    birth_on: Mapped[date | None] = mapped_column(Date)
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender))
    locale: Mapped[str | None] = mapped_column(String(16))
    postcode: Mapped[str | None] = mapped_column(String(4))
    #: The ledger's sums for the application: reserved (approved), paid, returned to the pool.
    reserved_kr: Mapped[int]
    paid_kr: Mapped[int]
    released_kr: Mapped[int]
    enrolment_status: Mapped[EnrolmentStatus | None] = mapped_column(enum_column(EnrolmentStatus))
    start_on: Mapped[date | None] = mapped_column(Date)
    active_at_season_end: Mapped[bool | None]
    #: When the club was asked (the place's row made): how long it has waited for an answer.
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Whole days from sending to the decision; calendar days from the decision to the start.
    days_to_decision: Mapped[int | None]
    days_to_start: Mapped[int | None]
