"""An enrolment's life: the club's side of an approved place or membership. Clubs let children
try before they commit, keep waiting lists, decline, and mark a stop."""

from __future__ import annotations

import enum

from flask_babel import lazy_pgettext as _lp

from portal.workflow.core import STAFF, Actor, Lifecycle, Status


class EnrolmentStatus(Status):
    PENDING = "pending", _lp("enrolment status", "Waiting for the club")
    TRIAL = "trial", _lp("enrolment status", "Trying the activity")
    CONFIRMED = "confirmed", _lp("enrolment status", "Started")
    WAITLISTED = "waitlisted", _lp("enrolment status", "On the waiting list")
    DECLINED = "declined", _lp("enrolment status", "Declined by the club")
    STOPPED = "stopped", _lp("enrolment status", "Stopped")


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
    "enrolment",
    EnrolmentStatus,
    EnrolmentAction,
    ENROLMENT_TRANSITIONS,
    lambda enrolment: enrolment.application,
)

#: Move an enrolment (recorded in its application's history).
move_enrolment = ENROLMENTS.move

#: The child never started or has stopped: nothing more is paid.
ENDED = frozenset({_E.DECLINED, _E.STOPPED})
