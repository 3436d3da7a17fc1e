"""Associations and their contacts; the signed link in a "new member" message; telling the
contacts when a guide approves a place. (A contact's sign-in is :mod:`portal.auth.contacts`.)"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select, update

from portal.audit import services as audit
from portal.audit.models import AuditAction
from portal.auth.models import Role, User
from portal.catalogue.models import Association
from portal.db import utcnow
from portal.enrolments.models import Enrolment
from portal.extensions import db
from portal.outbox import services as outbox

# Associations and contacts ----------------------------------------------------------------------


def add_association(
    *,
    name: str,
    cvr: str,
    address: str,
    postcode: str,
    city: str,
    email: str | None,
    phone: str | None,
    by: int,
) -> Association:
    association = Association(
        name=name, cvr=cvr, address=address, postcode=postcode, city=city, email=email, phone=phone
    )
    db.session.add(association)
    db.session.flush()
    audit.note(by, AuditAction.CHANGE, "associations", subject=("association", association.id))
    db.session.commit()
    return association


def cvr_taken(cvr: str) -> bool:
    return (
        db.session.execute(select(Association.id).where(Association.cvr == cvr)).first() is not None
    )


def add_contact(
    association: Association,
    *,
    name: str,
    email: str,
    phone: str | None,
    locale: str,
    by: int,
) -> User:
    """A club contact: no password, no second factor; signs in with a one-time link."""
    user = User(
        name=name,
        email=email.strip().lower(),
        phone=phone,
        role=Role.ASSOCIATION,
        association_id=association.id,
        preferred_locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    audit.note(
        by, AuditAction.CHANGE, "association contacts", subject=("user", user.id),
        details=association.name,
    )  # fmt: skip
    db.session.commit()
    return user


def email_taken(email: str) -> bool:
    found = select(User.id).where(func.lower(User.email) == email.strip().lower())
    return db.session.execute(found).first() is not None


def switch_off(user: User, *, by: int) -> None:
    """A contact who left the club: no more links work, and the phone is signed out."""
    from portal.auth.models import StaffSession

    user.is_active = False
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    audit.note(by, AuditAction.CHANGE, "association contacts", subject=("user", user.id),
               details="switched off")  # fmt: skip
    db.session.commit()


# The signed link in a "new member" message ------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    # Signed with the secret key; links signed with an earlier one still open while a
    # rotation settles (itsdangerous signs with the last key and accepts any).
    config = current_app.config
    keys = [*config["SECRET_KEY_FALLBACKS"], config["SECRET_KEY"]]
    return URLSafeTimedSerializer(keys, salt="club-enrolment")


def enrolment_link_token(enrolment: Enrolment, user: User) -> str:
    return _serializer().dumps({"e": enrolment.id, "u": user.id})


@dataclass(frozen=True)
class LinkHolder:
    user: User


def check_enrolment_link(enrolment: Enrolment, signed: str | None) -> LinkHolder | None:
    """The contact a message link was made for, if the link is genuine, for this enrolment, not
    too old, and the contact still belongs to the enrolment's club."""
    if not signed:
        return None
    days = int(current_app.config["ENROLMENT_LINK_DAYS"])
    try:
        data = _serializer().loads(signed, max_age=days * 24 * 3600)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("e") != enrolment.id:
        return None
    user = db.session.get(User, data.get("u"))
    if user is None or not user.is_active or user.role is not Role.ASSOCIATION:
        return None
    if user.association_id != enrolment.activity.association_id:
        return None
    return LinkHolder(user)


def tell_the_club(enrolment: Enrolment, message: str = "enrolment_new") -> int:
    """A message with a link straight to the enrolment, to each active contact of its club, in
    the contact's language. Not committed here (it goes with the approval)."""
    contacts = db.session.execute(
        select(User).where(
            User.association_id == enrolment.activity.association_id,
            User.role == Role.ASSOCIATION,
            User.is_active.is_(True),
        )
    ).scalars()
    sent = 0
    for user in contacts:
        link = outbox.public_url(
            "associations.enrolment",
            lang=user.preferred_locale,
            enrolment_id=enrolment.id,
            t=enrolment_link_token(enrolment, user),
        )
        outbox.queue(
            message,
            locale=user.preferred_locale,
            email=user.email,
            phone=user.phone,
            enrolment=enrolment,
            link=link,
        )
        sent += 1
    return sent
