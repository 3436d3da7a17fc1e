"""Staff sign-in: a password (argon2), then a second factor (TOTP, or a one-time recovery code).

Wrong tries are counted per account; at the limit the account waits a while and the page says
how long (a gentle lock-out that cannot be used to lock someone out for good). A signed-in
session lives on the server (``StaffSession``): it ends after a time without activity, and
signing out revokes it there.
"""

from __future__ import annotations

import contextlib
import enum
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import delete, func, select, update

from portal.audit import services as audit
from portal.audit.models import AuditAction
from portal.auth import links, throttle
from portal.auth.models import (
    AccessToken,
    RecoveryCode,
    Role,
    StaffSession,
    TokenPurpose,
    User,
)
from portal.db import write_in_read_request
from portal.extensions import db

hasher = PasswordHasher()
#: Verified when the e-mail is unknown, so a wrong address takes as long as a wrong password.
_NOBODY = hasher.hash(secrets.token_urlsafe(16))

RECOVERY_CODES = 10
RECOVERY_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#: Touch the session's "last seen" at most this often (a write per click is not needed).
TOUCH_EVERY = timedelta(seconds=60)
ISSUER = "Fritidsportalen"


def idle_limit() -> timedelta:
    return timedelta(minutes=int(current_app.config["STAFF_IDLE_MINUTES"]))


class Problem(enum.StrEnum):
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class Refusal:
    problem: Problem
    #: For a locked account: whole minutes to wait (at least 1).
    wait_minutes: int = 0


def _waiting(account: str, source: str, now: datetime) -> Refusal:
    return Refusal(Problem.LOCKED, throttle.minutes_left(account, source, now))


def _failed(account: str, source: str, now: datetime) -> Refusal:
    """Count a wrong try; the one that reaches the limit starts the wait."""
    if throttle.failed(account, source, now):
        return Refusal(Problem.LOCKED, throttle.LOCK_MINUTES)
    return Refusal(Problem.WRONG)


def find_user(email: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.email) == email.strip().lower())
    ).scalar_one_or_none()


def check_password(email: str, password: str, now: datetime, source: str) -> User | Refusal:
    """The first step: the staff member whose password this is, or why not. Every answer costs
    one password check and reads the same for an address with no account (SEC-04): a stranger
    learns nothing, and can only make their own address wait."""
    account = throttle.account_key(email)
    if not throttle.claim(account, source, now):
        _spend_a_check(password)
        return _waiting(account, source, now)
    user = find_user(email)
    if user is None or not user.is_active or user.password_hash is None:
        _spend_a_check(password)
        return _failed(account, source, now)
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return _failed(account, source, now)
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    throttle.succeeded(account, source)
    db.session.commit()
    return user


def _spend_a_check(password: str) -> None:
    """As long as checking a real password (so the time tells nothing either)."""
    with contextlib.suppress(VerificationError):
        hasher.verify(_NOBODY, password)


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _totp_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step the 6-digit code belongs to (this one, or one either side for a slow
    phone clock), or None."""
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now)
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def check_second_factor(user: User, code: str, now: datetime, source: str) -> Refusal | None:
    """A TOTP code (each works once) or an unused recovery code; None when it is right. At most
    ``MAX_TRIES`` codes are ever checked in a row, however many arrive at once."""
    account = throttle.account_key(user.email)
    if not throttle.claim(account, source, now):
        return _waiting(account, source, now)
    if _right_code(user, code, now):
        throttle.succeeded(account, source)
        return None
    return _failed(account, source, now)


def _right_code(user: User, code: str, now: datetime) -> bool:
    typed = normalise_code(code)
    if user.totp_secret and len(typed) == 6 and typed.isdigit():
        step = _totp_step(user.totp_secret, typed, now)
        if step is not None and (user.totp_last_step is None or step > user.totp_last_step):
            user.totp_last_step = step
            return True
    elif len(typed) == 8:
        found = db.session.execute(
            select(RecoveryCode).where(
                RecoveryCode.user_id == user.id,
                RecoveryCode.code_hash == links.token_hash(typed),
                RecoveryCode.used_at.is_(None),
            )
        ).scalar_one_or_none()
        if found is not None:
            found.used_at = now
            return True
    return False


def new_totp_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def confirm_totp(
    user: User, secret: str, code: str, now: datetime, source: str
) -> list[str] | Refusal:
    """Finish setting up the second factor: the code from the app proves it was scanned.
    Returns the recovery codes (shown once; only their hashes are kept)."""
    account = throttle.account_key(user.email)
    if not throttle.claim(account, source, now):
        return _waiting(account, source, now)
    step = _totp_step(secret, normalise_code(code), now)
    if step is None:
        return _failed(account, source, now)
    throttle.succeeded(account, source)
    user.totp_secret = secret
    user.totp_last_step = step
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(8)) for _ in range(RECOVERY_CODES)
    ]
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=links.token_hash(c)) for c in codes)
    return [f"{c[:4]}-{c[4:]}" for c in codes]


def open_session(user: User, now: datetime) -> str:
    """Signed in: a new server-side session; the token goes in the cookie only."""
    token = secrets.token_urlsafe(32)
    user.last_login_at = now
    db.session.add(
        StaffSession(
            token_hash=links.token_hash(token), user_id=user.id, created_at=now, last_seen_at=now
        )
    )
    db.session.commit()
    return token


@dataclass(frozen=True)
class Current:
    user: User
    session: StaffSession

    def expires_at(self) -> datetime:
        return self.session.last_seen_at + idle_limit()


def current(
    token: str | None, now: datetime, *, active: bool = True, idle: timedelta | None = None
) -> Current | None:
    """The signed-in staff member (or club contact) for a session token, or None (unknown,
    revoked, idle longer than ``idle`` (default: the staff limit), or the account switched
    off). ``active`` counts this request as activity."""
    if not token:
        return None
    found = db.session.execute(
        select(StaffSession).where(StaffSession.token_hash == links.token_hash(token))
    ).scalar_one_or_none()
    if found is None or found.revoked_at is not None:
        return None
    if now - found.last_seen_at > (idle or idle_limit()):
        return None
    user = db.session.get(User, found.user_id)
    if user is None or not user.is_active:
        return None
    if active and now - found.last_seen_at >= TOUCH_EVERY:
        touch(found, now)
    return Current(user, found)


def touch(staff_session: StaffSession, now: datetime) -> None:
    """Count ``now`` as activity, in a short write transaction of its own (on a GET too: see
    :func:`portal.db.write_in_read_request`)."""
    with write_in_read_request(db.session):
        db.session.execute(
            update(StaffSession).where(StaffSession.id == staff_session.id).values(last_seen_at=now)
        )


def close_session(token: str | None, now: datetime) -> None:
    if not token:
        return
    found = db.session.execute(
        select(StaffSession).where(StaffSession.token_hash == links.token_hash(token))
    ).scalar_one_or_none()
    if found is not None and found.revoked_at is None:
        found.revoked_at = now
        db.session.commit()


#: An invitation link works for this long, once.
INVITE_DAYS = 7
#: The shortest password (ASVS 2.1.1); the form's message says the number in every language.
MIN_PASSWORD = 12


def invite(name: str, email: str, role: Role, *, locale: str, by: int, now: datetime) -> User:
    """A new guide or administrator, and a one-time link to choose a password (by e-mail)."""
    from portal.outbox import services as outbox

    user = User(email=email.strip().lower(), name=name, role=role, preferred_locale=locale)
    db.session.add(user)
    db.session.flush()
    token = links.issue(
        TokenPurpose.STAFF_INVITE,
        user_id=user.id,
        now=now,
        expires_at=now + timedelta(days=INVITE_DAYS),
    )
    link = outbox.public_url("auth.accept_invite", lang=locale, token=token)
    outbox.queue("staff_invite", locale=locale, email=user.email, link=link, person=name)
    audit.note(
        by, AuditAction.CHANGE, "staff invitation",
        subject=("user", user.id), details=f"{role.value} {user.email}",
    )  # fmt: skip
    db.session.commit()
    return user


def open_invite(token: str, now: datetime) -> AccessToken | None:
    """The invitation behind a link, if it is unused and not expired."""
    found = links.find(token, TokenPurpose.STAFF_INVITE)
    if found is None or found.used_at is not None or found.expires_at <= now:
        return None
    return found


def accept_invite(invitation: AccessToken, password: str, now: datetime) -> User:
    user = db.session.get(User, invitation.user_id)
    if user is None:
        raise LookupError("the invited user is gone")
    user.password_hash = hasher.hash(password)
    invitation.used_at = now
    db.session.commit()
    return user
