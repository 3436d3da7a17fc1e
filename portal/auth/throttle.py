"""Wrong passwords and codes, counted per account and source (ASVS 2.2.1, the research note's
SEC-03 and SEC-04).

A try is *claimed* before the password or code is checked, with one conditional ``UPDATE``:
however many arrive at the same moment, at most ``MAX_TRIES`` are ever checked before the pair
waits ``LOCK_MINUTES`` (a row lock, not a read-then-write in Python, counts them). Unknown
addresses are counted exactly like known ones, so the answers never tell which is which.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.auth.models import SignInLock
from portal.extensions import db

#: Wrong passwords or codes in a row from one source before that source waits.
MAX_TRIES = 5
LOCK_MINUTES = 15


def account_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _pair(account: str, source: str) -> Any:
    return and_(SignInLock.account_hash == account, SignInLock.source == source[:64])


def _rowcount(result: Any) -> int:
    return cast(CursorResult[Any], result).rowcount


def claim(account: str, source: str, now: datetime) -> bool:
    """One more try for this account from this source; False while the pair waits (or when
    the tries of this round are used up by requests still being checked). Committed at once,
    so a slow password check holds no lock."""
    values = {"account_hash": account, "source": source[:64], "tries": 0}
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(SignInLock)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["account_hash", "source"])
    )
    claimed = db.session.execute(
        update(SignInLock)
        .where(
            _pair(account, source),
            SignInLock.tries < MAX_TRIES,
            or_(SignInLock.locked_until.is_(None), SignInLock.locked_until <= now),
        )
        .values(tries=SignInLock.tries + 1, locked_until=None)
    )
    db.session.commit()
    return _rowcount(claimed) == 1


def failed(account: str, source: str, now: datetime) -> bool:
    """The claimed try was wrong; True when it was the last one, and the pair now waits."""
    locked = db.session.execute(
        update(SignInLock)
        .where(_pair(account, source), SignInLock.tries >= MAX_TRIES)
        .values(tries=0, locked_until=now + timedelta(minutes=LOCK_MINUTES))
    )
    db.session.commit()
    return _rowcount(locked) == 1


def succeeded(account: str, source: str) -> None:
    """Right: the count starts again (the caller commits)."""
    db.session.execute(update(SignInLock).where(_pair(account, source)).values(tries=0))


def minutes_left(account: str, source: str, now: datetime) -> int:
    """Whole minutes until the pair may try again (at least 1)."""
    until = db.session.execute(
        select(SignInLock.locked_until).where(_pair(account, source))
    ).scalar_one_or_none()
    if until is None:  # the last tries of the round are being checked right now
        return LOCK_MINUTES
    if until <= now:
        return 1
    # (Capped: a request that started a moment before another set the wait reads 15, not 16.)
    return min(LOCK_MINUTES, max(1, int(-(-(until - now).total_seconds() // 60))))
