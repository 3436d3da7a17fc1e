"""A club contact's sign-in: no password to forget, a one-time link by SMS or e-mail
(``CLUB_SIGN_IN_LINK_HOURS``), and then the phone stays signed in while it is used
(``CLUB_SESSION_DAYS`` without use, in a cookie of its own, renewed on each page).

The pages are :mod:`portal.auth.contact_views`; the association's own pages use
``contact_required`` and ``signed_in_contact`` from here.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Response, current_app, g, redirect, request, url_for
from sqlalchemy import func, select, update

from portal.auth import links, services
from portal.auth.models import AccessToken, Role, TokenPurpose, User
from portal.auth.services import open_session
from portal.db import utcnow
from portal.extensions import db
from portal.forms import normalise_phone
from portal.outbox import services as outbox

#: At most this many contacts get a link per request (a shared club phone, not a list).
LINKS_PER_REQUEST = 3


# The one-time link ---------------------------------------------------------------


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
            link=outbox.public_url(
                "auth_contacts.sign_in_link", lang=user.preferred_locale, token=token
            ),
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


COOKIE = "portal_club"
F = TypeVar("F")


# Who is here (the phone's own cookie) ------------------------------------------------------------


def session_days() -> int:
    return int(current_app.config["CLUB_SESSION_DAYS"])


def signed_in_contact() -> User | None:
    """The club contact whose phone this is, if signed in (and still a contact)."""
    if "club_contact" not in g:
        found = services.current(
            request.cookies.get(COOKIE), utcnow(), idle=timedelta(days=session_days())
        )
        user = found.user if found else None
        if user is not None and (user.role is not Role.ASSOCIATION or not user.association_id):
            user = None
        g.club_contact = user
    return cast(User | None, g.club_contact)


def contact_required(view: F) -> F:
    @wraps(view)  # type: ignore[arg-type]
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if signed_in_contact() is None:
            return redirect(url_for("auth_contacts.sign_in", next=request.path), code=303)
        return view(*args, **kwargs)  # type: ignore[operator]

    return cast(F, wrapper)


def set_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=session_days() * 24 * 3600,
        httponly=True,
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        samesite="Lax",
        path="/",
    )


def keep_signed_in(response: Response) -> Response:
    """A phone in use stays signed in: each page a signed-in contact opens renews the cookie
    (the server-side session ends after ``CLUB_SESSION_DAYS`` without use, either way)."""
    token = request.cookies.get(COOKIE)
    if token and request.endpoint != "auth_contacts.sign_out" and signed_in_contact() is not None:
        set_cookie(response, token)
    return response
