"""Every life cycle in the portal, each as one table: applications, enrolments and payments.

PRODUCT.md: draft → submitted → (needs more information ⇄ submitted) → approved / rejected;
withdrawn by the citizen before a decision; an approved membership becomes an enrolment that the
association confirms, declines or wait-lists; then paid; then closed.

One module per life cycle holds its statuses (each with its translated label), its actions
and its transition table: (status, action) → (next status, who may take the action). Each
life cycle moves its things with ``Lifecycle.move`` (named ``transition``, ``move_enrolment``,
``move_payment``); nothing else assigns a status. It records the move with
:func:`record_change`, the one writer of the history (:class:`StatusChange`). Adding a status
is a line in its enum and the rows of its table.
"""

from typing import Any

from portal.workflow.applications import (
    APPLICATION_TRANSITIONS,
    APPLICATIONS,
    WITHDRAWABLE,
    Action,
    ApplicationKind,
    ApplicationStatus,
    transition,
)
from portal.workflow.core import Actor, Lifecycle, Status, Transition, TransitionRefused
from portal.workflow.enrolments import (
    ENDED,
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
    "APPLICATION_TRANSITIONS",
    "ENDED",
    "ENROLMENTS",
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
    "Status",
    "StatusChange",
    "Transition",
    "TransitionRefused",
    "move_enrolment",
    "move_payment",
    "record_change",
    "transition",
]
