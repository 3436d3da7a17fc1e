"""The statuses of applications and enrolments, with their translated labels.

PRODUCT.md: draft → submitted → (needs more information ⇄ submitted) → approved / rejected;
withdrawn by the citizen before a decision; an approved membership becomes an enrolment that the
association confirms, declines or wait-lists; then paid; then closed.

The transition table below is the only place that says which action moves an application from one
status to the next and who may take it; ``transition()`` is the only code that sets the status.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import LazyString
from flask_babel import lazy_pgettext as _lp

from portal.db import utcnow

if TYPE_CHECKING:
    from portal.applications.models import Application


class ApplicationKind(enum.StrEnum):
    LEISURE_PASS = "leisure_pass"  # noqa: S105 - not a password
    EQUIPMENT = "equipment"
    ACTIVITY_PLACE = "activity_place"


class ApplicationStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    NEEDS_INFO = "needs_info"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    PAID = "paid"
    CLOSED = "closed"
    EXPIRED = "expired"


class EnrolmentStatus(enum.StrEnum):
    PENDING = "pending"
    TRIAL = "trial"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    STOPPED = "stopped"


APPLICATION_STATUS_LABELS: dict[ApplicationStatus, LazyString] = {
    ApplicationStatus.DRAFT: _lp("application status", "Not sent yet"),
    ApplicationStatus.SUBMITTED: _lp("application status", "Received"),
    ApplicationStatus.NEEDS_INFO: _lp("application status", "More information needed"),
    ApplicationStatus.APPROVED: _lp("application status", "Approved"),
    ApplicationStatus.REJECTED: _lp("application status", "Declined"),
    ApplicationStatus.WITHDRAWN: _lp("application status", "Withdrawn"),
    ApplicationStatus.PAID: _lp("application status", "Paid"),
    ApplicationStatus.CLOSED: _lp("application status", "Closed"),
    ApplicationStatus.EXPIRED: _lp("application status", "Expired"),
}

ENROLMENT_STATUS_LABELS: dict[EnrolmentStatus, LazyString] = {
    EnrolmentStatus.PENDING: _lp("enrolment status", "Waiting for the club"),
    EnrolmentStatus.TRIAL: _lp("enrolment status", "Trying the activity"),
    EnrolmentStatus.CONFIRMED: _lp("enrolment status", "Started"),
    EnrolmentStatus.WAITLISTED: _lp("enrolment status", "On the waiting list"),
    EnrolmentStatus.DECLINED: _lp("enrolment status", "Declined by the club"),
    EnrolmentStatus.STOPPED: _lp("enrolment status", "Stopped"),
}


class Actor(enum.StrEnum):
    """Who takes an action: the family (no account), staff, a club, or the portal itself."""

    CITIZEN = "citizen"
    GUIDE = "guide"
    ADMIN = "admin"
    ASSOCIATION = "association"
    SYSTEM = "system"


class Action(enum.StrEnum):
    SUBMIT = "submit"
    ASK_FOR_INFORMATION = "ask_for_information"
    ANSWER = "answer"
    APPROVE = "approve"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    PAY = "pay"
    CLOSE = "close"
    EXPIRE = "expire"


_S = ApplicationStatus
_STAFF = frozenset({Actor.GUIDE, Actor.ADMIN})
_FAMILY_OR_STAFF = frozenset({Actor.CITIZEN, Actor.GUIDE, Actor.ADMIN})

#: (status, action) → (next status, who may take the action). Nothing else moves an application.
APPLICATION_TRANSITIONS: dict[
    tuple[ApplicationStatus, Action], tuple[ApplicationStatus, frozenset[Actor]]
] = {
    (_S.DRAFT, Action.SUBMIT): (_S.SUBMITTED, _FAMILY_OR_STAFF),
    (_S.DRAFT, Action.WITHDRAW): (_S.WITHDRAWN, _FAMILY_OR_STAFF),
    (_S.SUBMITTED, Action.ASK_FOR_INFORMATION): (_S.NEEDS_INFO, _STAFF),
    (_S.NEEDS_INFO, Action.ANSWER): (_S.SUBMITTED, _FAMILY_OR_STAFF),
    (_S.SUBMITTED, Action.APPROVE): (_S.APPROVED, _STAFF),
    (_S.SUBMITTED, Action.REJECT): (_S.REJECTED, _STAFF),
    (_S.NEEDS_INFO, Action.REJECT): (_S.REJECTED, _STAFF),
    (_S.SUBMITTED, Action.WITHDRAW): (_S.WITHDRAWN, _FAMILY_OR_STAFF),
    (_S.NEEDS_INFO, Action.WITHDRAW): (_S.WITHDRAWN, _FAMILY_OR_STAFF),
    (_S.APPROVED, Action.PAY): (_S.PAID, _STAFF),
    (_S.APPROVED, Action.EXPIRE): (_S.EXPIRED, frozenset({Actor.SYSTEM, *_STAFF})),
    (_S.PAID, Action.CLOSE): (_S.CLOSED, frozenset({Actor.SYSTEM, *_STAFF})),
    # The club declined the member or the child stopped before anything was paid: the
    # money goes back to the pool and the application is closed.
    (_S.APPROVED, Action.CLOSE): (_S.CLOSED, frozenset({Actor.SYSTEM, Actor.ASSOCIATION, *_STAFF})),
}

#: Statuses in which the family can still take the application back.
WITHDRAWABLE = frozenset(
    status for (status, action) in APPLICATION_TRANSITIONS if action is Action.WITHDRAW
)


class TransitionRefused(Exception):
    """The action is not in the table for this status, or this actor may not take it."""

    def __init__(self, status: ApplicationStatus, action: Action, actor: Actor) -> None:
        super().__init__(f"{actor} may not {action} an application that is {status}")
        self.status, self.action, self.actor = status, action, actor


@dataclass(frozen=True)
class Transition:
    before: ApplicationStatus
    after: ApplicationStatus


def allowed(status: ApplicationStatus, action: Action, actor: Actor) -> bool:
    rule = APPLICATION_TRANSITIONS.get((status, action))
    return rule is not None and actor in rule[1]


def transition(
    application: Application,
    action: Action,
    actor: Actor,
    *,
    actor_id: int | None = None,
    reason: str | None = None,
) -> Transition:
    """Move ``application`` by ``action`` and record who, when and why in its history.

    Raises ``TransitionRefused`` when the table has no such move for this actor. The caller's
    transaction commits the change (and the outbox messages it queued with it).
    """
    from portal.applications.models import StatusChange

    before = application.status
    rule = APPLICATION_TRANSITIONS.get((before, action))
    if rule is None or actor not in rule[1]:
        raise TransitionRefused(before, action, actor)
    application.status = rule[0]
    application.history.append(
        StatusChange(
            subject="application",
            action=action.value,
            from_status=before.value,
            to_status=rule[0].value,
            actor_id=actor_id,
            actor_role=actor.value,
            reason=reason,
            created_at=utcnow(),
        )
    )
    return Transition(before, rule[0])


# Enrolments: the club's side of an approved place or membership ---------------------------------


class EnrolmentAction(enum.StrEnum):
    CONFIRM = "confirm"
    TRY = "try"
    WAITLIST = "waitlist"
    DECLINE = "decline"
    STOP = "stop"


_E = EnrolmentStatus
_CLUB_OR_STAFF = frozenset({Actor.ASSOCIATION, *_STAFF})

#: (status, action) → next status. A club (or a guide on its behalf, after a phone call) moves
#: an enrolment; nothing else does. Clubs let children try before they commit: "trying until"
#: is a status of its own, ending in a start or a stop.
ENROLMENT_TRANSITIONS: dict[tuple[EnrolmentStatus, EnrolmentAction], EnrolmentStatus] = {
    (_E.PENDING, EnrolmentAction.CONFIRM): _E.CONFIRMED,
    (_E.PENDING, EnrolmentAction.TRY): _E.TRIAL,
    (_E.PENDING, EnrolmentAction.WAITLIST): _E.WAITLISTED,
    (_E.PENDING, EnrolmentAction.DECLINE): _E.DECLINED,
    (_E.WAITLISTED, EnrolmentAction.CONFIRM): _E.CONFIRMED,
    (_E.WAITLISTED, EnrolmentAction.TRY): _E.TRIAL,
    (_E.WAITLISTED, EnrolmentAction.WAITLIST): _E.WAITLISTED,  # a new expected date
    (_E.WAITLISTED, EnrolmentAction.DECLINE): _E.DECLINED,
    (_E.TRIAL, EnrolmentAction.CONFIRM): _E.CONFIRMED,
    (_E.TRIAL, EnrolmentAction.STOP): _E.STOPPED,
    (_E.CONFIRMED, EnrolmentAction.STOP): _E.STOPPED,
}

#: Who may move an enrolment at all.
ENROLMENT_ACTORS = _CLUB_OR_STAFF

#: The club has not answered yet (reminded, then followed up in the guides' queue).
UNANSWERED = frozenset({_E.PENDING})
#: The child never started or has stopped: nothing more is paid.
ENDED = frozenset({_E.DECLINED, _E.STOPPED})
