"""Households, the people in them, their applications and everything attached to one.

Only what a decision needs is kept: names, birth date, a contact, postcode and the answers.
A CPR number, if given, only as a keyed hash (:mod:`portal.people.cpr`).
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
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, TimestampMixin, UTCDateTime, enum_column, new_token, utcnow
from portal.workflow import ApplicationKind, ApplicationStatus

if TYPE_CHECKING:
    from portal.catalogue.models import Activity
    from portal.enrolments.models import Enrolment
    from portal.people.models import Person
    from portal.schemes.models import Payment, Scheme
    from portal.workflow import StatusChange


class Household(TimestampMixin, Base):
    """The family: applications for several children share it."""

    __tablename__ = "household"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unguessable id for links; never the integer key.
    token: Mapped[str] = mapped_column(String(32), unique=True, default=new_token)
    postcode: Mapped[str | None] = mapped_column(String(4))

    applicants: Mapped[list[Applicant]] = relationship(back_populates="household")
    participants: Mapped[list[Participant]] = relationship(back_populates="household")


class Applicant(TimestampMixin, Base):
    """The person filling in the application (a parent, or the participant themselves)."""

    __tablename__ = "applicant"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    #: The parent as a person across applications (the same phone or e-mail), from submission.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    #: Not asked in the citizen's flow (a decision does not need it); staff may fill it in.
    first_name: Mapped[str | None] = mapped_column(String(80))
    last_name: Mapped[str | None] = mapped_column(String(80))
    #: E.164 (``+4512345678``), normalised from whatever digits were typed.
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    #: The language messages are written in.
    preferred_locale: Mapped[str] = mapped_column(String(16))

    household: Mapped[Household] = relationship(back_populates="applicants")
    person: Mapped[Person | None] = relationship()


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


GENDER_LABELS: dict[Gender, LazyString] = {
    Gender.FEMALE: _l("Girl or woman"),
    Gender.MALE: _l("Boy or man"),
    Gender.OTHER: _l("Other, or I would rather not say"),
}


class Participant(TimestampMixin, Base):
    """The child or adult who will take part, as written on one application.

    The human behind it, across applications and years, is the :class:`Person` (linked on
    submission; ``None`` for a draft).
    """

    __tablename__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    #: As the family wrote them, in any script; never corrected.
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    #: The Latin spelling "as on the health card", asked when the name is in another script.
    latin_first_name: Mapped[str | None] = mapped_column(String(80))
    latin_last_name: Mapped[str | None] = mapped_column(String(80))
    #: None only while the draft has not reached the date-of-birth question.
    birth_on: Mapped[date | None] = mapped_column(Date, index=True)
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender))
    #: The CPR number's keyed hash (to match, never to read) and its first six digits (to show
    #: it masked); both empty when none was given.
    cpr_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    cpr_birth: Mapped[str | None] = mapped_column(String(6))

    household: Mapped[Household] = relationship(back_populates="participants")
    person: Mapped[Person | None] = relationship(back_populates="participants")

    @property
    def name(self) -> str:
        """The name as written."""
        return f"{self.first_name} {self.last_name}"

    @property
    def latin_name(self) -> str:
        """The name in Latin letters (as written, when it already is)."""
        if self.latin_first_name or self.latin_last_name:
            return f"{self.latin_first_name or ''} {self.latin_last_name or ''}".strip()
        return self.name

    @property
    def both_names(self) -> str:
        """For clubs, finance and Danish staff: ``Layla Ahmed · ليلى أحمد`` (one if the same)."""
        latin = self.latin_name
        return latin if latin == self.name else f"{latin} · {self.name}"


class Relation(enum.StrEnum):
    """Who the applicant is to the participant."""

    SELF = "self"
    PARENT = "parent"
    GUARDIAN = "guardian"
    OTHER = "other"


RELATION_LABELS: dict[Relation, LazyString] = {
    Relation.PARENT: _l("Mother or father"),
    Relation.GUARDIAN: _l("Guardian or foster parent"),
    Relation.SELF: _l("I am applying for myself"),
    Relation.OTHER: _l("Someone else who helps the family"),
}


class Application(TimestampMixin, Base):
    """One request for support for one participant."""

    __tablename__ = "application"
    __table_args__ = (
        CheckConstraint(
            "amount_approved_kr IS NULL OR amount_approved_kr >= 0", name="approved_not_negative"
        ),
        # The guides' queue: what waits in a status, oldest first (bench/queue_latency.py).
        Index("ix_application_status_submitted_at", "status", "submitted_at", "id"),
        # "Approved, not paid after 30 days" counted from the index alone (the amount is in it:
        # a free place is never paid), not from the rows.
        Index(
            "ix_application_status_decided_at_amount", "status", "decided_at", "amount_approved_kr"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Unguessable id for the family's links.
    token: Mapped[str] = mapped_column(String(32), unique=True, default=new_token)
    #: Short reference for phone calls (``FP-7K3Q-92``); given on submission.
    reference: Mapped[str | None] = mapped_column(String(16), unique=True)
    #: Sent by the browser with the final submit; a second submit with it finds this row.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    kind: Mapped[ApplicationKind] = mapped_column(enum_column(ApplicationKind))
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column(ApplicationStatus), default=ApplicationStatus.DRAFT, index=True
    )
    scheme_id: Mapped[int | None] = mapped_column(ForeignKey("scheme.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activity.id"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"), index=True)
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("applicant.id"), index=True)
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    relation: Mapped[Relation | None] = mapped_column(enum_column(Relation))
    #: A club not (yet) in the catalogue: its name, the activity and the yearly fee.
    other_club_name: Mapped[str | None] = mapped_column(String(160))
    other_activity_name: Mapped[str | None] = mapped_column(String(160))
    other_fee_kr: Mapped[int | None]
    #: For equipment: already paid (refund) or needs help to buy.
    already_paid: Mapped[bool | None]
    amount_requested_kr: Mapped[int | None]
    amount_approved_kr: Mapped[int | None]
    #: The family asked anyway although the participant's age or gender does not fit the
    #: activity; the guide decides.
    age_exception: Mapped[bool] = mapped_column(default=False)
    gender_exception: Mapped[bool] = mapped_column(default=False)
    #: The activity was full and the family accepted a place on its waiting list.
    waiting_list_ok: Mapped[bool] = mapped_column(default=False)
    #: The family agreed that the club may call its phone number about the start.
    share_contact_with_club: Mapped[bool] = mapped_column(default=False, server_default="0")
    #: "Anything the guide should know", in the family's own words.
    message_to_guide: Mapped[str | None] = mapped_column(Text)
    #: The guide's question when more information is needed.
    question_from_guide: Mapped[str | None] = mapped_column(Text)
    #: The last question step the family completed (for resuming a draft).
    current_step: Mapped[str | None] = mapped_column(String(40))
    #: Questions answered before the family saw any (the activity chosen in the catalogue, the
    #: family's details for another child), comma-separated: not numbered ("Question 1 of 7").
    answered_at_start: Mapped[str | None] = mapped_column(String(200))
    #: Filled in by a guide with the family present (needs the family's consent).
    made_by_guide_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    #: Made with a guide: when the consent link was sent to the family, and when and in which
    #: language the family said yes (only then does the application reach the queue).
    consent_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_locale: Mapped[str | None] = mapped_column(String(16))
    assigned_guide_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    decision_reason_id: Mapped[int | None] = mapped_column(ForeignKey("reason_template.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Raised on every change; two guides deciding at once cannot both win.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    scheme: Mapped[Scheme | None] = relationship()
    decision_reason: Mapped[ReasonTemplate | None] = relationship()
    activity: Mapped[Activity | None] = relationship()
    household: Mapped[Household] = relationship()
    applicant: Mapped[Applicant | None] = relationship()
    participant: Mapped[Participant | None] = relationship()
    items: Mapped[list[EquipmentItem]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    uploads: Mapped[list[Upload]] = relationship(
        back_populates="application", cascade="all, delete-orphan"
    )
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="application", order_by="StatusChange.id"
    )
    notes: Mapped[list[InternalNote]] = relationship(back_populates="application")
    payments: Mapped[list[Payment]] = relationship(back_populates="application")
    enrolment: Mapped[Enrolment | None] = relationship(back_populates="application")


class EquipmentItem(Base):
    """A thing to buy (boots, a bat, a headset) and its price."""

    __tablename__ = "equipment_item"
    __table_args__ = (CheckConstraint("price_kr > 0", name="price_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(String(160))
    price_kr: Mapped[int]

    application: Mapped[Application] = relationship(back_populates="items")


class Upload(Base):
    """A photo of a receipt or a quote, or a PDF. The bytes are in :class:`UploadData`, in the
    database: every app server reads them, and one backup holds everything."""

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True, default=new_token)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    #: A random name (before migration 0011: the file's name under the uploads folder).
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    #: The type found by sniffing the content, never the one the browser claimed.
    content_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    original_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="uploads")
    #: Loaded only when the file itself is sent (a list of uploads reads no bytes).
    content: Mapped[UploadData] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="select"
    )


class UploadData(Base):
    """An upload's bytes (at most 10 MB, cleaned) and, for a photo, its small preview."""

    __tablename__ = "upload_data"

    upload_id: Mapped[int] = mapped_column(
        ForeignKey("upload.id", ondelete="CASCADE"), primary_key=True
    )
    data: Mapped[bytes] = mapped_column(LargeBinary)
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary)


class InternalNote(Base):
    """A guide's note on a case. Never shown to the family."""

    __tablename__ = "internal_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    application: Mapped[Application] = relationship(back_populates="notes")


class ReasonKind(enum.StrEnum):
    DECLINE_APPLICATION = "decline_application"
    DECLINE_ENROLMENT = "decline_enrolment"


class ReasonTemplate(Base):
    """A decision reason staff pick from; it exists in every language."""

    __tablename__ = "reason_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[ReasonKind] = mapped_column(enum_column(ReasonKind))
    is_active: Mapped[bool] = mapped_column(default=True)

    translations: Mapped[list[ReasonTemplateTranslation]] = relationship(
        back_populates="template", cascade="all, delete-orphan"
    )

    def text(self, locale: str) -> str:
        """The reason in ``locale`` (every template has every language; Danish if not)."""
        from portal.db import pick_translation

        return pick_translation(self.translations, locale).text


class ReasonTemplateTranslation(Base):
    __tablename__ = "reason_template_translation"
    __table_args__ = (UniqueConstraint("template_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("reason_template.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)

    template: Mapped[ReasonTemplate] = relationship(back_populates="translations")
