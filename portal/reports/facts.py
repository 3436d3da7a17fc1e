"""The report's table (:class:`~portal.reports.models.ReportFact`) kept equal to what it copies.

Every flush that changes what a row copies rewrites the rows concerned in the same transaction
(``after_flush``, as :mod:`portal.pagecache` keeps its token): an application's status, dates,
scheme, activity, reason or person; a place's status, start or season-end mark; a ledger row;
a participant's person, birth date or gender (a merge or split of persons too); a household's
postcode; an applicant's language. Drafts have no row, so a family's question pages cost
nothing here.

What goes around the ORM (``portal.volume``'s bulk inserts, a restore from another system)
calls :func:`rebuild`; ``flask reports check`` lists the rows that differ from what the live
tables say (none, in every test of the suite: ``tests/conftest.py`` checks after each one), and
``flask reports rebuild`` writes them all again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Select,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from portal.applications.models import Applicant, Application, Household, Participant
from portal.enrolments.models import Enrolment
from portal.extensions import db
from portal.reports.models import ReportFact
from portal.schemes.models import LedgerEntry, LedgerKind

#: Columns whose change rewrites the rows that copy them.
_APPLICATION = (
    "submitted_at", "decided_at", "status", "scheme_id", "activity_id", "decision_reason_id",
    "participant_id", "household_id", "applicant_id",
)  # fmt: skip
_ENROLMENT = ("status", "start_on", "active_at_season_end", "application_id")
_PARTICIPANT = ("person_id", "birth_on", "gender")
_CHUNK = 500


class whole_days(FunctionElement[int]):
    """Whole days from ``earlier`` to ``later`` (a timestamp or a date), in SQL."""

    type = Integer()
    inherit_cache = True


@compiles(whole_days, "sqlite")
def _whole_days_sqlite(element: whole_days, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


@compiles(whole_days, "postgresql")
def _whole_days_pg(element: whole_days, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(FLOOR(EXTRACT(EPOCH FROM (CAST({compiler.process(later, **kw)} AS TIMESTAMP) - "
        f"CAST({compiler.process(earlier, **kw)} AS TIMESTAMP))) / 86400) AS INTEGER)"
    )


class calendar_days(FunctionElement[int]):
    """Days from the date of ``earlier`` to the date of ``later`` (the dates as stored, UTC)."""

    type = Integer()
    inherit_cache = True


@compiles(calendar_days, "sqlite")
def _calendar_days_sqlite(element: calendar_days, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday(date({later})) - julianday(date({earlier})) AS INTEGER)"


@compiles(calendar_days, "postgresql")
def _calendar_days_pg(element: calendar_days, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


def _rows(*where: ColumnElement[bool]) -> Select[*tuple[Any, ...]]:
    """The rows as the live tables give them, for the sent applications matching ``where``."""

    def ledger_sum(kind: LedgerKind) -> Any:
        return (
            select(func.coalesce(func.sum(LedgerEntry.amount_kr), 0))
            .where(LedgerEntry.application_id == Application.id, LedgerEntry.kind == kind)
            .scalar_subquery()
        )

    return (
        select(
            Application.submitted_at,
            Application.id,
            Application.decided_at,
            Application.status,
            Application.scheme_id,
            Application.activity_id,
            Application.decision_reason_id,
            Participant.person_id,
            Participant.birth_on,
            Participant.gender,
            Applicant.preferred_locale,
            Household.postcode,
            ledger_sum(LedgerKind.RESERVE),
            ledger_sum(LedgerKind.PAY),
            ledger_sum(LedgerKind.RELEASE),
            Enrolment.status,
            Enrolment.start_on,
            Enrolment.active_at_season_end,
            Enrolment.created_at,
            whole_days(Application.decided_at, Application.submitted_at),
            calendar_days(Enrolment.start_on, Application.decided_at),
        )
        .select_from(Application)
        .join(Household, Household.id == Application.household_id)
        .outerjoin(Participant, Participant.id == Application.participant_id)
        .outerjoin(Applicant, Applicant.id == Application.applicant_id)
        .outerjoin(Enrolment, Enrolment.application_id == Application.id)
        .where(Application.submitted_at.is_not(None), *where)
    )


_COLUMNS = (
    "submitted_at", "application_id", "decided_at", "status", "scheme_id", "activity_id",
    "decision_reason_id", "person_id", "birth_on", "gender", "locale", "postcode",
    "reserved_kr", "paid_kr", "released_kr", "enrolment_status", "start_on",
    "active_at_season_end", "enrolled_at", "days_to_decision", "days_to_start",
)  # fmt: skip


def refresh(connection: Connection, application_ids: Iterable[int]) -> None:
    """Write the rows of these applications again (and drop those no longer sent).

    On PostgreSQL the applications' rows are locked first (in id order): two requests changing
    one application at once (a club confirming the start while a guide records the payment)
    then write its report row one after the other; without it the second would find the first's
    new row in its way (a unique key error) instead of replacing it. SQLite has one writer at
    a time anyway."""
    ids = sorted(set(application_ids))
    locking = connection.dialect.name == "postgresql"
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        if locking:
            connection.execute(
                select(Application.id)
                .where(Application.id.in_(chunk))
                .order_by(Application.id)
                .with_for_update()
            )
        connection.execute(delete(ReportFact).where(ReportFact.application_id.in_(chunk)))
        connection.execute(
            insert(ReportFact).from_select(_COLUMNS, _rows(Application.id.in_(chunk)))
        )


def rebuild(connection: Connection | None = None) -> int:
    """Write every row again from the live tables; the number of rows. On PostgreSQL other
    writers of the table wait until this transaction ends (readers do not)."""
    connection = connection or db.session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("LOCK TABLE report_fact IN EXCLUSIVE MODE")
    connection.execute(delete(ReportFact))
    connection.execute(insert(ReportFact).from_select(_COLUMNS, _rows()))
    return int(connection.execute(select(func.count()).select_from(ReportFact)).scalar_one())


def differences(connection: Connection | None = None) -> list[int]:
    """Applications whose row is missing, extra or not what the live tables say."""
    connection = connection or db.session.connection()
    kept = {
        tuple(row)
        for row in connection.execute(select(*(getattr(ReportFact, c) for c in _COLUMNS)))
    }
    live = {tuple(row) for row in connection.execute(_rows())}
    return sorted({row[1] for row in kept ^ live})


# Kept in the flush that changes what the rows copy ---------------------------------------------


@dataclass
class _Pending:
    objects: list[Any] = field(default_factory=list)
    participants: set[int] = field(default_factory=set)
    households: set[int] = field(default_factory=set)
    applicants: set[int] = field(default_factory=set)


def _changed(row: Any, names: Sequence[str]) -> bool:
    state = inspect(row)
    return any(state.attrs[name].history.has_changes() for name in names)


def _note_changes(session: Session, _context: Any, _instances: Any) -> None:
    pending: _Pending = session.info.setdefault("report_facts", _Pending())
    new, deleted = session.new, session.deleted
    for row in chain(new, session.dirty, deleted):
        gone_or_new = row in new or row in deleted
        if isinstance(row, Application):
            sent = row.submitted_at is not None or _changed(row, ("submitted_at",))
            if row in deleted or (sent and (row in new or _changed(row, _APPLICATION))):
                pending.objects.append(row)
        elif isinstance(row, LedgerEntry):
            pending.objects.append(row)
        elif isinstance(row, Enrolment):
            if gone_or_new or _changed(row, _ENROLMENT):
                pending.objects.append(row)
        elif gone_or_new:
            continue  # a new participant, household or applicant has no sent application yet
        elif isinstance(row, Participant) and _changed(row, _PARTICIPANT):
            pending.participants.add(row.id)
        elif isinstance(row, Household) and _changed(row, ("postcode",)):
            pending.households.add(row.id)
        elif isinstance(row, Applicant) and _changed(row, ("preferred_locale",)):
            pending.applicants.add(row.id)


def _write(session: Session, _context: Any) -> None:
    pending: _Pending | None = session.info.pop("report_facts", None)
    if pending is None or not (
        pending.objects or pending.participants or pending.households or pending.applicants
    ):
        return
    ids: set[int | None] = {
        row.id if isinstance(row, Application) else row.application_id for row in pending.objects
    }
    connection = session.connection()
    for column, changed in (
        (Application.participant_id, pending.participants),
        (Application.household_id, pending.households),
        (Application.applicant_id, pending.applicants),
    ):
        if changed:
            ids.update(
                connection.execute(
                    select(Application.id).where(
                        column.in_(sorted(changed)), Application.submitted_at.is_not(None)
                    )
                ).scalars()
            )
    if found := {i for i in ids if i is not None}:
        refresh(connection, found)


def _after_rollback(session: Session, _transaction: Any) -> None:
    session.info.pop("report_facts", None)


def init_app() -> None:
    if not event.contains(Session, "before_flush", _note_changes):
        event.listen(Session, "before_flush", _note_changes)
        event.listen(Session, "after_flush", _write)
        event.listen(Session, "after_soft_rollback", _after_rollback)
