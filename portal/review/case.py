"""The case screen in panels: one loader gathers what the page shows, and each panel is a
partial under ``templates/review/case/`` (the answers, the person, the history, notes, money,
the start at the club, the payment, the decision).

A POST that fails re-renders only its own panel for htmx, or the whole page without JavaScript,
with the input kept and the error beside it. (Indico's controllers are the shape: load, then
act.)
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from portal.applications import steps
from portal.applications.models import Application
from portal.applications.queries import Answer
from portal.auth.access import take_stash
from portal.auth.models import User
from portal.db import utcnow
from portal.enrolments import services as enrolments
from portal.extensions import db
from portal.forms import PortalForm
from portal.i18n import current_locale, locale_info
from portal.outbox.models import OutboxMessage
from portal.people import queries as people
from portal.people.models import PersonMatch
from portal.review import queries
from portal.review.forms import (
    ApproveForm,
    AskForm,
    ConfirmStartForm,
    CprForm,
    DeclineForm,
    NoteForm,
    PaymentForm,
)
from portal.review.services import AlreadyDecided
from portal.schemes import ledger
from portal.schemes.models import Payment, PaymentMethod, SchemeYear


class Panel(StrEnum):
    """The case's panels; each is ``templates/review/case/_<panel>.html``."""

    ANSWERS = "answers"
    PERSON = "person"
    HISTORY = "history"
    NOTES = "notes"
    MONEY = "money"
    START = "start"
    PAYMENT = "payment"
    DECIDE = "decide"

    @property
    def template(self) -> str:
        return f"review/case/_{self.value}.html"


#: The form each action posts, and the panel it lives in (a kept form comes back there).
ACTION_FORMS: dict[str, tuple[type[PortalForm], Panel]] = {
    "approve": (ApproveForm, Panel.DECIDE),
    "decline": (DeclineForm, Panel.DECIDE),
    "ask": (AskForm, Panel.DECIDE),
    "notes": (NoteForm, Panel.NOTES),
    "payments": (PaymentForm, Panel.PAYMENT),
    "confirm-start": (ConfirmStartForm, Panel.START),
    "cpr": (CprForm, Panel.PERSON),
}


@dataclass
class CaseForms:
    """The forms on the case, empty or as they were sent."""

    approve: ApproveForm
    decline: DeclineForm
    ask: AskForm
    note: NoteForm
    payment: PaymentForm
    confirm: ConfirmStartForm
    cpr: CprForm


@dataclass(frozen=True)
class Case:
    """Everything the case page shows, gathered once."""

    application: Application
    answers: list[Answer]
    history: list[queries.HistoryRow]
    notes: list[tuple[Any, str]]
    room: ledger.Room | None
    pool: SchemeYear | None
    support: list[queries.Support]
    others: list[Application]
    #: The person's applications this year (this one among them).
    person_applications: list[Application]
    #: Earlier applications that are (or may be) the same person, each with its application.
    matches: list[tuple[PersonMatch, Application | None]]
    #: Where the person has more than a cap (after a merge).
    over_cap: list[ledger.OverCap]
    payments: list[Payment]
    #: Messages to the family that finally failed, not yet followed up by a guide.
    unreached: list[OutboxMessage]
    assigned: User | None
    made_by: User | None
    consent_language: str
    enrolment_label: str | None
    forms: CaseForms
    #: The ledger's refusal of an approval just tried, if any.
    refused: ledger.Refused | None = None
    #: Someone else decided (or paid) first: what, who and when.
    already: AlreadyDecided | None = None
    decided_by: User | None = None
    #: The form came back after a sign-in (the staff session had ended before it was sent).
    restored: bool = False

    def context(self) -> dict[str, Any]:
        """The template's names: each field, and the forms by their old names."""
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        forms = self.forms
        values.update(
            approve_form=forms.approve, decline_form=forms.decline, ask_form=forms.ask,
            note_form=forms.note, payment_form=forms.payment, confirm_form=forms.confirm,
            cpr_form=forms.cpr,
        )  # fmt: skip
        return values


def load(
    application: Application,
    *,
    sent: tuple[str, PortalForm] | None = None,
    refused: ledger.Refused | None = None,
    already: AlreadyDecided | None = None,
) -> Case:
    """The case as the page shows it; ``sent`` is a form that failed (its action, the form)."""
    restored = _restored(application)
    room = ledger.room(application)
    locale = current_locale()
    return Case(
        application=application,
        answers=steps.answers(application),
        history=queries.history(application),
        notes=queries.notes(application),
        room=room,
        pool=ledger.scheme_year_for(application),
        support=queries.support_this_year(application, locale),
        others=queries.household_others(application),
        person_applications=people.applications_of(ledger.person_of(application)),
        matches=[(m, people.application_of(m.matched)) for m in people.matches(application)],
        over_cap=ledger.over_cap({p} if (p := ledger.person_of(application)) else set()),
        payments=application.payments,
        unreached=queries.unreached(application),
        assigned=_user(application.assigned_guide_id),
        made_by=_user(application.made_by_guide_id),
        consent_language=(
            locale_info(application.consent_locale).endonym if application.consent_locale else ""
        ),
        enrolment_label=(
            str(application.enrolment.status.label) if application.enrolment else None
        ),
        forms=_forms(application, room, sent or restored),
        refused=refused,
        already=already,
        decided_by=_user(already.by_id) if already else None,
        restored=restored is not None,
    )


def _user(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id else None


def _restored(application: Application) -> tuple[str, PortalForm] | None:
    """The form kept when the staff session ended before it was sent, refilled."""
    kept = take_stash(url_for("review.case", reference=application.reference) + "/")
    if kept is None or kept[0] not in ACTION_FORMS:
        return None
    action, values = kept
    form_class = ACTION_FORMS[action][0]
    return action, form_class(formdata=MultiDict(values), meta={"csrf": False})


def _forms(
    application: Application, room: ledger.Room | None, sent: tuple[str, PortalForm] | None
) -> CaseForms:
    """Every form on the case: the one that was sent as it was, the others fresh."""
    kept: dict[str, Any] = dict([sent]) if sent else {}
    approve = kept.get("approve")
    if approve is None:
        approve = ApproveForm(formdata=None)
        requested = application.amount_requested_kr or 0
        approve.amount_kr.data = min(requested, room.most_kr) if room else requested
    decline = kept.get("decline") or DeclineForm(formdata=None)
    decline.reason.choices = reason_choices()
    return CaseForms(
        approve=approve,
        decline=decline,
        ask=kept.get("ask") or AskForm(formdata=None),
        note=kept.get("notes") or NoteForm(formdata=None),
        payment=kept.get("payments") or payment_form(application),
        confirm=kept.get("confirm-start") or ConfirmStartForm(formdata=None),
        cpr=kept.get("cpr") or CprForm(formdata=None),
    )


def reason_choices() -> list[SelectChoice]:
    """The decline reasons in the page's language, after "Choose a reason"."""
    reasons = queries.decline_reasons(current_locale())
    return [SelectChoice("", _("Choose a reason"))] + [SelectChoice(v, t) for v, t in reasons]


def payment_form(application: Application) -> PaymentForm:
    """Filled in from the case: the approved amount (or what the club asked for), the club and
    its CVR, today."""
    form = PaymentForm(formdata=None)
    asked = enrolments.open_request(application)
    form.amount_kr.data = asked.amount_kr if asked else ledger.reserved_for(application) or None
    form.paid_on.data = utcnow().date()
    activity = application.activity
    if activity is not None:
        form.method.data = PaymentMethod.TO_ASSOCIATION.value
        form.payee_name.data = activity.association.name
        form.payee_cvr.data = activity.association.cvr
    elif application.already_paid:
        form.method.data = PaymentMethod.REFUND_TO_APPLICANT.value
    else:
        form.method.data = PaymentMethod.PURCHASE.value
    return form
