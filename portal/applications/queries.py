"""What the family's pages show: choices, progress, the answers and the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from portal.applications import steps
from portal.applications.models import (
    GENDER_LABELS,
    RELATION_LABELS,
    Application,
    ReasonKind,
    ReasonTemplate,
)
from portal.catalogue import queries as catalogue_queries
from portal.catalogue.models import Activity, ActivityTranslation, Audience
from portal.db import utcnow
from portal.extensions import db
from portal.i18n import (
    bdi,
    current_locale,
    format_day,
    format_money,
    format_phone,
    locale_info,
)
from portal.schemes.models import Scheme, SchemeKind, SchemeYear
from portal.workflow import (
    APPLICATION_STATUS_LABELS,
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


def age_rule_message(activity: Activity, born: date) -> str:
    name = activity.text(current_locale()).name
    age = steps.age_on(born, date.today())
    if activity.max_age >= 99:
        return str(
            _(
                "%(activity)s is for people aged %(min)s and over. By this date of birth, the "
                "person is %(age)s.",
                activity=name,
                min=activity.min_age,
                age=age,
            )
        )
    return str(
        _(
            "%(activity)s is for ages %(min)s to %(max)s. By this date of birth, the person is "
            "%(age)s.",
            activity=name,
            min=activity.min_age,
            max=activity.max_age,
            age=age,
        )
    )


def gender_rule_message(activity: Activity) -> str:
    name = activity.text(current_locale()).name
    if activity.audience in (Audience.GIRLS, Audience.WOMEN):
        return str(_("%(activity)s is for girls and women.", activity=name))
    return str(_("%(activity)s is for boys and men.", activity=name))


@dataclass(frozen=True)
class Progress:
    number: int
    total: int


def progress(application: Application, step: steps.Step) -> Progress:
    asked = steps.steps_for(application)
    return Progress(asked.index(step) + 1, len(asked))


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


def answers(application: Application) -> list[Answer]:
    """The check-your-answers list: one row per question asked, in the order asked."""
    locale = current_locale()
    rows: list[Answer] = []
    participant = application.participant
    applicant = application.applicant
    for step in steps.steps_for(application):
        if step.name == "activity":
            text = activity_label(application, locale)
            if application.activity is None and application.other_fee_kr:
                text += " – " + _(
                    "%(amount)s a year", amount=format_money(application.other_fee_kr)
                )
            rows.append(Answer(_("Activity"), text, step.name))
        elif step.name == "eligibility":
            rows.append(Answer(_("Has a leisure pass"), _("Yes"), step.name))
        elif step.name == "participant" and participant is not None:
            name = f"{participant.first_name} {participant.last_name}"
            rows.append(Answer(_("Name"), bdi(name), step.name))
        elif step.name == "birth-date" and participant and participant.birth_on:
            text = format_day(participant.birth_on)
            if application.age_exception:
                text += " – " + _("the age does not fit; a guide will look at it")
            rows.append(Answer(_("Date of birth"), text, step.name))
        elif step.name == "gender" and participant and participant.gender:
            rows.append(Answer(_("Gender"), str(GENDER_LABELS[participant.gender]), step.name))
        elif step.name == "waiting-list":
            rows.append(Answer(_("Waiting list"), _("Yes, put us on the waiting list"), step.name))
        elif step.name == "items" and application.items:
            rows.append(Answer(_("What you need"), _items_answer(application), step.name))
        elif step.name == "paid" and application.already_paid is not None:
            text = (
                _("Already paid: you want the money back")
                if application.already_paid
                else _("Not bought yet: you need help to buy it")
            )
            rows.append(Answer(_("Paid"), text, step.name))
        elif step.name == "receipts":
            names = [Markup("<bdi>{}</bdi>").format(u.original_name) for u in application.uploads]
            text = Markup("<br>").join(names) if names else _("No photos")
            rows.append(Answer(_("Photos and files"), text, step.name))
        elif step.name == "relation" and application.relation:
            rows.append(
                Answer(_("Who you are"), str(RELATION_LABELS[application.relation]), step.name)
            )
        elif step.name == "contact" and applicant is not None:
            parts = [
                Markup('<span dir="ltr">{}</span>').format(value)
                for value in (format_phone(applicant.phone), applicant.email)
                if value
            ]
            language = locale_info(applicant.preferred_locale).endonym
            lines = [*parts, Markup("{}: {}").format(_("Messages in"), language)]
            if application.share_contact_with_club:
                lines.append(_("The club may call about the start"))
            text = Markup("<br>").join(lines)
            rows.append(Answer(_("Contact"), text, step.name))
        elif step.name == "postcode":
            rows.append(Answer(_("Postcode"), application.household.postcode or "", step.name))
        elif step.name == "message":
            rows.append(
                Answer(
                    _("Message to the guide"),
                    application.message_to_guide or _("No message"),
                    step.name,
                )
            )
    return rows


def _items_answer(application: Application) -> Markup:
    """Each thing and its price, then the total (and what the cap leaves of it)."""
    lines = [
        Markup("<bdi>{}</bdi>: {}").format(item.description, format_money(item.price_kr))
        for item in application.items
    ]
    total, cap = equipment_total(application), equipment_cap()
    lines.append(
        Markup("<strong>{}</strong>").format(_("Total: %(amount)s", amount=format_money(total)))
    )
    if cap is not None and total > cap:
        lines.append(
            Markup("{}").format(_("You can get at most %(amount)s", amount=format_money(cap)))
        )
    return Markup("<br>").join(lines)


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
                    str(APPLICATION_STATUS_LABELS[status]),
                    change.created_at,
                    application.decision_reason.text(current_locale()),
                )
            )
        else:
            events.append(Event(str(APPLICATION_STATUS_LABELS[status]), change.created_at))
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
    return str(APPLICATION_STATUS_LABELS[application.status])


#: Each page's question, its <h1>. ``%(name)s`` is the participant's first name and
#: ``%(activity)s`` the activity's name (both isolated with <bdi>: they may be in any script).
QUESTIONS: dict[str, LazyString] = {
    "activity": _l("Which activity should the leisure pass pay for?"),
    "eligibility": _l("Does the person have a leisure pass?"),
    "participant": _l("Who is the application for?"),
    "birth-date": _l("When was %(name)s born?"),
    "gender": _l("Is %(name)s a girl or woman, or a boy or man?"),
    "waiting-list": _l("%(activity)s is full right now"),
    "items": _l("What does %(name)s need?"),
    "paid": _l("Have you already bought it?"),
    "receipts": _l("Add a photo of the receipt"),
    "relation": _l("Who are you to %(name)s?"),
    "contact": _l("How can we reach you?"),
    "postcode": _l("What is your postcode?"),
    "message": _l("Is there anything the guide should know?"),
}
PLACE_QUESTION = _l("Which activity do you want a place in?")
PRICE_QUESTION = _l("Add a photo of the price (if you have one)")


def question_heading(application: Application, step: steps.Step) -> Markup:
    """The page's question, with the participant's and the activity's names where it helps."""
    participant, activity = application.participant, application.activity
    question = QUESTIONS[step.name]
    if step.name == "activity" and application.kind is ApplicationKind.ACTIVITY_PLACE:
        question = PLACE_QUESTION
    if step.name == "receipts" and not application.already_paid:
        question = PRICE_QUESTION
    return escape(str(question)) % {
        "name": bdi(participant.first_name if participant else ""),
        "activity": bdi(activity.text(current_locale()).name if activity else ""),
    }


def reason_choices(kind: ReasonKind, locale: str) -> list[tuple[str, str]]:
    """(id, text in ``locale``) of the reasons in use of one kind, oldest first."""
    templates = db.session.execute(
        select(ReasonTemplate)
        .where(ReasonTemplate.kind == kind, ReasonTemplate.is_active.is_(True))
        .order_by(ReasonTemplate.id)
    ).scalars()
    return [(str(t.id), t.text(locale)) for t in templates]
