"""Enrolments: an approved place or membership, waiting for the association to confirm it."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, TimestampMixin, enum_column
from portal.workflow import EnrolmentStatus

if TYPE_CHECKING:
    from portal.applications.models import Application, ReasonTemplate
    from portal.catalogue.models import Activity


class Enrolment(TimestampMixin, Base):
    """The club's side of an approved application: did the child start, and stay?"""

    __tablename__ = "enrolment"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), unique=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    status: Mapped[EnrolmentStatus] = mapped_column(
        enum_column(EnrolmentStatus), default=EnrolmentStatus.PENDING, index=True
    )
    #: The start the family asked for.
    desired_start_on: Mapped[date | None] = mapped_column(Date)
    #: The start the club confirmed.
    start_on: Mapped[date | None] = mapped_column(Date)
    trial_until_on: Mapped[date | None] = mapped_column(Date)
    #: When a wait-listed child may expect a place.
    expected_place_on: Mapped[date | None] = mapped_column(Date)
    #: Place in the club's waiting list (1 is next).
    waitlist_position: Mapped[int | None]
    decline_reason_id: Mapped[int | None] = mapped_column(ForeignKey("reason_template.id"))
    #: The family agreed that the club may have a phone number for the start.
    share_contact_with_club: Mapped[bool] = mapped_column(default=False)
    #: Marked by the club at the end of the season: still coming? (the retention figure)
    active_at_season_end: Mapped[bool | None]
    reminder_count: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    application: Mapped[Application] = relationship(back_populates="enrolment")
    activity: Mapped[Activity] = relationship()
    decline_reason: Mapped[ReasonTemplate | None] = relationship()

    def activity_name(self, locale: str) -> str:
        return self.activity.text(locale).name

    def status_label(self) -> str:
        return str(self.status.label)
