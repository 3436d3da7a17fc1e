"""Schemes, their yearly pools and caps, the money ledger and payouts.

Every amount is whole Danish kroner in an integer column. Approving reserves money, paying
consumes it, declining, withdrawing or expiry releases it; the pool row's ``reserved_kr`` and
``paid_kr`` are kept in step with the ledger inside the same transaction.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, TimestampMixin, UTCDateTime, enum_column, pick_translation, utcnow
from portal.workflow import PaymentStatus

if TYPE_CHECKING:
    from portal.applications.models import Application


class SchemeKind(enum.StrEnum):
    LEISURE_PASS = "leisure_pass"  # noqa: S105 - not a password
    EQUIPMENT = "equipment"
    TARGETED_ACTIVITY = "targeted_activity"


class Scheme(TimestampMixin, Base):
    """A support scheme: the fritidspas, the equipment pool, or a co-funded activity."""

    __tablename__ = "scheme"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable short name used in code and URLs (``leisure-pass``).
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[SchemeKind] = mapped_column(enum_column(SchemeKind))
    #: Prefix of the application references (``FP`` → ``FP-7K3Q-92``).
    reference_prefix: Mapped[str] = mapped_column(String(4))
    is_active: Mapped[bool] = mapped_column(default=True)

    translations: Mapped[list[SchemeTranslation]] = relationship(
        back_populates="scheme", cascade="all, delete-orphan"
    )
    years: Mapped[list[SchemeYear]] = relationship(
        back_populates="scheme", order_by="SchemeYear.year"
    )

    def text(self, locale: str) -> SchemeTranslation:
        """The name, description and success criterion in ``locale`` (Danish when missing)."""
        return pick_translation(self.translations, locale)


class SchemeTranslation(Base):
    """A scheme's name, description and success criterion in one language."""

    __tablename__ = "scheme_translation"
    __table_args__ = (UniqueConstraint("scheme_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text)
    #: What the committee measures the scheme by ("20 citizens a year helped with equipment").
    success_criterion: Mapped[str] = mapped_column(Text, default="")

    scheme: Mapped[Scheme] = relationship(back_populates="translations")


class SchemeYear(Base):
    """A scheme's budget for one calendar year: the pool and the cap per person."""

    __tablename__ = "scheme_year"
    __table_args__ = (
        UniqueConstraint("scheme_id", "year"),
        CheckConstraint("reserved_kr + paid_kr <= pool_kr", name="pool_not_exceeded"),
        CheckConstraint("reserved_kr >= 0 AND paid_kr >= 0", name="amounts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme.id"), index=True)
    year: Mapped[int]
    #: The budget for the year.
    pool_kr: Mapped[int]
    #: The most one participant may receive from this scheme in the year.
    cap_per_person_kr: Mapped[int]
    #: Approved but not yet paid (sum of open reservations in the ledger).
    reserved_kr: Mapped[int] = mapped_column(default=0)
    #: Paid out (sum of payments in the ledger).
    paid_kr: Mapped[int] = mapped_column(default=0)
    #: The scheme's yearly target in people helped, for the report (20 for equipment).
    target_people: Mapped[int | None]

    scheme: Mapped[Scheme] = relationship(back_populates="years")


class LedgerKind(enum.StrEnum):
    RESERVE = "reserve"
    PAY = "pay"
    RELEASE = "release"


class LedgerEntry(Base):
    """One movement of money against a pool, for one application and participant (whose
    person it counts for is the participant's: a merge or split moves it with them).

    Reservations are positive; a payment moves an amount from reserved to paid; a release returns
    a reserved amount to the pool. The sums of these rows are the truth the pool row caches.
    """

    __tablename__ = "ledger_entry"
    __table_args__ = (CheckConstraint("amount_kr > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_year_id: Mapped[int] = mapped_column(ForeignKey("scheme_year.id"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id"), index=True)
    kind: Mapped[LedgerKind] = mapped_column(enum_column(LedgerKind))
    amount_kr: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))


class PersonYear(Base):
    """What one person has been given from one scheme in one year, against its cap (every
    application of the person counts).

    Like :class:`SchemeYear` for the pool, this row is what a reservation updates with one
    conditional ``UPDATE``; its check constraint is the last guard. The ledger rows are the truth.
    """

    __tablename__ = "person_year"
    __table_args__ = (
        UniqueConstraint("scheme_year_id", "person_id"),
        CheckConstraint("reserved_kr >= 0 AND paid_kr >= 0", name="amounts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scheme_year_id: Mapped[int] = mapped_column(ForeignKey("scheme_year.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    reserved_kr: Mapped[int] = mapped_column(default=0)
    paid_kr: Mapped[int] = mapped_column(default=0)


class PaymentMethod(enum.StrEnum):
    TO_ASSOCIATION = "to_association"
    REFUND_TO_APPLICANT = "refund_to_applicant"
    PURCHASE = "purchase"


PAYMENT_METHOD_LABELS: dict[PaymentMethod, LazyString] = {
    PaymentMethod.TO_ASSOCIATION: _l("To the association"),
    PaymentMethod.REFUND_TO_APPLICANT: _l("Refund to the family"),
    PaymentMethod.PURCHASE: _l("A purchase a guide made for the family"),
}


class Payment(TimestampMixin, Base):
    """A payout of approved money: to a club, a refund to a family, or a purchase for them."""

    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("amount_kr > 0", name="amount_positive"),
        # One open request from a club per application (a double tap asks once).
        Index(
            "uq_payment_one_request",
            "application_id",
            unique=True,
            sqlite_where=text("status = 'requested'"),
            postgresql_where=text("status = 'requested'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    status: Mapped[PaymentStatus] = mapped_column(enum_column(PaymentStatus))
    amount_kr: Mapped[int]
    payee_name: Mapped[str] = mapped_column(String(160))
    #: The association's CVR for payouts to a club.
    payee_cvr: Mapped[str | None] = mapped_column(String(8))
    #: Finance's own reference (voucher or transfer number).
    reference: Mapped[str | None] = mapped_column(String(64))
    paid_on: Mapped[date | None] = mapped_column(Date)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    application: Mapped[Application] = relationship(back_populates="payments")
