"""The municipality's own settings (one row)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, TimestampMixin


class MunicipalitySettings(TimestampMixin, Base):
    """Who runs the portal and the time limits its rules use."""

    __tablename__ = "municipality_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    phone: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(200))
    #: Days an association has to confirm a start before a reminder goes out.
    enrolment_reminder_days: Mapped[int] = mapped_column(default=14)
    #: Days approved money may stay unpaid before it expires and returns to the pool.
    payment_expiry_days: Mapped[int] = mapped_column(default=90)
    #: Days after a case is closed before its personal data is deleted.
    retention_days: Mapped[int] = mapped_column(default=5 * 365)
