"""Outgoing e-mail and SMS, written in the same transaction as the change that causes them."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from portal.applications.models import Application


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    #: Gave up after the last retry; an operator must look.
    FAILED = "failed"


class OutboxMessage(Base):
    """One message to one recipient, already rendered in the recipient's language."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    recipient: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(16))
    #: Which message it is (``application_submitted``…), for the log and for tests.
    template: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus), default=OutboxStatus.PENDING, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    #: Not before this time (back-off after a failed attempt).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_error: Mapped[str | None] = mapped_column(Text)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The SMS provider that took it (``gatewayapi``, ``twilio``), its id for it, and what the
    #: provider last said became of it
    #: (``DELIVERED``, ``UNDELIVERED``…), with when.
    provider: Mapped[str | None] = mapped_column(String(16))
    provider_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    delivery_status: Mapped[str | None] = mapped_column(String(32))
    delivery_status_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: A message that failed is a task in the guides' queue until a guide has reached the
    #: family another way (a phone call) and says so.
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    followed_up_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    application: Mapped[Application | None] = relationship()


class SmsProvider(Base):
    """An SMS provider's standing, shared by every worker: one that failed is passed over
    until ``demoted_until`` (the messages go to the other provider meanwhile)."""

    __tablename__ = "sms_provider"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    demoted_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Failures in a row (0 after a message it took).
    failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
