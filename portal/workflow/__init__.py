"""Every life cycle in the portal, each as one table: applications, enrolments and payments.

PRODUCT.md: draft → submitted → (needs more information ⇄ submitted) → approved / rejected;
withdrawn by the citizen before a decision; an approved membership becomes an enrolment that the
association confirms, declines or wait-lists; then paid; then closed.

One module per life cycle holds its statuses, their translated labels, its actions and its
transition table: (status, action) → (next status, who may take the action). Each has one
function that moves a thing (``transition``, ``move_enrolment``, ``move_payment``); nothing else
assigns a status. All three record the move with :func:`record_change`, the one writer of the
history (:class:`StatusChange`). Adding a status is a line in one table (and its label).
"""

from typing import Any

from portal.workflow.applications import (
    APPLICATION_STATUS_LABELS,
    APPLICATION_TRANSITIONS,
    APPLICATIONS,
    WITHDRAWABLE,
    Action,
    ApplicationKind,
    ApplicationStatus,
    transition,
)
from portal.workflow.core import Actor, Lifecycle, Transition, TransitionRefused
from portal.workflow.enrolments import (
    ENDED,
    ENROLMENT_STATUS_LABELS,
    ENROLMENTS,
    EnrolmentAction,
    EnrolmentStatus,
    move_enrolment,
)
from portal.workflow.history import StatusChange, record_change
from portal.workflow.payments import PAYMENTS, PaymentAction, PaymentStatus, move_payment

#: The three life cycles by the word the history uses for each (``StatusChange.subject``).
LIFECYCLES: dict[str, Lifecycle[Any, Any]] = {
    lifecycle.subject: lifecycle for lifecycle in (APPLICATIONS, ENROLMENTS, PAYMENTS)
}

__all__ = [
    "APPLICATIONS",
    "APPLICATION_STATUS_LABELS",
    "APPLICATION_TRANSITIONS",
    "ENDED",
    "ENROLMENTS",
    "ENROLMENT_STATUS_LABELS",
    "LIFECYCLES",
    "PAYMENTS",
    "WITHDRAWABLE",
    "Action",
    "Actor",
    "ApplicationKind",
    "ApplicationStatus",
    "EnrolmentAction",
    "EnrolmentStatus",
    "Lifecycle",
    "PaymentAction",
    "PaymentStatus",
    "StatusChange",
    "Transition",
    "TransitionRefused",
    "move_enrolment",
    "move_payment",
    "record_change",
    "transition",
]
