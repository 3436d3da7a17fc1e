"""What the family's pages show: choices, progress, the answers and the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from portal.applications.models import (
    Application,
    ReasonKind,
    ReasonTemplate,
)
from portal.catalogue import queries as catalogue_queries
from portal.catalogue.models import Activity, ActivityTranslation
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import (
    current_locale,
)
from portal.schemes.models import Scheme, SchemeKind, SchemeYear
from portal.workflow import (
    ENROLMENTS,
    PAYMENTS,
    Action,
    ApplicationKind,
    ApplicationStatus,
    EnrolmentStatus,
    PaymentAction,
    StatusChange,
)


def activity_by_slug(slug: str) -> Activity | None:
    return catalogue_queries.activity_by_slug(slug) if slug else None


def kind_for(activity: Activity) -> ApplicationKind:
    """An activity the municipality co-funds is applied for as a place; any other club's
    membership is paid with a leisure pass."""
    return ApplicationKind.ACTIVITY_PLACE if activity.scheme_id else ApplicationKind.LEISURE_PASS


def activity_choices(kind: ApplicationKind, locale: str) -> list[tuple[str, str]]:
    """(slug, "name – club") for the published activities this kind of application can be for."""
    local = aliased(ActivityTranslation)
    query = (
        select(Activity.slug, local.name, Activity.association_id)
        .join(local, (local.activity_id == Activity.id) & (local.locale == locale))
        .where(Activity.is_published)
        .order_by(func.lower(local.name))
    )
    if kind is ApplicationKind.ACTIVITY_PLACE:
        query = query.where(Activity.scheme_id.is_not(None))
    return [(slug, name) for slug, name, _association in db.session.execute(query)]


def equipment_cap(year: int | None = None) -> int | None:
    """The most one person can get from the equipment pool this year (None: no pool set up)."""
    return db.session.execute(
        select(SchemeYear.cap_per_person_kr)
        .join(Scheme)
        .where(
            Scheme.kind == SchemeKind.EQUIPMENT,
            Scheme.is_active.is_(True),
            SchemeYear.year == (year or utcnow().year),
        )
        .limit(1)
    ).scalar_one_or_none()


def equipment_total(application: Application) -> int:
    return sum(item.price_kr for item in application.items)


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str | Markup
    step: str


def activity_label(application: Application, locale: str) -> str:
    if application.activity is not None:
        activity = application.activity
        return f"{activity.text(locale).name} – {activity.association.name}"
    if application.other_club_name:
        return f"{application.other_activity_name} – {application.other_club_name}"
    return ""


@dataclass(frozen=True)
class Event:
    title: str
    at: datetime
    #: The guide's question, the family's answer or the reason for a decision.
    text: str | None = None


def timeline(application: Application) -> list[Event]:
    """Every status change the family may see, oldest first, in the page's language."""
    events: list[Event] = []
    for change in application.history:
        if change.subject == ENROLMENTS.subject:
            events.append(_club_event(application, change))
            continue
        if change.subject == PAYMENTS.subject:
            # The family hears of the club's request; the payout is the application's "Paid".
            if change.action == PaymentAction.REQUEST:
                events.append(Event(PAYMENTS.label(change.to_status), change.created_at))
            continue
        action = Action(change.action)
        status = ApplicationStatus(change.to_status)
        if action is Action.SUBMIT:
            events.append(Event(_("We received the application"), change.created_at))
        elif action is Action.ANSWER:
            events.append(
                Event(_("You answered the guide's question"), change.created_at, change.reason)
            )
        elif action is Action.ASK_FOR_INFORMATION:
            events.append(
                Event(_("The guide needs more information"), change.created_at, change.reason)
            )
        elif action is Action.WITHDRAW:
            events.append(Event(_("You withdrew the application"), change.created_at))
        elif action is Action.REJECT and application.decision_reason is not None:
            events.append(
                Event(
                    str(status.label),
                    change.created_at,
                    application.decision_reason.text(current_locale()),
                )
            )
        else:
            events.append(Event(str(status.label), change.created_at))
    return events


def _club_event(application: Application, change: StatusChange) -> Event:
    """What the club answered, as the family reads it (the reason for a no in its language)."""
    status = EnrolmentStatus(change.to_status)
    enrolment = application.enrolment
    if status is EnrolmentStatus.CONFIRMED:
        return Event(_("The club confirmed the start"), change.created_at)
    if status is EnrolmentStatus.TRIAL:
        return Event(_("The club lets you try the activity first"), change.created_at)
    if status is EnrolmentStatus.WAITLISTED:
        return Event(_("On the club's waiting list"), change.created_at)
    if status is EnrolmentStatus.DECLINED:
        reason = enrolment.decline_reason if enrolment is not None else None
        text = reason.text(current_locale()) if reason is not None else None
        return Event(_("The club cannot take you"), change.created_at, text)
    return Event(_("Stopped at the club"), change.created_at)


def status_label(application: Application) -> str:
    return str(application.status.label)


def reason_choices(kind: ReasonKind, locale: str) -> list[tuple[str, str]]:
    """(id, text in ``locale``) of the reasons in use of one kind, oldest first."""
    templates = db.session.execute(
        select(ReasonTemplate)
        .where(ReasonTemplate.kind == kind, ReasonTemplate.is_active.is_(True))
        .order_by(ReasonTemplate.id)
    ).scalars()
    return [(str(t.id), t.text(locale)) for t in templates]
