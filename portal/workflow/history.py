"""The history of a case: one row per move of the application, its enrolment or a payment."""

from __future__ import annotations

import enum
from contextlib import nullcontext
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, object_session, relationship

from portal.db import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.applications.models import Application
    from portal.workflow.core import Actor


class StatusChange(Base):
    """One transition of an application, its enrolment or one of its payments: from, to, who,
    when and why."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    #: ``application``, ``enrolment`` or ``payment`` (the life cycle's ``subject``).
    subject: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    #: None when the thing was made by this move (a club's request for the fee).
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    #: The staff member or association contact; None when the family or the system acted.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: ``citizen``, ``guide``, ``association``, ``admin`` or ``system``.
    actor_role: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="history")


def record_change(
    application: Application,
    subject: str,
    action: enum.StrEnum,
    before: enum.StrEnum | None,
    after: enum.StrEnum,
    *,
    actor: Actor,
    actor_id: int | None,
    reason: str | None,
) -> StatusChange:
    """Append the history row for one move (the only place one is written). The caller's
    transaction commits it with the move itself."""
    change = StatusChange(
        subject=subject,
        action=action.value,
        from_status=before.value if before is not None else None,
        to_status=after.value,
        actor_id=actor_id,
        actor_role=actor.value,
        reason=reason,
        created_at=utcnow(),
    )
    session = object_session(application)
    # Loading the history must not flush the half-made thing that moved (a new payment).
    with session.no_autoflush if session is not None else nullcontext():
        application.history.append(change)
    return change
