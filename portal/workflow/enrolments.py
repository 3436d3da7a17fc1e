"""An enrolment's life: the club's side of an approved place or membership. Clubs let children
try before they commit, keep waiting lists, decline, and mark a stop."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from flask_babel import LazyString
from flask_babel import lazy_pgettext as _lp

from portal.workflow.core import STAFF, Actor, Lifecycle, Transition
from portal.workflow.history import record_change

if TYPE_CHECKING:
    from portal.enrolments.models import Enrolment


class EnrolmentStatus(enum.StrEnum):
    PENDING = "pending"
    TRIAL = "trial"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"
    STOPPED = "stopped"


ENROLMENT_STATUS_LABELS: dict[EnrolmentStatus, LazyString] = {
    EnrolmentStatus.PENDING: _lp("enrolment status", "Waiting for the club"),
    EnrolmentStatus.TRIAL: _lp("enrolment status", "Trying the activity"),
    EnrolmentStatus.CONFIRMED: _lp("enrolment status", "Started"),
    EnrolmentStatus.WAITLISTED: _lp("enrolment status", "On the waiting list"),
    EnrolmentStatus.DECLINED: _lp("enrolment status", "Declined by the club"),
    EnrolmentStatus.STOPPED: _lp("enrolment status", "Stopped"),
}


class EnrolmentAction(enum.StrEnum):
    CONFIRM = "confirm"
    TRY = "try"
    WAITLIST = "waitlist"
    DECLINE = "decline"
    STOP = "stop"


_E = EnrolmentStatus
#: A club, or a guide on its behalf after a phone call (the history says so).
_CLUB_OR_STAFF = frozenset({Actor.ASSOCIATION, *STAFF})

#: (status, action) → (next status, who may take the action). Nothing else moves an enrolment.
ENROLMENT_TRANSITIONS: dict[
    tuple[EnrolmentStatus | None, EnrolmentAction], tuple[EnrolmentStatus, frozenset[Actor]]
] = {
    (_E.PENDING, EnrolmentAction.CONFIRM): (_E.CONFIRMED, _CLUB_OR_STAFF),
    (_E.PENDING, EnrolmentAction.TRY): (_E.TRIAL, _CLUB_OR_STAFF),
    (_E.PENDING, EnrolmentAction.WAITLIST): (_E.WAITLISTED, _CLUB_OR_STAFF),
    (_E.PENDING, EnrolmentAction.DECLINE): (_E.DECLINED, _CLUB_OR_STAFF),
    (_E.WAITLISTED, EnrolmentAction.CONFIRM): (_E.CONFIRMED, _CLUB_OR_STAFF),
    (_E.WAITLISTED, EnrolmentAction.TRY): (_E.TRIAL, _CLUB_OR_STAFF),
    # A new expected date.
    (_E.WAITLISTED, EnrolmentAction.WAITLIST): (_E.WAITLISTED, _CLUB_OR_STAFF),
    (_E.WAITLISTED, EnrolmentAction.DECLINE): (_E.DECLINED, _CLUB_OR_STAFF),
    (_E.TRIAL, EnrolmentAction.CONFIRM): (_E.CONFIRMED, _CLUB_OR_STAFF),
    (_E.TRIAL, EnrolmentAction.STOP): (_E.STOPPED, _CLUB_OR_STAFF),
    (_E.CONFIRMED, EnrolmentAction.STOP): (_E.STOPPED, _CLUB_OR_STAFF),
}

ENROLMENTS = Lifecycle(
    "enrolment", EnrolmentStatus, EnrolmentAction, ENROLMENT_TRANSITIONS, ENROLMENT_STATUS_LABELS
)

#: The child never started or has stopped: nothing more is paid.
ENDED = frozenset({_E.DECLINED, _E.STOPPED})


def move_enrolment(
    enrolment: Enrolment,
    action: EnrolmentAction,
    actor: Actor,
    *,
    actor_id: int | None = None,
    reason: str | None = None,
) -> Transition[EnrolmentStatus]:
    """Move ``enrolment`` by ``action`` and record it in its application's history; raises
    ``TransitionRefused`` when the table has no such move for this actor."""
    moved = ENROLMENTS.next(enrolment.status, action, actor)
    enrolment.status = moved.after
    record_change(
        enrolment.application, ENROLMENTS.subject, action, moved.before, moved.after,
        actor=actor, actor_id=actor_id, reason=reason,
    )  # fmt: skip
    return moved
