"""What waits for a guide: the queue's rows and its counts per kind of work."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, and_, func, or_, select, true, tuple_
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.applications.models import (
    Applicant,
    Application,
    InternalNote,
    Participant,
    ReasonKind,
)
from portal.applications.queries import reason_choices
from portal.auth.models import Role, User
from portal.catalogue.models import Activity, ActivityTranslation, Association
from portal.db import utcnow
from portal.enrolments.models import Enrolment
from portal.extensions import db
from portal.forms import ascii_digits, normalise_phone
from portal.outbox.models import OutboxMessage, OutboxStatus
from portal.schemes.models import (
    Payment,
    PersonYear,
    Scheme,
    SchemeTranslation,
    SchemeYear,
)
from portal.workflow import ApplicationStatus, EnrolmentStatus, PaymentStatus, StatusChange

#: A whole reference, as read out over the phone.
REFERENCE = re.compile(r"[A-Z]{2}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{2}")
#: Approved money not paid out within this many days needs a guide's look.
UNPAID_DAYS = 30


class Waiting(enum.StrEnum):
    NEW = "new"
    ANSWERED = "answered"
    UNCONFIRMED = "unconfirmed"
    UNPAID = "unpaid"
    REQUESTED = "requested"
    UNREACHED = "unreached"


WAITING_LABELS: dict[Waiting, LazyString] = {
    Waiting.NEW: _l("New applications"),
    Waiting.ANSWERED: _l("Answers from families"),
    Waiting.UNCONFIRMED: _l("Not answered by the club after a reminder"),
    Waiting.UNPAID: _l("Approved, not paid after 30 days"),
    Waiting.REQUESTED: _l("Membership fees the clubs ask for"),
    Waiting.UNREACHED: _l("Messages that did not reach the family: call them"),
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
    if kind is Waiting.UNCONFIRMED:
        config = current_app.config
        days = int(config["ENROLMENT_REMINDER_DAYS"]) + int(config["ENROLMENT_FOLLOW_UP_DAYS"])
        return Application.id.in_(
            select(Enrolment.application_id).where(
                Enrolment.status == EnrolmentStatus.PENDING,
                Enrolment.created_at < now - timedelta(days=days),
            )
        )
    if kind is Waiting.UNREACHED:
        return Application.id.in_(
            select(OutboxMessage.application_id).where(
                OutboxMessage.status == OutboxStatus.FAILED,
                OutboxMessage.followed_up_at.is_(None),
            )
        )
    if kind is Waiting.REQUESTED:
        return and_(
            Application.status == ApplicationStatus.APPROVED,
            Application.id.in_(
                select(Payment.application_id).where(Payment.status == PaymentStatus.REQUESTED)
            ),
        )
    return and_(
        Application.status == ApplicationStatus.APPROVED,
        Application.amount_approved_kr > 0,  # a free place is never paid
        Application.decided_at < now - timedelta(days=UNPAID_DAYS),
    )


@dataclass(frozen=True)
class Count:
    kind: Waiting
    label: LazyString
    count: int


def counts(now: datetime) -> list[Count]:
    """How many of each kind wait, each count served by an index: new and answered (both sent,
    told apart by whether the guide asked something) in one statement, the others one each."""
    unanswered = Application.question_from_guide.is_(None)
    rows = db.session.execute(
        select(unanswered, func.count())
        .where(Application.status == ApplicationStatus.SUBMITTED)
        .group_by(unanswered)
    )
    sent = {bool(key): int(n) for key, n in rows}
    found = {
        Waiting.NEW: sum(n for key, n in sent.items() if key),
        Waiting.ANSWERED: sum(n for key, n in sent.items() if not key),
    }
    for kind in Waiting:
        if kind not in found:
            found[kind] = int(
                db.session.execute(
                    select(func.count())
                    .select_from(Application)
                    .where(waiting_condition(kind, now))
                ).scalar_one()
            )
    return [Count(kind, WAITING_LABELS[kind], found[kind]) for kind in Waiting]


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


def unreached(application: Application) -> list[OutboxMessage]:
    """The family's messages that finally failed and that no guide has followed up yet."""
    return list(
        db.session.execute(
            select(OutboxMessage)
            .where(
                OutboxMessage.application_id == application.id,
                OutboxMessage.status == OutboxStatus.FAILED,
                OutboxMessage.followed_up_at.is_(None),
            )
            .order_by(OutboxMessage.id)
        ).scalars()
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
    """What this person has (reserved or paid) from each scheme this year, against the caps:
    every application of the person counts."""
    participant = application.participant
    if participant is None or participant.person_id is None:
        return []
    rows = db.session.execute(
        select(Scheme, PersonYear.reserved_kr + PersonYear.paid_kr, SchemeYear.cap_per_person_kr)
        .join(SchemeYear, SchemeYear.id == PersonYear.scheme_year_id)
        .join(Scheme, Scheme.id == SchemeYear.scheme_id)
        .where(PersonYear.person_id == participant.person_id, SchemeYear.year == utcnow().year)
        .order_by(Scheme.id)
    ).all()
    return [Support(scheme.text(locale).name, int(used), int(cap)) for scheme, used, cap in rows]


def household_others(application: Application) -> list[Application]:
    """The family's other applications this year (not drafts): the same household, or the
    same parent (a fresh application from another phone makes a new household)."""
    applicant = application.applicant
    family = [Application.household_id == application.household_id]
    if applicant is not None and applicant.person_id is not None:
        family.append(Applicant.person_id == applicant.person_id)
    return list(
        db.session.execute(
            select(Application)
            .outerjoin(Applicant, Applicant.id == Application.applicant_id)
            .where(
                or_(*family),
                Application.id != application.id,
                Application.status != ApplicationStatus.DRAFT,
                Application.submitted_at >= datetime(utcnow().year, 1, 1, tzinfo=UTC),
            )
            .options(joinedload(Application.participant))
            .order_by(Application.submitted_at)
        ).scalars()
    )


def decline_reasons(locale: str) -> list[tuple[str, str]]:
    return reason_choices(ReasonKind.DECLINE_APPLICATION, locale)


# Filtering the queue -----------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilters:
    waiting: Waiting | None = Waiting.NEW
    status: ApplicationStatus | None = None
    scheme_id: int | None = None
    activity_id: int | None = None
    association_id: int | None = None
    language: str | None = None
    age: tuple[int, int] | None = None
    #: ``me``, ``nobody`` or a user id.
    guide: str | None = None
    overdue: bool = False
    q: str | None = None
    newest_first: bool = False


@dataclass(frozen=True)
class Page:
    rows: list[Application]
    #: The cursor for the next page ("submitted_at|id"), or None on the last page.
    after: str | None


def _born_between(age: tuple[int, int], today: date) -> ColumnElement[bool]:
    low, high = age
    youngest = today.replace(year=today.year - low)
    oldest = today.replace(year=today.year - high - 1)
    return and_(Participant.birth_on <= youngest, Participant.birth_on > oldest)


def search(
    filters: QueueFilters,
    now: datetime,
    *,
    me: int,
    limit: int = 50,
    after: str | None = None,
) -> Page:
    """One page of the queue: filtered, sorted by date sent, keyset-paginated (no OFFSET, no
    query per row: the participant, applicant and activity come in the same query)."""
    query = (
        select(Application)
        .join(Participant, Participant.id == Application.participant_id)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .outerjoin(Activity, Activity.id == Application.activity_id)
        .options(
            contains_eager(Application.participant),
            contains_eager(Application.applicant),
            contains_eager(Application.activity).options(
                selectinload(Activity.translations), joinedload(Activity.association)
            ),
        )
        .where(*_conditions(filters, now, me))
    )
    order = (Application.submitted_at, Application.id)
    cursor = _cursor(after) if after else None
    if cursor is not None:
        ahead = tuple_(*order) < cursor if filters.newest_first else tuple_(*order) > cursor
        query = query.where(ahead)
    query = query.order_by(*(c.desc() for c in order) if filters.newest_first else order)
    rows = list(db.session.execute(query.limit(limit + 1)).scalars().unique())
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows and more else None
    following = f"{last.submitted_at.isoformat()}|{last.id}" if last and last.submitted_at else None
    return Page(rows, following)


def _conditions(filters: QueueFilters, now: datetime, me: int) -> list[ColumnElement[bool]]:
    """The queue's filters as SQL conditions (all of them hold)."""
    if filters.status is not None:
        where = [Application.status == filters.status]
    elif filters.waiting is not None:
        where = [waiting_condition(filters.waiting, now)]
    else:
        where = [Application.status != ApplicationStatus.DRAFT]
    if filters.scheme_id:
        where.append(Application.scheme_id == filters.scheme_id)
    if filters.activity_id:
        where.append(Application.activity_id == filters.activity_id)
    if filters.association_id:
        where.append(Activity.association_id == filters.association_id)
    # Conditions on the parent or the child are asked of their own (narrow) tables first, so
    # the walk along the queue's order checks each application against a list of ids instead
    # of joining every row before it can tell (at 100,000 applications: 180 ms → see RESULTS).
    if filters.language:
        where.append(
            Application.applicant_id.in_(
                select(Applicant.id).where(Applicant.preferred_locale == filters.language)
            )
        )
    if filters.age:
        where.append(
            Application.participant_id.in_(
                select(Participant.id).where(_born_between(filters.age, now.date()))
            )
        )
    if filters.guide:
        where.append(_guide_condition(filters.guide, me))
    if filters.overdue:
        days = int(current_app.config["DECISION_DAYS"])
        where.append(
            Application.status.in_((ApplicationStatus.SUBMITTED, ApplicationStatus.NEEDS_INFO))
        )
        where.append(Application.submitted_at < now - timedelta(days=days))
    if filters.q:
        where.append(_matches(filters.q))
    return where


def _guide_condition(guide: str, me: int) -> ColumnElement[bool]:
    """ "me", "nobody", or a guide's id (anything else: no condition)."""
    if guide == "me":
        return Application.assigned_guide_id == me
    if guide == "nobody":
        return Application.assigned_guide_id.is_(None)
    if guide.isdigit():
        return Application.assigned_guide_id == int(guide)
    return true()


def _cursor(value: str) -> tuple[datetime, int] | None:
    try:
        when, _, row_id = value.partition("|")
        moment = datetime.fromisoformat(when)
        return (moment.astimezone(UTC), int(row_id))
    except ValueError:
        return None


def _matches(text: str) -> ColumnElement[bool]:
    """Reference, names, phone or e-mail contain the text (case does not matter; a phone
    number matches with or without spaces and +45)."""
    words = text.strip()
    phone = normalise_phone(words)
    if phone is not None:
        return Applicant.phone == phone  # a whole number: the index finds it at once
    if REFERENCE.fullmatch(words.upper()):
        return Application.reference == words.upper()
    like = f"%{words.lower()}%"
    digits = "".join(ch for ch in ascii_digits(words) if ch.isdigit())
    if len(digits) >= 4 and not any(ch.isalpha() for ch in words):
        # A few digits of a phone number (or of a reference or an e-mail address): no name
        # holds them. The parents' table is searched once on its own; the queue's walk then
        # only looks ids up, rather than joining every application to find the rare match.
        return or_(
            func.lower(Application.reference).like(like),
            Application.applicant_id.in_(
                select(Applicant.id).where(
                    or_(Applicant.phone.like(f"%{digits}%"), func.lower(Applicant.email).like(like))
                )
            ),
        )
    return or_(
        func.lower(Application.reference).like(like),
        func.lower(Participant.first_name + " " + Participant.last_name).like(like),
        # The Latin spelling of a name written in another script ("layla ahm").
        func.lower(Participant.latin_first_name + " " + Participant.latin_last_name).like(like),
        func.lower(Applicant.email).like(like),
    )


def scheme_choices(locale: str) -> list[tuple[str, str]]:
    schemes = db.session.execute(select(Scheme).order_by(Scheme.id)).scalars()
    return [(str(scheme.id), scheme.text(locale).name) for scheme in schemes]


def activity_filter_choices(locale: str) -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Activity.id, ActivityTranslation.name)
        .join(ActivityTranslation, ActivityTranslation.activity_id == Activity.id)
        .where(ActivityTranslation.locale == locale)
        .order_by(func.lower(ActivityTranslation.name))
    ).all()
    return [(str(row_id), name) for row_id, name in rows]


def association_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(select(Association.id, Association.name).order_by(Association.name))
    return [(str(row_id), name) for row_id, name in rows]


def guide_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(User.id, User.name)
        .where(User.role.in_((Role.GUIDE, Role.ADMIN)), User.is_active.is_(True))
        .order_by(User.name)
    )
    return [(str(row_id), name) for row_id, name in rows]


def _payments(*conditions: ColumnElement[bool]) -> list[tuple[Payment, Application, str]]:
    rows = db.session.execute(
        select(Payment, Application, SchemeTranslation.name)
        .join(Application, Application.id == Payment.application_id)
        .outerjoin(
            SchemeTranslation,
            (SchemeTranslation.scheme_id == Application.scheme_id)
            & (SchemeTranslation.locale == "da"),
        )
        .where(*conditions)
        .order_by(Payment.paid_on, Payment.created_at, Payment.id)
    ).all()
    return [(payment, application, name or "") for payment, application, name in rows]


def payments_between(start: date, end: date) -> list[tuple[Payment, Application, str]]:
    """The payouts of a period (both days included), with the application and scheme name."""
    return _payments(Payment.paid_on >= start, Payment.paid_on <= end)


def open_requests() -> list[tuple[Payment, Application, str]]:
    """Membership fees clubs have asked for and nobody has paid yet (oldest first)."""
    return _payments(
        Payment.status == PaymentStatus.REQUESTED,
        Application.status == ApplicationStatus.APPROVED,
    )
