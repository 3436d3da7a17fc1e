"""An application's life: draft → submitted ⇄ needs information → approved / declined →
paid → closed; withdrawn before a decision; approved money not paid in time expires."""

from __future__ import annotations

import enum

from flask_babel import lazy_pgettext as _lp

from portal.workflow.core import STAFF, Actor, Lifecycle, Status


class ApplicationKind(enum.StrEnum):
    LEISURE_PASS = "leisure_pass"  # noqa: S105 - not a password
    EQUIPMENT = "equipment"
    ACTIVITY_PLACE = "activity_place"


class ApplicationStatus(Status):
    DRAFT = "draft", _lp("application status", "Not sent yet")
    SUBMITTED = "submitted", _lp("application status", "Received")
    NEEDS_INFO = "needs_info", _lp("application status", "More information needed")
    APPROVED = "approved", _lp("application status", "Approved")
    REJECTED = "rejected", _lp("application status", "Declined")
    WITHDRAWN = "withdrawn", _lp("application status", "Withdrawn")
    PAID = "paid", _lp("application status", "Paid")
    CLOSED = "closed", _lp("application status", "Closed")
    EXPIRED = "expired", _lp("application status", "Expired")


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
_FAMILY_OR_STAFF = frozenset({Actor.CITIZEN, *STAFF})

#: (status, action) → (next status, who may take the action). Nothing else moves an application.
APPLICATION_TRANSITIONS: dict[
    tuple[ApplicationStatus | None, Action], tuple[ApplicationStatus, frozenset[Actor]]
] = {
    (_S.DRAFT, Action.SUBMIT): (_S.SUBMITTED, _FAMILY_OR_STAFF),
    (_S.DRAFT, Action.WITHDRAW): (_S.WITHDRAWN, _FAMILY_OR_STAFF),
    (_S.SUBMITTED, Action.ASK_FOR_INFORMATION): (_S.NEEDS_INFO, STAFF),
    (_S.NEEDS_INFO, Action.ANSWER): (_S.SUBMITTED, _FAMILY_OR_STAFF),
    (_S.SUBMITTED, Action.APPROVE): (_S.APPROVED, STAFF),
    (_S.SUBMITTED, Action.REJECT): (_S.REJECTED, STAFF),
    (_S.NEEDS_INFO, Action.REJECT): (_S.REJECTED, STAFF),
    (_S.SUBMITTED, Action.WITHDRAW): (_S.WITHDRAWN, _FAMILY_OR_STAFF),
    (_S.NEEDS_INFO, Action.WITHDRAW): (_S.WITHDRAWN, _FAMILY_OR_STAFF),
    (_S.APPROVED, Action.PAY): (_S.PAID, STAFF),
    (_S.APPROVED, Action.EXPIRE): (_S.EXPIRED, frozenset({Actor.SYSTEM, *STAFF})),
    (_S.PAID, Action.CLOSE): (_S.CLOSED, frozenset({Actor.SYSTEM, *STAFF})),
    # The club declined the member or the child stopped before anything was paid: the
    # money goes back to the pool and the application is closed.
    (_S.APPROVED, Action.CLOSE): (_S.CLOSED, frozenset({Actor.SYSTEM, Actor.ASSOCIATION, *STAFF})),
}

APPLICATIONS = Lifecycle(
    "application", ApplicationStatus, Action, APPLICATION_TRANSITIONS, lambda thing: thing
)

#: Move an application: ``transition(application, action, actor, actor_id=…, reason=…)``.
transition = APPLICATIONS.move

#: Statuses in which the family can still take the application back.
WITHDRAWABLE = frozenset(
    status for (status, action) in APPLICATION_TRANSITIONS if action is Action.WITHDRAW
)
