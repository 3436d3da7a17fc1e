"""An application's life: draft → submitted ⇄ needs information → approved / declined →
paid → closed; withdrawn before a decision; approved money not paid in time expires."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from flask_babel import LazyString
from flask_babel import lazy_pgettext as _lp

from portal.workflow.core import STAFF, Actor, Lifecycle, Transition
from portal.workflow.history import record_change

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
    "application", ApplicationStatus, Action, APPLICATION_TRANSITIONS, APPLICATION_STATUS_LABELS
)

#: Statuses in which the family can still take the application back.
WITHDRAWABLE = frozenset(
    status for (status, action) in APPLICATION_TRANSITIONS if action is Action.WITHDRAW
)


def transition(
    application: Application,
    action: Action,
    actor: Actor,
    *,
    actor_id: int | None = None,
    reason: str | None = None,
) -> Transition[ApplicationStatus]:
    """Move ``application`` by ``action`` and record who, when and why in its history.

    Raises ``TransitionRefused`` when the table has no such move for this actor. The caller's
    transaction commits the change (and the outbox messages it queued with it).
    """
    moved = APPLICATIONS.next(application.status, action, actor)
    application.status = moved.after
    record_change(
        application, APPLICATIONS.subject, action, moved.before, moved.after,
        actor=actor, actor_id=actor_id, reason=reason,
    )  # fmt: skip
    return moved
