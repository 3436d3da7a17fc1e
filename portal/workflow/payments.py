"""A payment's life: a club asks for the membership fee (requested), a guide records the payout
(paid) — or the request is cancelled because the money went back to the pool. A payout with no
request before it (a refund to a family, a purchase) is made paid at once."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp

from portal.workflow.core import STAFF, Actor, Lifecycle, Status


class PaymentStatus(Status):
    #: An association has asked for the membership fee of a confirmed member.
    REQUESTED = "requested", _l("The club asked the municipality for the fee")
    PAID = "paid", _lp("payment status", "Payout recorded")
    #: The request will not be paid: the child stopped, or the approval expired.
    CANCELLED = "cancelled", _lp("payment status", "The club's request was cancelled")


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
    "payment",
    PaymentStatus,
    PaymentAction,
    PAYMENT_TRANSITIONS,
    lambda payment: payment.application,
)

#: Move a payment (recorded in its application's history; a new one has no status yet).
move_payment = PAYMENTS.move
