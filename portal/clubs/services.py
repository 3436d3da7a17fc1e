"""Associations and their contacts; signing in with a one-time link; the signed link in a
"new member" message; telling the contacts when a guide approves a place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import func, select, update

from portal.audit import services as audit
from portal.audit.models import AuditAction
from portal.auth import links
from portal.auth.models import AccessToken, Role, TokenPurpose, User
from portal.auth.services import open_session
from portal.catalogue.models import Association
from portal.db import utcnow
from portal.enrolments.models import Enrolment
from portal.extensions import db
from portal.forms import normalise_phone
from portal.outbox import services as outbox

#: At most this many contacts get a link per request (a shared club phone, not a list).
LINKS_PER_REQUEST = 3


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


# Signing in with a one-time link ---------------------------------------------------------------


def _contacts_by(contact: str) -> list[User]:
    text = contact.strip()
    if "@" in text:
        condition = func.lower(User.email) == text.lower()
    else:
        phone = normalise_phone(text)
        if phone is None:
            return []
        condition = User.phone == phone
    return list(
        db.session.execute(
            select(User)
            .where(condition, User.role == Role.ASSOCIATION, User.is_active.is_(True))
            .order_by(User.id)
            .limit(LINKS_PER_REQUEST)
        ).scalars()
    )


def send_sign_in_links(contact: str, now: datetime) -> int:
    """A one-time link to each club contact with this phone number or e-mail, by the channel
    asked with. Returns how many were sent (the page never says: it must not reveal who is a
    contact)."""
    users = _contacts_by(contact)
    hours = int(current_app.config["CLUB_SIGN_IN_LINK_HOURS"])
    by_phone = "@" not in contact
    for user in users:
        token = links.issue(
            TokenPurpose.ASSOCIATION_SIGN_IN,
            user_id=user.id,
            now=now,
            expires_at=now + timedelta(hours=hours),
        )
        outbox.queue(
            "club_sign_in",
            locale=user.preferred_locale,
            email=None if by_phone else user.email,
            phone=user.phone if by_phone else None,
            link=outbox.public_url("clubs.sign_in_link", lang=user.preferred_locale, token=token),
            hours=hours,
        )
    db.session.commit()
    return len(users)


class LinkProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


def sign_in_link(token: str, now: datetime) -> AccessToken | LinkProblem:
    access = links.find(token, TokenPurpose.ASSOCIATION_SIGN_IN)
    if access is None or access.user_id is None:
        return LinkProblem.UNKNOWN
    user = db.session.get(User, access.user_id)
    if user is None or not user.is_active:
        return LinkProblem.UNKNOWN
    if access.used_at is not None:
        return LinkProblem.USED
    if access.expires_at <= now:
        return LinkProblem.EXPIRED
    return access


def use_sign_in_link(token: str, now: datetime) -> str | LinkProblem:
    """Spend the link (once, even for two taps at the same moment) and open a session; the
    session token for the cookie."""
    found = sign_in_link(token, now)
    if isinstance(found, LinkProblem):
        return found
    spent = db.session.execute(
        update(AccessToken)
        .where(AccessToken.id == found.id, AccessToken.used_at.is_(None))
        .values(used_at=now)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        return LinkProblem.USED
    user = db.session.get(User, found.user_id)
    if user is None:
        return LinkProblem.UNKNOWN
    return open_session(user, now)


# The signed link in a "new member" message ------------------------------------------------------


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="club-enrolment")


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
            "clubs.enrolment",
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
