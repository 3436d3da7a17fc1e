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
    #: Perhaps the same person as another application: a guide settles that before money.
    SAME_PERSON = "same_person"


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


def person_of(application: Application) -> int | None:
    """The person whose cap the application counts against (``None`` until it is sent)."""
    participant = application.participant
    return participant.person_id if participant is not None else None


def _person_year_id(scheme_year_id: int, person_id: int) -> int:
    """The person's row for the year, made if missing (safe when two make it at once)."""
    values = {"scheme_year_id": scheme_year_id, "person_id": person_id}
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.session.execute(
        insert(PersonYear)
        .values(**values, reserved_kr=0, paid_kr=0)
        .on_conflict_do_nothing(index_elements=["scheme_year_id", "person_id"])
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
    """What is left in the pool and under the person's cap (None: no budget this year).

    Read as columns, not through the session's objects, so a guide refused a moment ago is told
    what is left now and not what the session saw before.
    """
    year, person_id = scheme_year_for(application), person_of(application)
    if year is None or person_id is None:
        return None
    pool_left, cap = db.session.execute(
        select(
            SchemeYear.pool_kr - SchemeYear.reserved_kr - SchemeYear.paid_kr,
            SchemeYear.cap_per_person_kr,
        ).where(SchemeYear.id == year.id)
    ).one()
    used = db.session.execute(
        select(PersonYear.reserved_kr + PersonYear.paid_kr).where(
            PersonYear.scheme_year_id == year.id, PersonYear.person_id == person_id
        )
    ).scalar_one_or_none()
    # After a merge the person may be over the cap: nothing is left then, not a negative sum.
    person_left = max(0, int(cap) - (used or 0))
    return Room(pool_remaining_kr=int(pool_left), person_remaining_kr=person_left)


def reserve(application: Application, amount_kr: int, *, by: int | None) -> Refused | None:
    """Reserve ``amount_kr`` for an approval; ``None`` when it is reserved, else why not.

    The pool is taken first, then the person's cap, inside a savepoint: if the cap refuses,
    the pool's share is returned at once. Nothing is ever partly reserved.
    """
    if amount_kr <= 0:
        raise ValueError("an approval reserves a positive amount")
    year, person_id = scheme_year_for(application), person_of(application)
    if year is None or person_id is None or application.participant_id is None:
        return Refused(Limit.NO_POOL, 0)
    person_year_id = _person_year_id(year.id, person_id)
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
    reserved, _paid = _signed_sums()
    total = db.session.execute(
        select(reserved).where(LedgerEntry.application_id == application.id)
    ).scalar_one()
    return int(total)


def _move(application: Application, kind: LedgerKind, amount_kr: int, by: int | None) -> None:
    """Take ``amount_kr`` out of reserved: into paid (a payout) or back to the pool."""
    year, person_id = scheme_year_for(application), person_of(application)
    if year is None or person_id is None or application.participant_id is None:
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
        .where(PersonYear.scheme_year_id == year.id, PersonYear.person_id == person_id)
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


def _signed_sums() -> tuple[Any, Any]:
    """What ledger rows hold reserved (open) and paid, as SQL sums."""
    reserved = func.coalesce(
        func.sum(
            case(
                (LedgerEntry.kind == LedgerKind.RESERVE, LedgerEntry.amount_kr),
                else_=-LedgerEntry.amount_kr,
            )
        ),
        0,
    )
    paid = func.coalesce(
        func.sum(case((LedgerEntry.kind == LedgerKind.PAY, LedgerEntry.amount_kr), else_=0)), 0
    )
    return reserved, paid


def move_participant(participant_id: int, from_person_id: int, to_person_id: int) -> None:
    """Count a participant's money for another person (a merge, or a split undoing one).

    Per budget year, what the participant's ledger rows hold is taken off one person's totals
    and added to the other's, each in one relative ``UPDATE`` (so an approval for either person
    at the same moment is neither lost nor counted twice). The ledger rows stay as they are:
    they belong to the participant, and the participant now belongs to the other person. The
    new totals may pass the cap (the money is out already); :func:`over_cap` shows it, and
    every later reservation is held to the cap as always.
    """
    reserved, paid = _signed_sums()
    rows = db.session.execute(
        select(LedgerEntry.scheme_year_id, reserved, paid)
        .where(LedgerEntry.participant_id == participant_id)
        .group_by(LedgerEntry.scheme_year_id)
    ).all()
    for year_id, open_kr, paid_kr in rows:
        if not open_kr and not paid_kr:
            continue
        for person_id, sign in ((from_person_id, -1), (to_person_id, 1)):
            row_id = _person_year_id(year_id, person_id)
            db.session.execute(
                update(PersonYear)
                .where(PersonYear.id == row_id)
                .values(
                    reserved_kr=PersonYear.reserved_kr + sign * int(open_kr),
                    paid_kr=PersonYear.paid_kr + sign * int(paid_kr),
                )
                .execution_options(synchronize_session=False)
            )


@dataclass(frozen=True)
class OverCap:
    person_id: int
    scheme_year: SchemeYear
    used_kr: int


def over_cap(person_ids: set[int]) -> list[OverCap]:
    """Where these people have more than the cap (after a merge; never by an approval)."""
    if not person_ids:
        return []
    rows = db.session.execute(
        select(PersonYear.person_id, SchemeYear, PersonYear.reserved_kr + PersonYear.paid_kr)
        .join(SchemeYear, SchemeYear.id == PersonYear.scheme_year_id)
        .where(
            PersonYear.person_id.in_(person_ids),
            PersonYear.reserved_kr + PersonYear.paid_kr > SchemeYear.cap_per_person_kr,
        )
    ).all()
    return [OverCap(person_id, year, int(used)) for person_id, year, used in rows]
