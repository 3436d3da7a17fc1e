"""The statuses of applications and enrolments, with their translated labels.

PRODUCT.md: draft → submitted → (needs more information ⇄ submitted) → approved / rejected;
withdrawn by the citizen before a decision; an approved membership becomes an enrolment that the
association confirms, declines or wait-lists; then paid; then closed. The transition table that
moves between them is added with the first action that uses it; nothing assigns a status elsewhere.
"""

from __future__ import annotations

import enum

from flask_babel import LazyString
from flask_babel import lazy_pgettext as _lp


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
