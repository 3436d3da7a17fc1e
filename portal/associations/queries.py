"""What a club contact sees: its own association's funded members, and only what a club needs
(the participant's name and age, the activity, the start; a phone number for the start only
if the family agreed). Never the family's situation, never another club's members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.applications.models import Application, ReasonKind, ReasonTemplate
from portal.applications.queries import reason_choices
from portal.applications.rules import age_on
from portal.catalogue.models import Activity
from portal.db import utcnow
from portal.enrolments.models import Enrolment
from portal.extensions import db
from portal.workflow import EnrolmentStatus


@dataclass(frozen=True)
class Member:
    enrolment: Enrolment
    name: str
    age: int | None
    activity: str
    #: Only when the family agreed that the club may call about the start.
    phone: str | None
    #: The family's language, shown with the phone (for the call; "arabisk": bring an interpreter).
    language: str | None = None


def _member(enrolment: Enrolment, locale: str, today: date) -> Member:
    application = enrolment.application
    participant = application.participant
    born = participant.birth_on if participant else None
    applicant = application.applicant
    return Member(
        enrolment=enrolment,
        name=participant.both_names if participant else "",  # "Layla Ahmed · ليلى أحمد"
        age=age_on(born, today) if born else None,
        activity=enrolment.activity_name(locale),
        phone=applicant.phone if applicant and enrolment.share_contact_with_club else None,
        language=applicant.preferred_locale if applicant else None,
    )


def enrolment_of_club(enrolment_id: int, association_id: int) -> Enrolment | None:
    return db.session.execute(
        select(Enrolment)
        .join(Activity, Activity.id == Enrolment.activity_id)
        .where(Enrolment.id == enrolment_id, Activity.association_id == association_id)
    ).scalar_one_or_none()


def member(enrolment: Enrolment, locale: str) -> Member:
    return _member(enrolment, locale, utcnow().date())


#: The order of the club's list: what needs an answer first, then who is trying, waiting,
#: started, and at the end those who never started or stopped.
ORDER = [
    EnrolmentStatus.PENDING,
    EnrolmentStatus.TRIAL,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.CONFIRMED,
    EnrolmentStatus.DECLINED,
    EnrolmentStatus.STOPPED,
]


def members(association_id: int, locale: str) -> dict[EnrolmentStatus, list[Member]]:
    """The association's funded members by status; the waiting list in its order."""
    enrolments = db.session.execute(
        select(Enrolment)
        .join(Activity, Activity.id == Enrolment.activity_id)
        .join(Enrolment.application)
        .where(Activity.association_id == association_id)
        .options(
            contains_eager(Enrolment.application).options(
                joinedload(Application.participant), joinedload(Application.applicant)
            ),
            selectinload(Enrolment.activity).selectinload(Activity.translations),
        )
        .order_by(Enrolment.waitlist_position.nulls_last(), Enrolment.id)
    ).scalars()
    today = utcnow().date()
    grouped: dict[EnrolmentStatus, list[Member]] = {status: [] for status in ORDER}
    for enrolment in enrolments:
        grouped[enrolment.status].append(_member(enrolment, locale, today))
    return grouped


def decline_reasons(locale: str) -> list[tuple[str, str]]:
    """The short list a club picks from when it cannot take a child."""
    return reason_choices(ReasonKind.DECLINE_ENROLMENT, locale)


def decline_reason(reason_id: int) -> ReasonTemplate | None:
    return db.session.execute(
        select(ReasonTemplate).where(
            ReasonTemplate.id == reason_id,
            ReasonTemplate.kind == ReasonKind.DECLINE_ENROLMENT,
            ReasonTemplate.is_active.is_(True),
        )
    ).scalar_one_or_none()


@dataclass(frozen=True)
class Retention:
    """Of the members who started, how many the club says are still coming at season's end."""

    started: int
    still_coming: int
    not_marked: int


def retention(grouped: dict[EnrolmentStatus, list[Member]]) -> Retention:
    confirmed = [m.enrolment for m in grouped[EnrolmentStatus.CONFIRMED]]
    stopped = [m.enrolment for m in grouped[EnrolmentStatus.STOPPED] if m.enrolment.start_on]
    return Retention(
        started=len(confirmed) + len(stopped),
        still_coming=sum(1 for e in confirmed if e.active_at_season_end),
        not_marked=sum(1 for e in confirmed if e.active_at_season_end is None),
    )
