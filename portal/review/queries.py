"""What waits for a guide: the queue's rows and its counts per kind of work."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import joinedload

from portal.applications.models import (
    Application,
    InternalNote,
    ReasonKind,
    ReasonTemplate,
    StatusChange,
)
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.schemes.models import PersonYear, Scheme, SchemeYear
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


def case_by_reference(reference: str) -> Application | None:
    return db.session.execute(
        select(Application).where(Application.reference == reference.upper())
    ).scalar_one_or_none()


@dataclass(frozen=True)
class HistoryRow:
    change: StatusChange
    #: The staff member's name, or None (the family or the system acted).
    by: str | None


def history(application: Application) -> list[HistoryRow]:
    """Every status change with who made it: one query."""
    rows = db.session.execute(
        select(StatusChange, User.name)
        .outerjoin(User, User.id == StatusChange.actor_id)
        .where(StatusChange.application_id == application.id)
        .order_by(StatusChange.id)
    ).all()
    return [HistoryRow(change, name) for change, name in rows]


def notes(application: Application) -> list[tuple[InternalNote, str]]:
    return [
        (note, name)
        for note, name in db.session.execute(
            select(InternalNote, User.name)
            .join(User, User.id == InternalNote.author_id)
            .where(InternalNote.application_id == application.id)
            .order_by(InternalNote.id)
        ).all()
    ]


@dataclass(frozen=True)
class Support:
    scheme: str
    used_kr: int
    cap_kr: int


def support_this_year(application: Application, locale: str) -> list[Support]:
    """What this participant has (reserved or paid) from each scheme this year, against caps."""
    if application.participant_id is None:
        return []
    rows = db.session.execute(
        select(Scheme, PersonYear.reserved_kr + PersonYear.paid_kr, SchemeYear.cap_per_person_kr)
        .join(SchemeYear, SchemeYear.id == PersonYear.scheme_year_id)
        .join(Scheme, Scheme.id == SchemeYear.scheme_id)
        .where(
            PersonYear.participant_id == application.participant_id,
            SchemeYear.year == utcnow().year,
        )
    ).all()
    return [Support(scheme.text(locale).name, int(used), int(cap)) for scheme, used, cap in rows]


def household_others(application: Application) -> list[Application]:
    """The household's other applications this year (not drafts)."""
    return list(
        db.session.execute(
            select(Application)
            .where(
                Application.household_id == application.household_id,
                Application.id != application.id,
                Application.status != ApplicationStatus.DRAFT,
                Application.submitted_at >= datetime(utcnow().year, 1, 1, tzinfo=UTC),
            )
            .options(joinedload(Application.participant))
            .order_by(Application.submitted_at)
        ).scalars()
    )


def decline_reasons(locale: str) -> list[tuple[str, str]]:
    templates = db.session.execute(
        select(ReasonTemplate)
        .where(
            ReasonTemplate.kind == ReasonKind.DECLINE_APPLICATION,
            ReasonTemplate.is_active.is_(True),
        )
        .order_by(ReasonTemplate.id)
    ).scalars()
    return [(str(t.id), t.text(locale)) for t in templates]
