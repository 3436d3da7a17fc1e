"""Associations and the activities they offer, with names and descriptions per language."""

from __future__ import annotations

import enum
from datetime import date, time, timedelta
from typing import TYPE_CHECKING

from flask_babel import LazyString
from flask_babel import lazy_pgettext as _lp
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, TimestampMixin, enum_column, pick_translation

if TYPE_CHECKING:
    from portal.auth.models import User
    from portal.schemes.models import Scheme


class Audience(enum.StrEnum):
    """Who may join an activity."""

    ANYONE = "anyone"
    GIRLS = "girls"
    BOYS = "boys"
    WOMEN = "women"
    MEN = "men"


AUDIENCE_LABELS: dict[Audience, LazyString] = {
    Audience.ANYONE: _lp("who may join", "Everyone"),
    Audience.GIRLS: _lp("who may join", "Girls"),
    Audience.BOYS: _lp("who may join", "Boys"),
    Audience.WOMEN: _lp("who may join", "Women"),
    Audience.MEN: _lp("who may join", "Men"),
}


class Association(TimestampMixin, Base):
    """A sports or culture association (forening)."""

    __tablename__ = "association"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(160))
    #: The Danish business register number (8 digits), needed for payouts.
    cvr: Mapped[str] = mapped_column(String(8), unique=True)
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(4))
    city: Mapped[str] = mapped_column(String(80))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    website: Mapped[str | None] = mapped_column(String(254))

    activities: Mapped[list[Activity]] = relationship(back_populates="association")
    contacts: Mapped[list[User]] = relationship(back_populates="association")


class Activity(TimestampMixin, Base):
    """Something a child or adult can join: a team, a class, a club evening."""

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("min_age >= 0 AND max_age >= min_age", name="age_range"),
        CheckConstraint("fee_kr >= 0", name="fee_not_negative"),
        CheckConstraint("free_places >= 0 AND free_places <= capacity", name="free_places"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Readable, stable URL part (``girls-cricket``).
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    association_id: Mapped[int] = mapped_column(ForeignKey("association.id"), index=True)
    #: The targeted scheme that co-funds this activity, if any (girls' cricket, esport…).
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("scheme.id"), index=True)
    min_age: Mapped[int]
    #: Inclusive; 99 means "no upper limit".
    max_age: Mapped[int]
    audience: Mapped[Audience] = mapped_column(enum_column(Audience), default=Audience.ANYONE)
    place: Mapped[str] = mapped_column(String(160))
    address: Mapped[str] = mapped_column(String(200))
    postcode: Mapped[str] = mapped_column(String(4), index=True)
    city: Mapped[str] = mapped_column(String(80))
    #: Membership fee per year, whole kroner.
    fee_kr: Mapped[int]
    capacity: Mapped[int]
    free_places: Mapped[int]
    #: Taking new members now.
    is_open: Mapped[bool] = mapped_column(default=True)
    #: Shown in the public catalogue (needs a name and description in every language).
    is_published: Mapped[bool] = mapped_column(default=True)

    association: Mapped[Association] = relationship(back_populates="activities")
    scheme: Mapped[Scheme | None] = relationship()
    translations: Mapped[list[ActivityTranslation]] = relationship(
        back_populates="activity", cascade="all, delete-orphan"
    )
    sessions: Mapped[list[ActivitySession]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="(ActivitySession.weekday, ActivitySession.start_time)",
    )

    def text(self, locale: str) -> ActivityTranslation:
        """The name and description in ``locale`` (Danish when that is missing)."""
        return pick_translation(self.translations, locale)

    def next_session_on(self, earliest: date) -> date:
        """The first day on or after ``earliest`` that the activity meets (``earliest`` itself
        when it has no weekly times)."""
        weekdays = {session.weekday for session in self.sessions}
        days = (earliest + timedelta(days=n) for n in range(7))
        return next((day for day in days if day.weekday() in weekdays), earliest)


class ActivityTranslation(Base):
    """An activity's name and description in one language."""

    __tablename__ = "activity_translation"
    __table_args__ = (UniqueConstraint("activity_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text)

    activity: Mapped[Activity] = relationship(back_populates="translations")


class ActivitySession(Base):
    """One weekly time slot (Tuesday 17:00–18:30)."""

    __tablename__ = "activity_session"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("end_time > start_time", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    #: 0 is Monday, as in ``date.weekday()``.
    weekday: Mapped[int]
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)

    activity: Mapped[Activity] = relationship(back_populates="sessions")
