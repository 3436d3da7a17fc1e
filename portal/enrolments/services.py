"""A club answers for a new member: the start (or a trial until a date), the waiting list with
the expected date, or a decline with a reason; later, a stop. Each is one transaction: the
status and its history row, the money (back to the pool when the child never starts), and the
messages to the family (in its language) and to the guide who approved.

A guide may answer on the club's behalf after a phone call; the history says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from portal.applications.models import Application, ReasonTemplate
from portal.auth.models import User
from portal.enrolments.models import Enrolment
from portal.extensions import db
from portal.outbox import services as outbox
from portal.schemes import ledger
from portal.schemes.models import Payment, PaymentMethod
from portal.workflow import (
    ENDED,
    ENROLMENTS,
    Action,
    Actor,
    ApplicationStatus,
    EnrolmentAction,
    EnrolmentStatus,
    PaymentAction,
    PaymentStatus,
    TransitionRefused,
    move_enrolment,
    move_payment,
    transition,
)


@dataclass(frozen=True)
class Answered:
    status: EnrolmentStatus


@dataclass(frozen=True)
class AlreadyAnswered:
    """Someone answered first (another contact, or a guide after a call): nothing changed."""

    status: EnrolmentStatus


Outcome = Answered | AlreadyAnswered


def allowed(enrolment: Enrolment, action: EnrolmentAction, actor: Actor) -> bool:
    return ENROLMENTS.allowed(enrolment.status, action, actor)


def _move(
    enrolment: Enrolment,
    action: EnrolmentAction,
    *,
    actor: Actor,
    user_id: int | None,
    reason: str | None = None,
) -> bool:
    """Apply the transition table's move and record it; False when the table has none, or when
    another answer was written first (the version column: on PostgreSQL this flush waits for
    the other transaction and then matches no row; on SQLite writers take turns)."""
    try:
        move_enrolment(enrolment, action, actor, actor_id=user_id, reason=reason)
        db.session.flush()
    except TransitionRefused:
        return False
    except StaleDataError:
        db.session.rollback()
        return False
    return True


def _finish(enrolment: Enrolment, actor: Actor, message: str, **context: object) -> Outcome:
    """Tell the family (and, when the club answered, the guide), then commit; a concurrent
    answer makes this one lose."""
    application = enrolment.application
    outbox.notify_applicant(application, message, enrolment=enrolment, **context)
    if actor is Actor.ASSOCIATION:
        _tell_the_guide(application, enrolment)
    status = enrolment.status
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        fresh = db.session.get(Enrolment, enrolment.id, populate_existing=True)
        return AlreadyAnswered(fresh.status if fresh else status)
    return Answered(status)


def _tell_the_guide(application: Application, enrolment: Enrolment) -> None:
    """An e-mail to the guide who approved (in the guide's language), with a link to the case."""
    guide = db.session.get(User, application.decided_by_id) if application.decided_by_id else None
    if guide is None or not guide.is_active:
        return
    outbox.queue(
        "enrolment_answered",
        locale=guide.preferred_locale,
        email=guide.email,
        application=application,
        enrolment=enrolment,
        case_link=outbox.public_url(
            "review.case", lang=guide.preferred_locale, reference=application.reference
        ),
    )


def _refused(enrolment: Enrolment) -> AlreadyAnswered:
    db.session.rollback()
    return AlreadyAnswered(enrolment.status)


def _with_a_call(actor: Actor, reason: str | None = None) -> str | None:
    if actor is Actor.ASSOCIATION:
        return reason
    return "; ".join(filter(None, ["on the club's behalf, after a phone call", reason]))


def confirm(
    enrolment: Enrolment,
    start_on: date,
    *,
    actor: Actor,
    user_id: int | None,
    trial_until: date | None = None,
) -> Outcome:
    """The child starts on ``start_on`` (trying until ``trial_until``, if given)."""
    action = EnrolmentAction.TRY if trial_until else EnrolmentAction.CONFIRM
    if not _move(enrolment, action, actor=actor, user_id=user_id, reason=_with_a_call(actor)):
        return _refused(enrolment)
    enrolment.start_on = start_on
    enrolment.trial_until_on = trial_until
    enrolment.waitlist_position = None
    if trial_until:
        return _finish(
            enrolment, actor, "trial_started", start_on=start_on, trial_until=trial_until
        )
    return _finish(enrolment, actor, "start_confirmed", start_on=start_on)


def waitlist(
    enrolment: Enrolment, expected_on: date | None, *, actor: Actor, user_id: int | None
) -> Outcome:
    """On the club's waiting list, last in line, with the date a place is expected."""
    if not _move(
        enrolment,
        EnrolmentAction.WAITLIST,
        actor=actor,
        user_id=user_id,
        reason=_with_a_call(actor),
    ):
        return _refused(enrolment)
    enrolment.expected_place_on = expected_on
    if enrolment.waitlist_position is None:
        last = db.session.execute(
            select(func.max(Enrolment.waitlist_position)).where(
                Enrolment.activity_id == enrolment.activity_id,
                Enrolment.status == EnrolmentStatus.WAITLISTED,
            )
        ).scalar()
        enrolment.waitlist_position = (last or 0) + 1
    return _finish(enrolment, actor, "club_waitlisted", expected_on=expected_on)


def decline(
    enrolment: Enrolment, reason: ReasonTemplate, *, actor: Actor, user_id: int | None
) -> Outcome:
    """The club cannot take the child: the reserved money goes back to the pool."""
    if not _move(
        enrolment,
        EnrolmentAction.DECLINE,
        actor=actor,
        user_id=user_id,
        reason=_with_a_call(actor, reason.text("da")),
    ):
        return _refused(enrolment)
    enrolment.decline_reason_id = reason.id
    enrolment.waitlist_position = None
    _release(enrolment, actor=actor, user_id=user_id)
    return _finish(enrolment, actor, "club_declined", reason=reason)


def stop(enrolment: Enrolment, *, actor: Actor, user_id: int | None) -> Outcome:
    """The child stopped (after a trial, or later): what is not paid yet goes back."""
    if not _move(
        enrolment, EnrolmentAction.STOP, actor=actor, user_id=user_id, reason=_with_a_call(actor)
    ):
        return _refused(enrolment)
    _release(enrolment, actor=actor, user_id=user_id)
    return _finish(enrolment, actor, "club_stopped")


def _release(enrolment: Enrolment, *, actor: Actor, user_id: int | None) -> None:
    """Ended before any payment: the money returns and the application is closed."""
    application = enrolment.application
    if enrolment.status in ENDED and application.status is ApplicationStatus.APPROVED:
        ledger.release(application, by=user_id)
        transition(application, Action.CLOSE, actor, actor_id=user_id)
        cancel_request(application, actor=actor, user_id=user_id)


# Reminders ------------------------------------------------------------------------------------


def remind_clubs(now: datetime) -> int:
    """A reminder, with the link again, to the clubs that have not answered for a new member
    within ``ENROLMENT_REMINDER_DAYS`` (once per enrolment); how many were reminded. The guides'
    queue lists those still silent ``ENROLMENT_FOLLOW_UP_DAYS`` later."""
    from portal.associations.services import tell_the_club

    days = int(current_app.config["ENROLMENT_REMINDER_DAYS"])
    due = db.session.execute(
        select(Enrolment).where(
            Enrolment.status == EnrolmentStatus.PENDING,
            Enrolment.reminder_count == 0,
            Enrolment.created_at < now - timedelta(days=days),
        )
    ).scalars()
    reminded = 0
    for enrolment in due:
        tell_the_club(enrolment, "enrolment_reminder")
        enrolment.reminder_count += 1
        reminded += 1
    db.session.commit()
    return reminded


# The membership fee ---------------------------------------------------------------------------


class NoRequest(StrEnum):
    NOT_STARTED = "not_started"
    ALREADY_ASKED = "already_asked"
    TOO_MUCH = "too_much"


def club_may_be_paid(application: Application) -> bool:
    """The membership fee is paid for a member who has started (or where no club confirms)."""
    enrolment = application.enrolment
    return enrolment is None or enrolment.status is EnrolmentStatus.CONFIRMED


def open_request(application: Application) -> Payment | None:
    return next((p for p in application.payments if p.status is PaymentStatus.REQUESTED), None)


def cancel_request(application: Application, *, actor: Actor, user_id: int | None) -> None:
    """The money went back to the pool: a club's open request for the fee will not be paid."""
    asked = open_request(application)
    if asked is not None:
        move_payment(asked, PaymentAction.CANCEL, actor, actor_id=user_id)


def request_payment(enrolment: Enrolment, amount_kr: int, *, user_id: int) -> NoRequest | Payment:
    """The club asks for the membership fee of a member who has started: the approved amount
    or less. It waits in the guides' queue until a guide records the payout."""
    application = enrolment.application
    if (
        enrolment.status is not EnrolmentStatus.CONFIRMED
        or application.status is not ApplicationStatus.APPROVED
    ):
        return NoRequest.NOT_STARTED
    if open_request(application) is not None:
        return NoRequest.ALREADY_ASKED
    if not 0 < amount_kr <= ledger.reserved_for(application):
        return NoRequest.TOO_MUCH
    association = enrolment.activity.association
    payment = Payment(
        application=application,
        method=PaymentMethod.TO_ASSOCIATION,
        amount_kr=amount_kr,
        payee_name=association.name,
        payee_cvr=association.cvr,
        requested_by_id=user_id,
    )
    db.session.add(payment)
    move_payment(
        payment,
        PaymentAction.REQUEST,
        Actor.ASSOCIATION,
        actor_id=user_id,
        reason=f"{amount_kr} kr",
    )
    try:
        db.session.commit()
    except IntegrityError:  # asked a moment ago (a double tap, or another contact)
        db.session.rollback()
        return NoRequest.ALREADY_ASKED
    return payment


def mark_season_end(enrolment: Enrolment, still_coming: bool) -> None:
    """The club's answer at the end of the season: is the member still coming? (The retention
    figure the municipality has never had.)"""
    enrolment.active_at_season_end = still_coming
    db.session.commit()
