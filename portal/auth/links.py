"""One-time and time-limited links (resume an application, a family's consent, a staff
invitation, a club contact's sign-in). Only the SHA-256 of a link's token is stored; the token
itself goes in the message and nowhere else."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select

from portal.auth.models import AccessToken, TokenPurpose
from portal.db import utcnow
from portal.extensions import db


def token_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def issue(
    purpose: TokenPurpose,
    *,
    expires_at: datetime,
    user_id: int | None = None,
    application_id: int | None = None,
    code: str | None = None,
    now: datetime | None = None,
) -> str:
    """A new link's token (added to the session, not committed). ``code``: a short code a
    person can type instead of following the link, stored hashed too."""
    token = secrets.token_urlsafe(24)
    db.session.add(
        AccessToken(
            token_hash=token_hash(token),
            code_hash=token_hash(code) if code else None,
            purpose=purpose,
            user_id=user_id,
            application_id=application_id,
            created_at=now or utcnow(),
            expires_at=expires_at,
        )
    )
    return token


def find(token: str, purpose: TokenPurpose) -> AccessToken | None:
    """The link behind a token, used or not, expired or not (the caller says which matters)."""
    return db.session.execute(
        select(AccessToken).where(
            AccessToken.token_hash == token_hash(token), AccessToken.purpose == purpose
        )
    ).scalar_one_or_none()
