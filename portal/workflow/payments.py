"""A payment's life: a club asks for the membership fee (requested), a guide records the payout
(paid) — or the request is cancelled because the money went back to the pool. A payout with no
request before it (a refund to a family, a purchase) is made paid at once."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from portal.workflow.core import STAFF, Actor, Lifecycle, Transition
from portal.workflow.history import record_change

if TYPE_CHECKING:
    from portal.applications.models import Application
    from portal.schemes.models import Payment


class PaymentStatus(enum.StrEnum):
    #: An association has asked for the membership fee of a confirmed member.
    REQUESTED = "requested"
    PAID = "paid"
    #: The request will not be paid: the child stopped, or the approval expired.
    CANCELLED = "cancelled"


PAYMENT_STATUS_LABELS: dict[PaymentStatus, LazyString] = {
    PaymentStatus.REQUESTED: _l("The club asked the municipality for the fee"),
    PaymentStatus.PAID: _lp("payment status", "Payout recorded"),
    PaymentStatus.CANCELLED: _lp("payment status", "The club's request was cancelled"),
}


class PaymentAction(enum.StrEnum):
    REQUEST = "request"
    PAY = "pay"
    CANCEL = "cancel"


_P = PaymentStatus

#: (status, action) → (next status, who may take the action); ``None`` is a payment not made
#: yet. Nothing else moves a payment.
PAYMENT_TRANSITIONS: dict[
    tuple[PaymentStatus | None, PaymentAction], tuple[PaymentStatus, frozenset[Actor]]
] = {
    (None, PaymentAction.REQUEST): (_P.REQUESTED, frozenset({Actor.ASSOCIATION})),
    (None, PaymentAction.PAY): (_P.PAID, STAFF),
    (_P.REQUESTED, PaymentAction.PAY): (_P.PAID, STAFF),
    (_P.REQUESTED, PaymentAction.CANCEL): (
        _P.CANCELLED,
        frozenset({Actor.SYSTEM, Actor.ASSOCIATION, *STAFF}),
    ),
}

PAYMENTS = Lifecycle(
    "payment", PaymentStatus, PaymentAction, PAYMENT_TRANSITIONS, PAYMENT_STATUS_LABELS
)


def move_payment(
    payment: Payment,
    application: Application,
    action: PaymentAction,
    actor: Actor,
    *,
    actor_id: int | None = None,
    reason: str | None = None,
) -> Transition[PaymentStatus]:
    """Move ``payment`` (of ``application``; a new one has no status yet) by ``action`` and
    record it in the application's history; raises ``TransitionRefused`` otherwise."""
    moved = PAYMENTS.next(payment.status, action, actor)
    payment.status = moved.after
    record_change(
        application, PAYMENTS.subject, action, moved.before, moved.after,
        actor=actor, actor_id=actor_id, reason=reason,
    )  # fmt: skip
    return moved
