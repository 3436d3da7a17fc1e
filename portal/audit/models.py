"""The audit log: each time staff or a club read, search, export or change a family's data."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.db import Base, UTCDateTime, enum_column, utcnow


class AuditAction(enum.StrEnum):
    VIEW = "view"
    SEARCH = "search"
    EXPORT = "export"
    CHANGE = "change"
    DELETE = "delete"


AUDIT_ACTION_LABELS: dict[AuditAction, LazyString] = {
    AuditAction.VIEW: _l("Looked at"),
    AuditAction.SEARCH: _l("Found in a search"),
    AuditAction.EXPORT: _l("Exported"),
    AuditAction.CHANGE: _l("Changed"),
    AuditAction.DELETE: _l("Deleted"),
}


class AuditEvent(Base):
    """Who did what to whose data, when and why. Rows are only ever added."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction))
    #: What was touched: ``application``, ``household``, ``export``…
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int | None]
    #: The family whose data it was, so a citizen's access log is one query.
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True)
    #: Why (the purpose), e.g. "case review".
    purpose: Mapped[str] = mapped_column(String(120))
    details: Mapped[str | None] = mapped_column(Text)
