"""A person, and the guides' decisions on whether two applications are the same person."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from portal.applications.models import Participant


class Person(Base):
    """One human. What is known about them is on their participants (one per application):
    names, birth date, gender, a CPR hash — each as written at the time."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    participants: Mapped[list[Participant]] = relationship(back_populates="person")


class MatchState(enum.StrEnum):
    #: Possibly the same person: a guide says which (money waits until then).
    OPEN = "open"
    #: The same person: the participant belongs to ``person_id``.
    SAME = "same"
    #: Not the same person.
    NOT_SAME = "not_same"


class PersonMatch(Base):
    """An application's participant found to be (perhaps) a person known before.

    A certain match is made ``SAME`` at submission (``decided_by_id`` empty: the portal did it);
    a possible one stays ``OPEN`` for a guide. A guide can change either way later: merging
    moves the participant (and its money) to ``person_id``; splitting moves it back to
    ``previous_person_id`` (or a new person). Each decision is also in the audit log.
    """

    __tablename__ = "person_match"
    __table_args__ = (UniqueConstraint("participant_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    #: The person known before (who the participant may be).
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    #: The earlier participant that matched, to name it on the case ("FP-7K3Q-92, Layla …").
    matched_participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"))
    certain: Mapped[bool]
    state: Mapped[MatchState] = mapped_column(enum_column(MatchState), index=True)
    #: The participant's own person before a merge; a split goes back to it.
    previous_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    participant: Mapped[Participant] = relationship(foreign_keys=[participant_id])
    matched: Mapped[Participant] = relationship(foreign_keys=[matched_participant_id])
