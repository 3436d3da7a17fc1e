"""Staff and association users, their server-side sessions and one-time links."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, TimestampMixin, UTCDateTime, enum_column, utcnow

if TYPE_CHECKING:
    from portal.catalogue.models import Association


class Role(enum.StrEnum):
    GUIDE = "guide"
    ADMIN = "admin"
    ASSOCIATION = "association"


class User(TimestampMixin, Base):
    """A guide, an administrator or an association's contact person. Citizens have no account."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str | None] = mapped_column(String(32))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    #: Set for association contacts only: the one association whose data they may see.
    association_id: Mapped[int | None] = mapped_column(ForeignKey("association.id"), index=True)
    preferred_locale: Mapped[str] = mapped_column(String(16), default="da")
    #: argon2 hash; None until an invited user has chosen a password.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: Base32 TOTP secret; None until the second factor is set up.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: No longer used (wrong tries are counted per account and source in ``SignInLock``); kept
    #: for one release so a rollback finds them, dropped by a later migration (DATA-21).
    failed_sign_ins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last TOTP time step used: a code works once, even within its 30 seconds.
    totp_last_step: Mapped[int | None]

    association: Mapped[Association | None] = relationship(back_populates="contacts")


class SignInLock(Base):
    """Wrong passwords and codes for one account from one source (ASVS 2.2.1): five in a row
    and that pair waits. A stranger elsewhere cannot lock a guide out at her own desk, and an
    address that has no account is counted just like one that has."""

    __tablename__ = "sign_in_lock"
    __table_args__ = (UniqueConstraint("account_hash", "source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the lower-cased e-mail address as typed (known or not): never the address.
    account_hash: Mapped[str] = mapped_column(String(64))
    #: The client's network address (behind a proxy: the one the proxy saw).
    source: Mapped[str] = mapped_column(String(64))
    #: Tries counted so far in this round (claimed before the check, so never more than five).
    tries: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(Base):
    """A one-time code for a lost phone (ten are shown once, when the second factor is set up)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the code; the code itself was shown once and is not kept.
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StaffSession(Base):
    """A signed-in session kept on the server, so it can expire and be revoked there."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the session token; the token itself is only in the user's cookie.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TokenPurpose(enum.StrEnum):
    RESUME_APPLICATION = "resume_application"
    STAFF_INVITE = "staff_invite"
    ASSOCIATION_SIGN_IN = "association_sign_in"
    FAMILY_CONSENT = "family_consent"


class AccessToken(Base):
    """A one-time or time-limited link (resume an application, accept an invite, sign in)."""

    __tablename__ = "access_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: SHA-256 of the token sent in the link; the link itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: A short code a person can type instead of following the link (hashed too).
    code_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column(TokenPurpose))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
