"""What waits for a guide: the queue's rows and its counts per kind of work."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import joinedload

from portal.applications.models import Application
from portal.extensions import db
from portal.workflow import ApplicationStatus

#: Approved money not paid out within this many days needs a guide's look.
UNPAID_DAYS = 30


class Waiting(enum.StrEnum):
    NEW = "new"
    ANSWERED = "answered"
    UNPAID = "unpaid"


WAITING_LABELS: dict[Waiting, LazyString] = {
    Waiting.NEW: _l("New applications"),
    Waiting.ANSWERED: _l("Answers from families"),
    Waiting.UNPAID: _l("Approved, not paid after 30 days"),
}


def waiting_condition(kind: Waiting, now: datetime) -> ColumnElement[bool]:
    if kind is Waiting.NEW:
        return and_(
            Application.status == ApplicationStatus.SUBMITTED,
            Application.question_from_guide.is_(None),
        )
    if kind is Waiting.ANSWERED:
        return and_(
            Application.status == ApplicationStatus.SUBMITTED,
            Application.question_from_guide.is_not(None),
        )
    return and_(
        Application.status == ApplicationStatus.APPROVED,
        Application.decided_at < now - timedelta(days=UNPAID_DAYS),
    )


@dataclass(frozen=True)
class Count:
    kind: Waiting
    label: LazyString
    count: int


def counts(now: datetime) -> list[Count]:
    """How many of each kind wait: one query."""
    columns = [
        func.count().filter(waiting_condition(kind, now)).label(kind.value) for kind in Waiting
    ]
    row = db.session.execute(select(*columns).select_from(Application)).one()
    return [Count(kind, WAITING_LABELS[kind], int(row[i])) for i, kind in enumerate(Waiting)]


def waiting(kind: Waiting, now: datetime, limit: int = 50) -> list[Application]:
    """The oldest first (first come, first served), with what the row shows loaded at once."""
    return list(
        db.session.execute(
            select(Application)
            .where(waiting_condition(kind, now))
            .options(
                joinedload(Application.participant),
                joinedload(Application.activity),
                joinedload(Application.applicant),
            )
            .order_by(Application.submitted_at, Application.id)
            .limit(limit)
        )
        .scalars()
        .unique()
    )
