"""The report reads one narrow row per sent application (``report_fact``), kept by the flushes
that change what it copies (portal/reports/facts.py). After every test of the suite the rows
are compared with the live tables (tests/conftest.py); these tests show the keeping where it
is least obvious, the operator's check and rebuild, and two writers at once (DATA-04)."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from flask import Flask
from sqlalchemy import Connection, func, select, text

from portal.applications.models import Application, Gender
from portal.enrolments.models import Enrolment
from portal.extensions import db
from portal.people.models import Person
from portal.reports import facts
from portal.reports.models import ReportFact
from portal.reports.period import Period, ReportFilters
from portal.reports.report import build
from portal.schemes import ledger
from portal.schemes.models import Scheme
from portal.workflow import ApplicationStatus
from tests.reports import dataset
from tests.reports.dataset import S, at

YEAR = ReportFilters(Period(2025))


@pytest.fixture
def world(app: Flask) -> dataset.World:
    with app.app_context():
        return dataset.build()


def row(application_id: int) -> ReportFact | None:
    return db.session.execute(
        select(ReportFact).where(ReportFact.application_id == application_id)
    ).scalar_one_or_none()


def test_changes_made_through_the_portal_rewrite_the_rows_they_copy(
    app: Flask, world: dataset.World
) -> None:
    with app.app_context():
        leisure = db.session.get(Scheme, world.leisure_id)
        assert leisure is not None
        draft = dataset._application(
            leisure,
            activity_id=world.cricket_id,
            born=date(2015, 6, 1),
            gender=Gender.MALE,
            locale="uk",
            postcode="7000",
            sent=None,
            status=S.DRAFT,
        )
        db.session.commit()
        assert row(draft.id) is None  # a draft is nobody's figure

        draft.status, draft.submitted_at = S.SUBMITTED, at(date(2025, 9, 1))
        db.session.commit()
        sent = row(draft.id)
        assert sent is not None and (sent.locale, sent.postcode) == ("uk", "7000")

        draft.status, draft.decided_at = S.APPROVED, at(date(2025, 9, 4))
        draft.amount_approved_kr = 1_000
        assert ledger.reserve(draft, 1_000, by=None) is None
        db.session.add(
            Enrolment(application=draft, activity_id=world.cricket_id, start_on=date(2025, 9, 9))
        )
        db.session.commit()
        approved = row(draft.id)
        assert approved is not None
        assert (approved.status, approved.reserved_kr, approved.days_to_decision) == (
            ApplicationStatus.APPROVED,
            1_000,
            3,
        )
        assert (approved.start_on, approved.days_to_start) == (date(2025, 9, 9), 5)

        # The family moves; the applicant changes language; the child is found to be someone
        # the portal already knew (a merge of persons); the club marks the season's end.
        assert draft.household is not None and draft.participant is not None
        draft.household.postcode = "7120"
        assert draft.applicant is not None
        draft.applicant.preferred_locale = "fa"
        known = Person()
        db.session.add(known)
        db.session.flush()
        draft.participant.person_id = known.id
        assert draft.enrolment is not None
        draft.enrolment.active_at_season_end = True
        db.session.commit()
        moved = row(draft.id)
        assert moved is not None
        assert (moved.postcode, moved.locale, moved.person_id, moved.active_at_season_end) == (
            "7120",
            "fa",
            known.id,
            True,
        )
        assert facts.differences() == []


def test_a_persons_latest_application_gives_the_groups_and_any_approval_counts(
    app: Flask, world: dataset.World
) -> None:
    """Six young people each applied twice in 2025, moving from 7130 to 7100 between the two:
    the later application gives the area; the first was approved, the second declined: they were
    helped. (SQLite and PostgreSQL find "the latest" differently: both are run by CI.)"""
    with app.app_context():
        leisure = db.session.get(Scheme, world.leisure_id)
        assert leisure is not None
        for _ in range(6):
            person = Person()
            for postcode, sent, status in (
                ("7130", date(2025, 2, 3), S.APPROVED),
                ("7100", date(2025, 10, 6), S.REJECTED),
            ):
                application = dataset._application(
                    leisure,
                    person=person,
                    activity_id=world.football_id,
                    born=date(2003, 1, 1),
                    gender=Gender.OTHER,
                    locale="en",
                    postcode=postcode,
                    sent=at(sent),
                    status=status,
                )
                dataset._decide(application, 1)
        db.session.commit()
    with app.test_request_context("/da/staff/reports/"):
        people = build(YEAR, zone="Europe/Copenhagen", locale="da", today=date(2026, 11, 30))
    area = {g.key: (g.applied.text, g.approved.text) for g in people.people.breakdowns[3].groups}
    assert area["7100"] == ("17", "14")  # 11 and 8 before (test_figures.py), 6 and 6 more
    assert area["7130"] == ("< 5", "< 5")  # the woman alone, as before
    assert (people.people.applied, people.people.approved) == (19 + 6, 14 + 6)


def test_the_operators_check_finds_rows_changed_around_the_portal_and_rebuild_mends_them(
    app: Flask, world: dataset.World
) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["reports", "check"]).output == (
        "Every report row matches the tables.\n"
    )
    with app.app_context():
        changed = db.session.execute(
            select(Application.id).where(Application.status == S.SUBMITTED).limit(1)
        ).scalar_one()
        db.session.execute(  # by hand, in SQL: the ORM never sees it
            text("UPDATE application SET status = 'withdrawn' WHERE id = :id"), {"id": changed}
        )
        db.session.commit()
    checked = runner.invoke(args=["reports", "check"])
    assert checked.exit_code == 1
    assert f"1 report rows differ from the tables (application ids {changed})" in checked.output
    rebuilt = runner.invoke(args=["reports", "rebuild"])
    with app.app_context():
        count = db.session.execute(
            select(func.count())
            .select_from(Application)
            .where(Application.submitted_at.is_not(None))
        ).scalar_one()
        assert rebuilt.output == f"{count} report rows written.\n"
        fixed = row(changed)
        assert fixed is not None and fixed.status is ApplicationStatus.WITHDRAWN
    assert runner.invoke(args=["reports", "check"]).exit_code == 0


def _waiting_for_a_lock(connection: Connection) -> bool:
    if connection.dialect.name != "postgresql":
        return True  # SQLite: the second writer waits on the busy timeout; nothing to see
    return bool(
        connection.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar()
    )


def test_two_writers_of_one_applications_row_at_once_both_land(
    app: Flask, world: dataset.World
) -> None:
    """A club confirms the start while a guide records the payment: both transactions write the
    application's report row. The second waits for the first instead of failing on the first's
    new row (PostgreSQL locks the application first; SQLite has one writer at a time)."""
    with app.app_context():
        application_id = db.session.execute(
            select(Application.id).where(Application.status == S.APPROVED).limit(1)
        ).scalar_one()
        engine = db.engine
    errors: list[BaseException] = []
    first = engine.connect()
    first.begin()
    facts.refresh(first, [application_id])

    def second() -> None:
        try:
            with app.app_context(), db.engine.begin() as connection:
                facts.refresh(connection, [application_id])
        except BaseException as error:  # reported by the test below
            errors.append(error)

    thread = threading.Thread(target=second)
    thread.start()
    with engine.connect() as watcher:
        for _ in range(200):  # until the second writer waits (at most 10 s)
            if _waiting_for_a_lock(watcher):
                break
            time.sleep(0.05)
    first.commit()
    first.close()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert errors == []
    with app.app_context():
        assert facts.differences() == []
