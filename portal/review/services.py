"""Decisions on an application. Each is one transaction: the status change, the money in the
ledger and the message to the family commit together or not at all.

Two guides deciding the same case at once: the application's version column lets exactly one
win; the other is told who decided and when, never shown an error page. Two guides approving
different cases against the last money in a pool: the ledger's conditional updates let only
what fits through (see :mod:`portal.schemes.ledger`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from portal.applications.models import (
    Application,
    InternalNote,
)
from portal.associations import services as associations
from portal.audit import services as audit
from portal.audit.models import AuditAction
from portal.db import utcnow
from portal.enrolments import services as enrolments
from portal.enrolments.models import Enrolment
from portal.extensions import db
from portal.outbox import services as outbox
from portal.people import matching
from portal.review import queries
from portal.schemes import ledger
from portal.schemes.models import Payment, PaymentMethod
from portal.workflow import (
    Action,
    Actor,
    ApplicationStatus,
    EnrolmentAction,
    PaymentAction,
    PaymentStatus,
    TransitionRefused,
    move_payment,
    transition,
)


@dataclass(frozen=True)
class Decided:
    status: ApplicationStatus
    amount_kr: int | None = None


@dataclass(frozen=True)
class AlreadyDecided:
    """Someone else got there first (or the case moved on): what it is now, by whom, when."""

    status: ApplicationStatus
    by_id: int | None
    at: datetime | None


Outcome = Decided | AlreadyDecided | ledger.Refused


def _already(application_id: int) -> AlreadyDecided:
    """What the case is now, and who moved it there and when (the payout, once paid)."""
    db.session.rollback()
    fresh = db.session.get(Application, application_id, populate_existing=True)
    if fresh is None:  # applications are never deleted; this would be a bug, not a race
        raise LookupError(f"application {application_id} is gone")
    paid = [p for p in fresh.payments if p.status is PaymentStatus.PAID]
    if fresh.status is ApplicationStatus.PAID and paid:
        return AlreadyDecided(fresh.status, paid[-1].recorded_by_id, paid[-1].updated_at)
    return AlreadyDecided(fresh.status, fresh.decided_by_id, fresh.decided_at)


def approve(application: Application, amount_kr: int, *, guide_id: int | None) -> Outcome:
    """Approve ``amount_kr`` (the full request or less; 0 kr for a free place): reserve it,
    tell the family.

    Refused without any change when it is more than the family asked for, or when the pool or
    the person's cap has less left, or while it may be the same person as another application
    (a guide settles that first); the :class:`ledger.Refused` says which limit and how
    much is left.
    """
    asked = application.amount_requested_kr
    if asked is not None and amount_kr > asked:
        return ledger.Refused(ledger.Limit.ASKED, asked)
    if amount_kr and matching.unsettled(application):
        return ledger.Refused(ledger.Limit.SAME_PERSON, 0)
    application_id = application.id
    try:
        transition(application, Action.APPROVE, Actor.GUIDE, actor_id=guide_id)
        # Reserving flushes the status change first: a guide who approved this very case a
        # moment ago makes that flush fail on the version column. A free place reserves
        # nothing, and flushes for the same check.
        refused = ledger.reserve(application, amount_kr, by=guide_id) if amount_kr else None
        db.session.flush()
        if refused is not None:
            db.session.rollback()
            return refused
        application.amount_approved_kr = amount_kr
        application.decided_at = utcnow()
        application.decided_by_id = guide_id
        if application.activity_id is not None and application.enrolment is None:
            # The club is asked to confirm the start: a message with a link to its contacts.
            application.enrolment = Enrolment(
                activity_id=application.activity_id,
                share_contact_with_club=application.share_contact_with_club,
            )
            db.session.flush()
            associations.tell_the_club(application.enrolment)
        outbox.notify_applicant(application, "application_approved", amount_kr=amount_kr)
        db.session.commit()
    except (TransitionRefused, StaleDataError):
        return _already(application_id)
    return Decided(ApplicationStatus.APPROVED, amount_kr)


def decline(
    application: Application, reason_id: int, *, guide_id: int | None, note: str | None = None
) -> Decided | AlreadyDecided:
    """Decline with a reason from the templates; the family gets it in its language, with the
    Danish text and how to complain (forvaltningsloven §§ 22 and 25)."""
    application_id = application.id
    try:
        transition(application, Action.REJECT, Actor.GUIDE, actor_id=guide_id)
        application.decision_reason_id = reason_id
        application.decided_at = utcnow()
        application.decided_by_id = guide_id
        if note:
            application.notes.append(InternalNote(author_id=guide_id, body=note))
        db.session.flush()
        outbox.notify_applicant(application, "application_declined")
        db.session.commit()
    except (TransitionRefused, StaleDataError):
        return _already(application_id)
    return Decided(ApplicationStatus.REJECTED)


def ask(application: Application, question: str, *, guide_id: int | None) -> Outcome:
    """Ask the family for more information; the case waits for the answer."""
    application_id = application.id
    try:
        transition(
            application, Action.ASK_FOR_INFORMATION, Actor.GUIDE, actor_id=guide_id, reason=question
        )
        application.question_from_guide = question
        outbox.notify_applicant(application, "information_needed")
        db.session.commit()
    except (TransitionRefused, StaleDataError):
        return _already(application_id)
    return Decided(ApplicationStatus.NEEDS_INFO)


def mark_reached(application: Application, *, guide_id: int) -> int:
    """A guide has reached the family another way (a call): its failed messages are followed
    up and leave the queue; how many."""
    messages = queries.unreached(application)
    now = utcnow()
    for message in messages:
        message.followed_up_at, message.followed_up_by_id = now, guide_id
    audit.note(guide_id, AuditAction.CHANGE, "family reached after a failed message",
               application=application)  # fmt: skip
    db.session.commit()
    return len(messages)


def take(application: Application, *, guide_id: int) -> None:
    """ "Take": the case is mine; others see who has it."""
    application.assigned_guide_id = guide_id
    db.session.commit()


def add_note(application: Application, body: str, *, guide_id: int) -> None:
    application.notes.append(InternalNote(author_id=guide_id, body=body))
    db.session.commit()


class PaymentRefusal(StrEnum):
    """Why a payout was not recorded (nothing changed)."""

    #: More than what is approved and not paid yet.
    TOO_MUCH = "too_much"
    #: A membership fee for a member the club has not confirmed yet.
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class PaymentRefused:
    refusal: PaymentRefusal
    #: What is approved and not paid (kr), so the page can say it.
    reserved_kr: int


@dataclass(frozen=True)
class Paid:
    payment: Payment


@dataclass(frozen=True)
class Payout:
    """What a guide records: how, how much, to whom, finance's reference, and the day."""

    method: PaymentMethod
    amount_kr: int
    payee_name: str
    payee_cvr: str | None
    reference: str | None
    paid_on: date


def record_payment(
    application: Application, payout: Payout, *, guide_id: int
) -> Paid | PaymentRefused | AlreadyDecided:
    """A payout of approved money: the ledger moves it from reserved to paid, whatever was
    approved and not paid goes back to the pool, and the application is paid.

    One payout per case: the application's version column lets exactly one of several guides
    recording it at the same moment through; the others are told who paid it and when.
    """
    application_id = application.id
    try:
        transition(application, Action.PAY, Actor.GUIDE, actor_id=guide_id)
        db.session.flush()  # takes the case: a payout recorded meanwhile makes this fail
    except (TransitionRefused, StaleDataError):
        return _already(application_id)
    refused = _payout_refused(application, payout)
    if refused is not None:
        db.session.rollback()
        return refused
    # The club's request for the membership fee, if there is one, becomes the payout.
    asked = (
        enrolments.open_request(application)
        if payout.method is PaymentMethod.TO_ASSOCIATION
        else None
    )
    payment = asked or Payment(application=application)
    payment.method, payment.amount_kr = payout.method, payout.amount_kr
    payment.payee_name, payment.payee_cvr = payout.payee_name, payout.payee_cvr
    payment.reference, payment.paid_on = payout.reference, payout.paid_on
    payment.recorded_by_id = guide_id
    db.session.add(payment)
    move_payment(payment, PaymentAction.PAY, Actor.GUIDE, actor_id=guide_id)
    ledger.pay(application, payout.amount_kr, by=guide_id)
    ledger.release(application, by=guide_id)
    db.session.commit()
    return Paid(payment)


def _payout_refused(application: Application, payout: Payout) -> PaymentRefused | None:
    """The rules a payout is held to, checked once the case is taken."""
    reserved = ledger.reserved_for(application)
    if not 0 < payout.amount_kr <= reserved:
        return PaymentRefused(PaymentRefusal.TOO_MUCH, reserved)
    if payout.method is PaymentMethod.TO_ASSOCIATION and not enrolments.club_may_be_paid(
        application
    ):
        return PaymentRefused(PaymentRefusal.NOT_STARTED, reserved)
    return None


def expire_unused(now: datetime) -> int:
    """Approved money not paid within ``APPROVAL_EXPIRES_DAYS`` goes back to the pool, and
    the family is told. One transaction per application; returns how many expired."""
    days = int(current_app.config["APPROVAL_EXPIRES_DAYS"])
    due = (
        db.session.execute(
            select(Application.id).where(
                Application.status == ApplicationStatus.APPROVED,
                Application.amount_approved_kr > 0,  # a free place has no money to return
                Application.decided_at < now - timedelta(days=days),
            )
        )
        .scalars()
        .all()
    )
    expired = 0
    for application_id in due:
        application = db.session.get(Application, application_id)
        if application is None:
            continue
        try:
            transition(application, Action.EXPIRE, Actor.SYSTEM)
            ledger.release(application, by=None)
            enrolments.cancel_request(application, actor=Actor.SYSTEM, user_id=None)
            outbox.notify_applicant(application, "approval_expired")
            db.session.commit()
            expired += 1
        except (TransitionRefused, StaleDataError):
            db.session.rollback()  # paid or changed meanwhile: nothing to expire
    return expired


def confirm_start_for_club(
    application: Application, start_on: date, *, guide_id: int
) -> Decided | AlreadyDecided:
    """The guide confirms the start on the club's behalf after a phone call; recorded as such."""
    enrolment = application.enrolment
    if enrolment is None or not enrolments.allowed(enrolment, EnrolmentAction.CONFIRM, Actor.GUIDE):
        return AlreadyDecided(application.status, application.decided_by_id, application.decided_at)
    outcome = enrolments.confirm(enrolment, start_on, actor=Actor.GUIDE, user_id=guide_id)
    if isinstance(outcome, enrolments.AlreadyAnswered):
        return _already(application.id)
    return Decided(application.status)
