"""`flask generate-applications` makes what the report needs to be measured at scale: persons of
every age band, gender, language and postcode, starts, stops and season-end marks, and money in
the ledger, with the pools' and persons' totals equal to the ledger's (DATA-04)."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import case, func, select

from portal.applications.models import Application, Household
from portal.demo import load_demo_data
from portal.extensions import db
from portal.people.models import Person
from portal.reports.period import Period, ReportFilters
from portal.reports.report import build
from portal.schemes.models import LedgerEntry, LedgerKind, PersonYear, SchemeYear
from portal.volume import generate
from portal.workflow import ApplicationKind


def test_generated_applications_fill_every_part_of_the_report(app: Flask) -> None:
    with app.app_context():
        load_demo_data()
        generate(3_000, batch=1_000, progress=lambda n: None)
        year = date.today().year - 1
    with app.test_request_context("/da/staff/reports/"):
        report = build(
            ReportFilters(Period(year)), zone="Europe/Copenhagen", locale="da", today=date.today()
        )
        people = {b.key: b for b in report.people.breakdowns}
        assert report.people.applied > 1_000
        for key in ("age", "gender", "language"):
            assert all(g.applied.count > 0 for g in people[key].groups), key
        assert len(people["area"].groups) >= 7
        assert sum(r.started for r in report.starts) > 100
        assert sum(r.still_coming for r in report.starts) > 50
        assert sum(r.stopped for r in report.starts) > 10
        assert sum(r.waiting_for_club for r in report.starts) > 10
        assert report.days_to_decision.count > 500 and report.days_to_start.count > 100
        assert sum(s.total.paid_kr for s in report.money) > 0
        assert sum(s.total.returned_kr for s in report.money) > 0


def test_a_family_can_apply_after_generating(app: Flask) -> None:
    """The generated rows carry their own ids: on PostgreSQL the id sequences must be moved
    past them, or the next family's household collides (found by the deployment check)."""
    with app.app_context():
        load_demo_data()  # which generates the demo's history
        generate(50, progress=lambda n: None)
        household = Household(postcode="7100")
        application = Application(kind=ApplicationKind.LEISURE_PASS, household=household)
        db.session.add_all([Person(), household, application])
        db.session.commit()
        assert application.id > 0


def test_the_ledger_and_the_totals_agree_after_generating(app: Flask) -> None:
    with app.app_context():
        load_demo_data()
        generate(1_500, batch=500, progress=lambda n: None)
        signed = func.coalesce(
            func.sum(
                case(
                    (LedgerEntry.kind == LedgerKind.RESERVE, LedgerEntry.amount_kr),
                    else_=-LedgerEntry.amount_kr,
                )
            ),
            0,
        )
        paid = func.coalesce(
            func.sum(case((LedgerEntry.kind == LedgerKind.PAY, LedgerEntry.amount_kr), else_=0)),
            0,
        )
        ledger = {
            year_id: (int(r), int(p))
            for year_id, r, p in db.session.execute(
                select(LedgerEntry.scheme_year_id, signed, paid).group_by(
                    LedgerEntry.scheme_year_id
                )
            )
        }
        years = db.session.execute(select(SchemeYear)).scalars().all()
        assert len(ledger) >= 3
        for year in years:
            assert (year.reserved_kr, year.paid_kr) == ledger.get(year.id, (0, 0))
            assert year.reserved_kr + year.paid_kr <= year.pool_kr
        persons = db.session.execute(
            select(func.sum(PersonYear.reserved_kr), func.sum(PersonYear.paid_kr))
        ).one()
        assert (int(persons[0]), int(persons[1])) == (
            sum(r for r, _p in ledger.values()),
            sum(p for _r, p in ledger.values()),
        )
