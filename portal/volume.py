"""Many applications at once, for measuring the guides' pages and the reports at a
municipality's scale (``flask generate-applications 100000``). Rows go in with bulk inserts, a
batch at a time.

Like real ones, the generated families are of every age (toddlers to adults), gender, language
and postcode; decided applications were decided 1-30 days after they were sent; approved ones
have their money in the ledger (reserved, paid or returned) and a place at the club (started,
stopped, waiting for the club's answer, and marked at the season's end once the season is
over). The pools and the persons' yearly totals are then set from the ledger (a pool grows to
hold what was generated), so the ledger's invariants hold."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import case, func, insert, select, text, update

from portal.applications.models import Applicant, Application, Gender, Household, Participant
from portal.applications.services import SCHEME_FOR_KIND
from portal.catalogue.models import Activity
from portal.db import new_token, utcnow
from portal.enrolments.models import Enrolment
from portal.extensions import db
from portal.people.models import Person
from portal.reports import facts
from portal.schemes.models import LedgerEntry, LedgerKind, PersonYear, Scheme, SchemeYear
from portal.workflow import ApplicationKind, ApplicationStatus, EnrolmentStatus

T = TypeVar("T")
Row = dict[str, Any]

FIRST_NAMES = [
    "Amira",
    "Sara",
    "Yusuf",
    "Omar",
    "Ali",
    "Freja",
    "Noah",
    "Layla",
    "Emil",
    "Zainab",
    "Ida",
    "Hassan",
    "Mads",
    "Fatima",
]
LAST_NAMES = [
    "Haddad",
    "Nielsen",
    "Ahmadi",
    "Hassan",
    "Jensen",
    "Hansen",
    "Rahimi",
    "Pedersen",
    "Karimi",
    "Andersen",
]
#: The demo's past has names of its own (a search for a demo family finds only that family).
HISTORY_FIRST_NAMES = ["Elias", "Sofie", "Karim", "Nour", "Oskar", "Maja", "Bilal", "Tilde",
                       "Rami", "Ellen", "Jamal", "Saga", "Hamza"]  # fmt: skip
HISTORY_LAST_NAMES = ["Mortensen", "Khalil", "Sørensen", "Nasser", "Lund", "Darwish", "Holm",
                      "Saleh"]  # fmt: skip
#: Most applications are long decided; a few thousand wait, as in a busy real queue.
STATUSES = [
    (ApplicationStatus.CLOSED, 50),
    (ApplicationStatus.PAID, 20),
    (ApplicationStatus.APPROVED, 10),
    (ApplicationStatus.REJECTED, 10),
    (ApplicationStatus.WITHDRAWN, 5),
    (ApplicationStatus.NEEDS_INFO, 2),
    (ApplicationStatus.SUBMITTED, 3),
]
WAITING = (ApplicationStatus.SUBMITTED, ApplicationStatus.NEEDS_INFO)
#: The demo's history (``history=True``): only what is finished (paid, closed, declined,
#: withdrawn; nothing approved and still unpaid, which the queue lists after 30 days), and the
#: clubs all answered, so the queue and the clubs' lists stay as the demo shows them.
DECIDED = [
    (status, weight)
    for status, weight in STATUSES
    if status not in WAITING and status is not ApplicationStatus.APPROVED
]
LOCALES = [("da", 50), ("ar", 30), ("en", 20)]
GENDERS = [(Gender.FEMALE, 48), (Gender.MALE, 48), (Gender.OTHER, 3), (None, 1)]
#: Ages in whole years: mostly children, some toddlers, young people and adults.
AGES = [((3, 5), 5), ((6, 9), 25), ((10, 12), 25), ((13, 15), 20), ((16, 17), 10),
        ((18, 24), 7), ((25, 60), 8)]  # fmt: skip
POSTCODES = [("7100", 40), ("7120", 20), ("7080", 10), ("7300", 10), ("7000", 8), ("7140", 7),
             ("7182", 4), (None, 1)]  # fmt: skip
APPROVED = (ApplicationStatus.APPROVED, ApplicationStatus.PAID, ApplicationStatus.CLOSED)
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MODELS = (Person, Household, Participant, Applicant, Application)
#: Rows an application may bring besides its family (inserted after the applications).
EXTRAS = (Enrolment, LedgerEntry)


def _weighted(choices: Sequence[tuple[T, int]], rng: random.Random) -> T:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _reference(prefix: str, n: int) -> str:
    """``GN-XXXX-XX`` from a counter: unique, and in the portal's alphabet."""
    digits = []
    for _ in range(6):
        n, rest = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[rest])
    code = "".join(reversed(digits))
    return f"{prefix}-{code[:4]}-{code[4:]}"


def _next_id(model: Any) -> int:
    return int(db.session.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one()) + 1


def generate(
    count: int,
    *,
    batch: int = 5_000,
    seed: int = 2026,
    progress: Callable[[int], Any] = print,
    history: bool = False,
) -> None:
    """Add ``count`` sent applications (one person, household, participant and applicant
    each), spread over the last two years, across the catalogue's activities and the schemes.
    With ``history``: only decided ones, sent 5 weeks to 17 months ago (the demo's past)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    activities = [tuple(row) for row in db.session.execute(select(Activity.id, Activity.scheme_id))]
    schemes = {
        kind: scheme_id for scheme_id, kind in db.session.execute(select(Scheme.id, Scheme.kind))
    }
    if not activities or not schemes:
        raise LookupError("load the demo data first (flask seed-demo)")
    now = utcnow()
    years = _scheme_years({now.year - 2, now.year - 1, now.year})
    first_id = {model: _next_id(model) for model in MODELS}
    for start in range(0, count, batch):
        numbers = range(start, min(start + batch, count))
        rows = [_rows(n, first_id, rng, activities, schemes, now, history) for n in numbers]
        for model, values in zip(MODELS, zip(*(r[0] for r in rows), strict=True), strict=True):
            db.session.execute(insert(model), list(values))
        for model, position in ((Enrolment, 1), (LedgerEntry, 2)):
            extra = [row for r in rows for row in r[position]]
            if model is LedgerEntry:
                for row in extra:
                    row["scheme_year_id"] = years[row.pop("scheme_id"), row.pop("year")]
            if extra:
                db.session.execute(insert(model), extra)
        db.session.commit()
        progress(len(rows))
    _advance_sequences()
    _totals_from_the_ledger(first_id[Application])
    facts.rebuild()  # the bulk inserts went around the ORM, which keeps the report's rows
    db.session.commit()


def _advance_sequences() -> None:
    """The generated rows were given their ids; on PostgreSQL the tables' id sequences are moved
    past them, or the next household a family makes would take an id already used (the
    deployment check found it: the first application after the demo data answered 500)."""
    if db.engine.dialect.name != "postgresql":
        return  # SQLite takes the next id from the table itself
    for model in MODELS:
        table = model.__tablename__
        db.session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our own table names
                f"(SELECT max(id) FROM {table}))"
            )
        )
    db.session.commit()


def _scheme_years(wanted: set[int]) -> dict[tuple[int, int], int]:
    """Every scheme's budget year for the ``wanted`` years (made where missing, with the pool,
    cap and target of the scheme's newest year; a pool grows at the end if the ledger needs
    more); ``(scheme_id, year)`` → id."""
    for scheme_id in db.session.execute(select(Scheme.id)).scalars():
        known = (
            db.session.execute(
                select(SchemeYear)
                .where(SchemeYear.scheme_id == scheme_id)
                .order_by(SchemeYear.year)
            )
            .scalars()
            .all()
        )
        newest = known[-1] if known else None
        for year in wanted - {row.year for row in known}:
            db.session.add(
                SchemeYear(
                    scheme_id=scheme_id,
                    year=year,
                    pool_kr=newest.pool_kr if newest else 0,
                    cap_per_person_kr=newest.cap_per_person_kr if newest else 5_000,
                    target_people=newest.target_people if newest else None,
                )
            )
    db.session.commit()
    return {
        (scheme_id, year): year_id
        for year_id, scheme_id, year in db.session.execute(
            select(SchemeYear.id, SchemeYear.scheme_id, SchemeYear.year)
        )
    }


def _totals_from_the_ledger(first_application_id: int) -> None:
    """The generated persons' yearly totals, and every pool's reserved and paid, from the ledger
    (a pool grows to hold what was generated: the ledger's invariants hold afterwards)."""
    signed = func.sum(
        func.coalesce(
            case(
                (LedgerEntry.kind == LedgerKind.RESERVE, LedgerEntry.amount_kr),
                else_=-LedgerEntry.amount_kr,
            ),
            0,
        )
    )
    paid = func.sum(case((LedgerEntry.kind == LedgerKind.PAY, LedgerEntry.amount_kr), else_=0))
    persons = db.session.execute(
        select(LedgerEntry.scheme_year_id, Participant.person_id, signed, paid)
        .join(Participant, Participant.id == LedgerEntry.participant_id)
        .where(LedgerEntry.application_id >= first_application_id)
        .group_by(LedgerEntry.scheme_year_id, Participant.person_id)
    ).all()
    if persons:
        db.session.execute(
            insert(PersonYear),
            [
                {"scheme_year_id": y, "person_id": p, "reserved_kr": int(r), "paid_kr": int(d)}
                for y, p, r, d in persons
            ],
        )
    for year_id, reserved, paid_kr in db.session.execute(
        select(LedgerEntry.scheme_year_id, signed, paid).group_by(LedgerEntry.scheme_year_id)
    ).all():
        year = db.session.get(SchemeYear, year_id)
        if year is None:
            raise LookupError(f"scheme year {year_id}")
        db.session.execute(
            update(SchemeYear)
            .where(SchemeYear.id == year_id)
            .values(
                pool_kr=max(year.pool_kr, int(reserved) + int(paid_kr)),
                reserved_kr=int(reserved),
                paid_kr=int(paid_kr),
            )
        )
    db.session.commit()


def _rows(
    n: int,
    first_id: dict[Any, int],
    rng: random.Random,
    activities: list[tuple[Any, ...]],
    schemes: dict[Any, int],
    now: datetime,
    history: bool = False,
) -> tuple[tuple[Row, Row, Row, Row, Row], list[Row], list[Row]]:
    """The n-th generated family: the child as a person, household, participant, applicant and
    application; its place at the club and its ledger rows, if approved."""
    person_id, household_id, participant_id, applicant_id, application_id = (
        first_id[model] + n for model in MODELS
    )
    status = _weighted(DECIDED if history else STATUSES, rng)
    if history:
        days = rng.randint(35, 520)
    else:
        days = rng.randint(0, 40) if status in WAITING else rng.randint(0, 730)
    sent = now - timedelta(days=days, minutes=rng.randint(0, 1439))
    household, participant, applicant = _family(
        (household_id, participant_id, applicant_id), application_id, rng, sent
    )
    participant["person_id"] = person_id
    if history:
        participant["first_name"] = rng.choice(HISTORY_FIRST_NAMES)
        participant["last_name"] = rng.choice(HISTORY_LAST_NAMES)
    activity_id, scheme_id = rng.choice(activities)
    kind = ApplicationKind.ACTIVITY_PLACE if scheme_id else ApplicationKind.LEISURE_PASS
    scheme_id = scheme_id or schemes[SCHEME_FOR_KIND[kind]]
    application = {
        "id": application_id,
        "reference": _reference("GN", application_id),
        "kind": kind,
        "scheme_id": scheme_id,
        "activity_id": activity_id,
        "household_id": household_id,
        "applicant_id": applicant_id,
        "participant_id": participant_id,
        **_application_state(status, sent, now, rng),
    }
    enrolments: list[Row] = []
    ledger: list[Row] = []
    if status in APPROVED:
        decided = application["decided_at"]
        amount = rng.choice((300, 500, 800, 1_000, 1_200, 1_500))
        application["amount_approved_kr"] = amount
        enrolments.append(
            _enrolment(application_id, activity_id, status, decided, now, rng, answered=history)
        )
        money = {"application_id": application_id, "participant_id": participant_id,
                 "scheme_id": scheme_id, "year": sent.year, "created_at": decided}  # fmt: skip
        ledger.append({**money, "kind": LedgerKind.RESERVE, "amount_kr": amount})
        if status is ApplicationStatus.PAID or (
            status is ApplicationStatus.CLOSED and enrolments[0]["start_on"] is not None
        ):
            ledger.append({**money, "kind": LedgerKind.PAY, "amount_kr": amount})
        elif status is ApplicationStatus.CLOSED:
            ledger.append({**money, "kind": LedgerKind.RELEASE, "amount_kr": amount})
    person = {"id": person_id, "created_at": sent}
    return (person, household, participant, applicant, application), enrolments, ledger


def _enrolment(
    application_id: int,
    activity_id: int,
    status: ApplicationStatus,
    decided: datetime,
    now: datetime,
    rng: random.Random,
    *,
    answered: bool = False,
) -> Row:
    """The place at the club: most started (and, once their season is over, are marked as
    still coming or not); some wait for the club's answer (never when ``answered``); a closed
    one the club declined or the child stopped."""
    start = (decided + timedelta(days=rng.randint(2, 30))).date()
    season_over = start < _season_end(start) <= now.date()
    row: Row = {
        "application_id": application_id,
        "activity_id": activity_id,
        "status": EnrolmentStatus.CONFIRMED,
        "start_on": start,
        "active_at_season_end": None,
        "created_at": decided,
        "updated_at": decided,
        "reminder_count": 0,
        "version": 1,
        "share_contact_with_club": False,
    }
    if not answered and (
        (status is ApplicationStatus.APPROVED and rng.random() < 0.3) or start > now.date()
    ):
        row.update(status=EnrolmentStatus.PENDING, start_on=None)
    elif status is ApplicationStatus.CLOSED:
        declined = rng.random() < 0.4
        row.update(
            status=EnrolmentStatus.DECLINED if declined else EnrolmentStatus.STOPPED,
            start_on=None if declined else start,
            active_at_season_end=None if declined or not season_over else False,
        )
    elif season_over:
        row["active_at_season_end"] = rng.random() < 0.75
    return row


def _season_end(day: date) -> date:
    """The last day of the season (August to June) that ``day`` is in."""
    return date(day.year + (day.month >= 8), 6, 30)


def _family(
    ids: tuple[int, int, int], application_id: int, rng: random.Random, sent: datetime
) -> tuple[Row, Row, Row]:
    """A generated household, its child (or adult) and its parent."""
    household_id, participant_id, applicant_id = ids
    stamps = {"created_at": sent, "updated_at": sent}
    household = {
        "id": household_id,
        "token": new_token(),
        "postcode": _weighted(POSTCODES, rng),
        **stamps,
    }
    youngest, oldest = _weighted(AGES, rng)
    age_days = rng.randint(youngest * 365 + 1, oldest * 365 + 364)
    participant = {
        "id": participant_id,
        "household_id": household_id,
        "first_name": rng.choice(FIRST_NAMES),
        "last_name": rng.choice(LAST_NAMES),
        "birth_on": sent.date() - timedelta(days=age_days),
        "gender": _weighted(GENDERS, rng),
        **stamps,
    }
    applicant = {
        "id": applicant_id,
        "household_id": household_id,
        "phone": f"+452{rng.randint(0, 9_999_999):07d}",
        "email": f"familie{application_id}@example.org",
        "preferred_locale": _weighted(LOCALES, rng),
        **stamps,
    }
    return household, participant, applicant


def _application_state(
    status: ApplicationStatus, sent: datetime, now: datetime, rng: random.Random
) -> Row:
    """The columns every generated application has, for its status and the time it was sent."""
    decided = None if status in WAITING else min(sent + timedelta(days=rng.randint(1, 30)), now)
    return {
        "token": new_token(),
        "status": status,
        "submitted_at": sent,
        "decided_at": decided,
        "question_from_guide": "Hvilket hold?" if status is ApplicationStatus.NEEDS_INFO else None,
        "current_step": "message",
        "version": 1,
        "age_exception": False,
        "gender_exception": False,
        "waiting_list_ok": False,
        "created_at": sent,
        "updated_at": sent,
    }
