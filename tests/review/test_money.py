"""Money that can never be overspent (PRODUCT.md's rules; QUALITY.md's concurrency test).

200 guides approving 500 kr at the same moment against a 15,000 kr pool: exactly 30 approvals,
a friendly refusal for every other, no errors, and ledger rows that sum to 15,000. The same for
one person's cap. On SQLite here and on PostgreSQL with ``make test-pg`` (CI runs both).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal.applications.models import Applicant, Application, Household, Participant
from portal.db import utcnow
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.people.models import Person
from portal.review import services
from portal.schemes import ledger
from portal.schemes.models import LedgerEntry, LedgerKind, SchemeKind, SchemeYear
from portal.workflow import ApplicationKind, ApplicationStatus
from tests.factories import make_scheme

WORKERS = 200


def budget(pool_kr: int, cap_kr: int) -> tuple[int, int]:
    """An equipment scheme with this year's pool and cap; (scheme id, scheme year id)."""
    scheme = make_scheme(SchemeKind.EQUIPMENT, "UD")
    year = SchemeYear(
        scheme_id=scheme.id, year=utcnow().year, pool_kr=pool_kr, cap_per_person_kr=cap_kr
    )
    db.session.add(year)
    db.session.commit()
    return scheme.id, year.id


def submitted(
    scheme_id: int, count: int, *, same_person: bool = False, per_person: int = 1
) -> list[int]:
    """``count`` sent applications: one person each, ``per_person`` applications for each
    person, or all for one person. Each application has its own participant row."""
    household = Household(postcode="7100")
    shared = Person()
    people: list[Person] = []
    ids = []
    for n in range(count):
        if n % per_person == 0:
            people.append(shared if same_person else Person())
        participant = Participant(
            household=household,
            first_name="Amira" if same_person else f"Barn {n // per_person}",
            last_name="Haddad",
            person=people[-1],
        )
        application = Application(
            kind=ApplicationKind.EQUIPMENT,
            status=ApplicationStatus.SUBMITTED,
            scheme_id=scheme_id,
            household=household,
            participant=participant,
            applicant=Applicant(household=household, phone="+4520123456", preferred_locale="ar"),
            reference=f"UD-TEST-{n:03d}",
            submitted_at=utcnow(),
            amount_requested_kr=500,
        )
        db.session.add(application)
        db.session.flush()
        ids.append(application.id)
    db.session.commit()
    return ids


def approve_all_at_once(app: Flask, ids: list[int], amount_kr: int) -> list[object]:
    """One thread per guide; all start their transaction at the same moment."""
    start = threading.Barrier(len(ids))

    def guide(application_id: int) -> object:
        with app.app_context():
            start.wait()
            application = db.session.get(Application, application_id)
            assert application is not None
            outcome = services.approve(application, amount_kr, guide_id=None)
            db.session.remove()
            return outcome

    with ThreadPoolExecutor(max_workers=len(ids)) as pool:
        return list(pool.map(guide, ids))


def ledger_sum(year_id: int, kind: LedgerKind) -> int:
    return int(
        db.session.execute(
            select(func.coalesce(func.sum(LedgerEntry.amount_kr), 0)).where(
                LedgerEntry.scheme_year_id == year_id, LedgerEntry.kind == kind
            )
        ).scalar_one()
    )


def test_200_approvals_at_once_never_overspend_the_pool(app: Flask) -> None:
    """DATA-11: the pool's limit holds under 200 concurrent approvals."""
    with app.app_context():
        scheme_id, year_id = budget(pool_kr=15_000, cap_kr=500)
        ids = submitted(scheme_id, WORKERS)
        db.session.remove()

    outcomes = approve_all_at_once(app, ids, 500)

    approved = [o for o in outcomes if isinstance(o, services.Decided)]
    refused = [o for o in outcomes if isinstance(o, ledger.Refused)]
    assert len(approved) == 30
    assert len(refused) == WORKERS - 30  # every other guide got an answer, none an error
    assert {r.limit for r in refused} == {ledger.Limit.POOL}
    assert {r.remaining_kr for r in refused} == {0}
    with app.app_context():
        assert ledger_sum(year_id, LedgerKind.RESERVE) == 15_000  # the rows, not a counter
        year = db.session.get(SchemeYear, year_id)
        assert year is not None and year.reserved_kr == 15_000
        statuses = db.session.execute(
            select(Application.status, func.count()).group_by(Application.status)
        ).all()
        assert dict(statuses) == {
            ApplicationStatus.APPROVED: 30,
            ApplicationStatus.SUBMITTED: WORKERS - 30,
        }
        # Only the families whose approval stood are told (in their language, Arabic here).
        messages = list(
            db.session.execute(
                select(OutboxMessage).where(OutboxMessage.template == "application_approved")
            ).scalars()
        )
        assert len(messages) == 30
        assert "تمت الموافقة على طلبك" in messages[0].body and "500" in messages[0].body


def test_200_approvals_at_once_never_pass_one_persons_cap(app: Flask) -> None:
    """DATA-11: one participant's yearly cap holds under 200 concurrent approvals."""
    with app.app_context():
        scheme_id, year_id = budget(pool_kr=1_000_000, cap_kr=2_000)
        ids = submitted(scheme_id, WORKERS, same_person=True)
        db.session.remove()

    outcomes = approve_all_at_once(app, ids, 100)

    assert sum(isinstance(o, services.Decided) for o in outcomes) == 20
    refused = [o for o in outcomes if isinstance(o, ledger.Refused)]
    assert len(refused) == WORKERS - 20
    assert {r.limit for r in refused} == {ledger.Limit.PERSON}
    with app.app_context():
        assert ledger_sum(year_id, LedgerKind.RESERVE) == 2_000
        # A refusal by the cap gave the pool its share back: the pool holds only what stood.
        year = db.session.get(SchemeYear, year_id)
        assert year is not None and year.reserved_kr == 2_000


def test_200_approvals_at_once_across_100_people_with_two_applications_each(app: Flask) -> None:
    """DATA-01, issue 12: the cap is per person, not per application. 100 people each applied
    twice (two participant rows, one person); 200 guides approve 500 kr against a 500 kr cap
    at once: exactly one approval per person, and the pool holds exactly that."""
    with app.app_context():
        scheme_id, year_id = budget(pool_kr=1_000_000, cap_kr=500)
        ids = submitted(scheme_id, WORKERS, per_person=2)
        db.session.remove()

    outcomes = approve_all_at_once(app, ids, 500)

    approved = [i for i, o in zip(ids, outcomes, strict=True) if isinstance(o, services.Decided)]
    refused = [o for o in outcomes if isinstance(o, ledger.Refused)]
    assert len(approved) == WORKERS // 2 and len(refused) == WORKERS // 2
    assert {r.limit for r in refused} == {ledger.Limit.PERSON}
    with app.app_context():
        assert ledger_sum(year_id, LedgerKind.RESERVE) == 500 * WORKERS // 2
        year = db.session.get(SchemeYear, year_id)
        assert year is not None and year.reserved_kr == 500 * WORKERS // 2
        per_person = db.session.execute(
            select(Participant.person_id, func.sum(LedgerEntry.amount_kr))
            .join(Participant, Participant.id == LedgerEntry.participant_id)
            .group_by(Participant.person_id)
        ).all()
        assert len(per_person) == WORKERS // 2
        assert {int(total) for _, total in per_person} == {500}  # nobody over the cap


def test_two_guides_deciding_one_case_make_one_decision(app: Flask) -> None:
    """The second guide hears that it is already decided, never an error page."""
    with app.app_context():
        scheme_id, year_id = budget(pool_kr=15_000, cap_kr=500)
        [application_id] = submitted(scheme_id, 1)
        db.session.remove()

    outcomes = approve_all_at_once(app, [application_id] * 10, 500)

    assert sum(isinstance(o, services.Decided) for o in outcomes) == 1
    late = [o for o in outcomes if isinstance(o, services.AlreadyDecided)]
    assert len(late) == 9 and {o.status for o in late} == {ApplicationStatus.APPROVED}
    with app.app_context():
        assert ledger_sum(year_id, LedgerKind.RESERVE) == 500


def test_paying_and_releasing_move_money_through_the_ledger(app: Flask) -> None:
    with app.app_context():
        scheme_id, year_id = budget(pool_kr=1_000, cap_kr=500)
        first, second, third = submitted(scheme_id, 3)
        for application_id in (first, second):
            application = db.session.get(Application, application_id)
            assert isinstance(services.approve(application, 500, guide_id=None), services.Decided)
        third_application = db.session.get(Application, third)
        assert third_application is not None
        refused = services.approve(third_application, 500, guide_id=None)
        assert refused == ledger.Refused(ledger.Limit.POOL, 0)

        paid = db.session.get(Application, first)
        assert paid is not None
        ledger.pay(paid, 450, by=None)  # the boots cost less than approved
        assert ledger.release(paid, by=None) == 50
        withdrawn = db.session.get(Application, second)
        assert withdrawn is not None
        assert ledger.release(withdrawn, by=None) == 500
        db.session.commit()

        year = db.session.get(SchemeYear, year_id)
        assert year is not None
        assert (year.reserved_kr, year.paid_kr) == (0, 450)
        room = ledger.room(third_application)
        assert room is not None and room.most_kr == 500  # the released money is there again
        assert isinstance(services.approve(third_application, 500, guide_id=None), services.Decided)
        with pytest.raises(ValueError, match="not reserved"):
            ledger.pay(paid, 1, by=None)
