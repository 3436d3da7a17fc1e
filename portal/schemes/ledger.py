"""Money: reserve on approval, pay, release — never past a pool or a person's cap.

Every movement is a :class:`LedgerEntry` row (the truth). ``SchemeYear`` and ``PersonYear``
keep running totals that a reservation raises with one conditional ``UPDATE … WHERE total + x
<= limit``: the database checks and writes in one step, so two guides approving at the same
moment cannot both take the last 500 kr (QUALITY.md: reading the remainder and checking it in
Python overspends). The caller commits, in the same transaction as the decision; on a refusal
nothing has been written.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, case, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.applications.models import Application
from portal.extensions import db
from portal.schemes.models import LedgerEntry, LedgerKind, PersonYear, SchemeYear


class Limit(enum.StrEnum):
    """Which limit stopped a reservation."""

    POOL = "pool"
    PERSON = "person"
    NO_POOL = "no_pool"  # no budget set up for the scheme this year
    #: More than the family asked for (the fee, or the equipment's sum): never approved.
    ASKED = "asked"


@dataclass(frozen=True)
class Refused:
    limit: Limit
    #: What is left under that limit (kr), so the page can say it.
    remaining_kr: int


@dataclass(frozen=True)
class Room:
    """What an approval of this application could still take, and which limit bites."""

    pool_remaining_kr: int
    person_remaining_kr: int

    @property
    def most_kr(self) -> int:
        return min(self.pool_remaining_kr, self.person_remaining_kr)

    @property
    def binding(self) -> Limit:
        return Limit.POOL if self.pool_remaining_kr <= self.person_remaining_kr else Limit.PERSON


def scheme_year_for(application: Application) -> SchemeYear | None:
    """The budget year an application draws on: the year it was sent."""
    if application.scheme_id is None or application.submitted_at is None:
        return None
    return db.session.execute(
        select(SchemeYear).where(
            SchemeYear.scheme_id == application.scheme_id,
            SchemeYear.year == application.submitted_at.year,
        )
    ).scalar_one_or_none()


def _person_year_id(scheme_year_id: int, participant_id: int) -> int:
    """The participant's row for the year, made if missing (safe when two make it at once)."""
    values = {"scheme_year_id": scheme_year_id, "participant_id": participant_id}
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(PersonYear)
        .values(**values, reserved_kr=0, paid_kr=0)
        .on_conflict_do_nothing(index_elements=["scheme_year_id", "participant_id"])
    )
    return db.session.execute(select(PersonYear.id).filter_by(**values)).scalar_one()


def _take(
    table: type[SchemeYear] | type[PersonYear], row_id: int, limit: Any, amount_kr: int
) -> bool:
    """Raise the row's reserved total by ``amount_kr`` if it stays within ``limit``, in one
    statement (the database checks and writes at once); True when it did."""
    result = db.session.execute(
        update(table)
        .where(table.id == row_id, table.reserved_kr + table.paid_kr + amount_kr <= limit)
        .values(reserved_kr=table.reserved_kr + amount_kr)
        .execution_options(synchronize_session=False)
    )
    # An UPDATE's result is a CursorResult (the declared type is the general Result).
    return int(cast(CursorResult[Any], result).rowcount) == 1


def room(application: Application) -> Room | None:
    """What is left in the pool and under the participant's cap (None: no budget this year).

    Read as columns, not through the session's objects, so a guide refused a moment ago is told
    what is left now and not what the session saw before.
    """
    year = scheme_year_for(application)
    if year is None or application.participant_id is None:
        return None
    pool_left, cap = db.session.execute(
        select(
            SchemeYear.pool_kr - SchemeYear.reserved_kr - SchemeYear.paid_kr,
            SchemeYear.cap_per_person_kr,
        ).where(SchemeYear.id == year.id)
    ).one()
    used = db.session.execute(
        select(PersonYear.reserved_kr + PersonYear.paid_kr).where(
            PersonYear.scheme_year_id == year.id,
            PersonYear.participant_id == application.participant_id,
        )
    ).scalar_one_or_none()
    return Room(pool_remaining_kr=int(pool_left), person_remaining_kr=int(cap) - (used or 0))


def reserve(application: Application, amount_kr: int, *, by: int | None) -> Refused | None:
    """Reserve ``amount_kr`` for an approval; ``None`` when it is reserved, else why not.

    The pool is taken first, then the person's cap, inside a savepoint: if the cap refuses,
    the pool's share is returned at once. Nothing is ever partly reserved.
    """
    if amount_kr <= 0:
        raise ValueError("an approval reserves a positive amount")
    year = scheme_year_for(application)
    if year is None or application.participant_id is None:
        return Refused(Limit.NO_POOL, 0)
    person_year_id = _person_year_id(year.id, application.participant_id)
    savepoint = db.session.begin_nested()  # a refusal by the cap undoes the pool's share
    if not _take(SchemeYear, year.id, SchemeYear.pool_kr, amount_kr):
        savepoint.rollback()
        left = room(application)
        return Refused(Limit.POOL, left.pool_remaining_kr if left else 0)
    if not _take(PersonYear, person_year_id, year.cap_per_person_kr, amount_kr):
        savepoint.rollback()
        left = room(application)
        return Refused(Limit.PERSON, left.person_remaining_kr if left else 0)
    savepoint.commit()
    db.session.add(
        LedgerEntry(
            scheme_year_id=year.id,
            application_id=application.id,
            participant_id=application.participant_id,
            kind=LedgerKind.RESERVE,
            amount_kr=amount_kr,
            created_by_id=by,
        )
    )
    db.session.expire(year)
    return None


def reserved_for(application: Application) -> int:
    """What is reserved and not yet paid or released for this application (from the ledger)."""
    signed = case(
        (LedgerEntry.kind == LedgerKind.RESERVE, LedgerEntry.amount_kr),
        else_=-LedgerEntry.amount_kr,
    )
    total = db.session.execute(
        select(func.coalesce(func.sum(signed), 0)).where(
            LedgerEntry.application_id == application.id
        )
    ).scalar_one()
    return int(total)


def _move(application: Application, kind: LedgerKind, amount_kr: int, by: int | None) -> None:
    """Take ``amount_kr`` out of reserved: into paid (a payout) or back to the pool."""
    year = scheme_year_for(application)
    if year is None or application.participant_id is None:
        raise LookupError("no budget year for this application")
    if not 0 < amount_kr <= reserved_for(application):
        raise ValueError(f"{amount_kr} kr is not reserved for {application.reference}")
    paid = amount_kr if kind is LedgerKind.PAY else 0
    db.session.execute(
        update(SchemeYear)
        .where(SchemeYear.id == year.id)
        .values(reserved_kr=SchemeYear.reserved_kr - amount_kr, paid_kr=SchemeYear.paid_kr + paid)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(PersonYear)
        .where(
            PersonYear.scheme_year_id == year.id,
            PersonYear.participant_id == application.participant_id,
        )
        .values(reserved_kr=PersonYear.reserved_kr - amount_kr, paid_kr=PersonYear.paid_kr + paid)
        .execution_options(synchronize_session=False)
    )
    db.session.add(
        LedgerEntry(
            scheme_year_id=year.id,
            application_id=application.id,
            participant_id=application.participant_id,
            kind=kind,
            amount_kr=amount_kr,
            created_by_id=by,
        )
    )
    db.session.expire(year)


def pay(application: Application, amount_kr: int, *, by: int | None) -> None:
    """Move a reserved amount to paid (a payout was recorded)."""
    _move(application, LedgerKind.PAY, amount_kr, by)


def release(application: Application, *, by: int | None) -> int:
    """Return whatever is still reserved for the application to the pool (withdrawn, expired,
    or a decision undone); the amount released."""
    amount = reserved_for(application)
    if amount > 0:
        _move(application, LedgerKind.RELEASE, amount, by)
    return amount
