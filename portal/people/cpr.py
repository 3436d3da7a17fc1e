"""The CPR number (the Danish personal number): optional, checked for form, never kept readable.

What is stored is an HMAC-SHA256 of the ten digits under a secret key from the configuration
(``PORTAL_CPR_KEY``), so two applications with the same number can be matched, and the first
six digits (the birth date, which the application holds anyway) to show it masked:
``140315-XXXX``. Without the key, the hash cannot be turned back into the number.

There is no encrypted copy (payouts do not use the child's number). Rotating the key: set the
new key as ``PORTAL_CPR_KEY`` and the old one as ``PORTAL_CPR_OLD_KEY`` and run ``flask people
rehash-cpr``: with the old key, each number is found again among the 10,000 that share its
birth date, and hashed under the new key. Afterwards remove the old key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date

from flask import current_app

_SHAPE = re.compile(r"([0-9]{6})[-\s]?([0-9]{4})")


@dataclass(frozen=True)
class Cpr:
    """A checked CPR number; ``str()`` gives the masked form, never the digits."""

    _digits: str

    @property
    def birth_part(self) -> str:
        return self._digits[:6]

    def __str__(self) -> str:
        return masked(self.birth_part)

    __repr__ = __str__

    def hashed(self, secret: str | None = None) -> str:
        return digest(self._digits, secret)


def parse(text: str) -> Cpr | None:
    """``Cpr`` for ten digits (a hyphen or space after six is fine) whose first six are a real
    day (DDMMYY); ``None`` otherwise."""
    found = _SHAPE.fullmatch(text.strip())
    if found is None:
        return None
    digits = found.group(1) + found.group(2)
    if birth_day(digits[:6], century=1900) is None and birth_day(digits[:6], 2000) is None:
        return None
    return Cpr(digits)


def birth_day(birth_part: str, century: int) -> date | None:
    day, month, year = int(birth_part[:2]), int(birth_part[2:4]), int(birth_part[4:6])
    try:
        return date(century + year, month, day)
    except ValueError:
        return None


def fits(cpr: Cpr, born: date) -> bool:
    """Do the first six digits say the same birth date as the application?"""
    return cpr.birth_part == born.strftime("%d%m%y")


def masked(birth_part: str) -> str:
    return f"{birth_part}-XXXX"


def digest(digits: str, secret: str | None = None) -> str:
    key = (secret or current_app.config["CPR_KEY"]).encode()
    return hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()


def rehash_all(old_secret: str) -> tuple[int, int]:
    """Every participant's CPR hash made again under the current key, in one transaction;
    (how many moved, how many were not found under ``old_secret`` and were left alone)."""
    from sqlalchemy import select

    from portal.applications.models import Participant
    from portal.extensions import db

    moved = lost = 0
    rows = db.session.execute(select(Participant).where(Participant.cpr_hash.is_not(None)))
    for participant in rows.scalars():
        if participant.cpr_hash is None or participant.cpr_birth is None:
            continue
        digits = recover(participant.cpr_hash, participant.cpr_birth, old_secret)
        if digits is None:
            # Already under the new key (a second run) is fine; else it is lost to matching.
            new_key = current_app.config["CPR_KEY"]
            lost += recover(participant.cpr_hash, participant.cpr_birth, new_key) is None
            continue
        participant.cpr_hash = digest(digits)
        moved += 1
    db.session.commit()
    return moved, lost


def recover(hashed: str, birth_part: str, secret: str) -> str | None:
    """The ten digits under an old key (for re-keying): one of the 10,000 after the birth date."""
    for tail in range(10_000):
        digits = f"{birth_part}{tail:04d}"
        if hmac.compare_digest(digest(digits, secret), hashed):
            return digits
    return None
