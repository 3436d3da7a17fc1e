"""The report's figures against a hand-made year whose every number is known
(tests/reports/dataset.py), on SQLite and PostgreSQL (``make test-pg``).

Groups under 5 persons are hidden, and no hidden group can be worked out by
subtracting the shown ones from the total."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from portal.reports import queries
from portal.reports.period import Period, ReportFilters
from portal.reports.report import Report, build
from portal.reports.suppression import SMALL, Hidden
from tests.reports import dataset

ZONE = "Europe/Copenhagen"
TODAY = date(2026, 11, 30)


@pytest.fixture
def world(app: Flask) -> dataset.World:
    with app.app_context():
        return dataset.build()


def report(app: Flask, filters: ReportFilters, locale: str = "da") -> Report:
    with app.test_request_context(f"/{locale}/staff/reports/"):
        return build(filters, zone=ZONE, locale=locale, today=TODAY)


YEAR = ReportFilters(Period(2025))


def test_money_per_scheme_and_activity(app: Flask, world: dataset.World) -> None:
    money = {s.total.name: s for s in report(app, YEAR).money}
    leisure, equipment = money["Fritidspas"].total, money["Udstyr"].total
    assert (
        leisure.pool_kr,
        leisure.approved_kr,
        leisure.paid_kr,
        leisure.returned_kr,
        leisure.reserved_kr,
        leisure.left_kr,
    ) == (100_000, 9_500, 5_000, 1_000, 3_500, 91_500)
    assert (
        equipment.pool_kr,
        equipment.approved_kr,
        equipment.paid_kr,
        equipment.returned_kr,
        equipment.reserved_kr,
        equipment.left_kr,
    ) == (10_000, 500, 300, 0, 200, 9_500)
    activities = {row.name: row for row in money["Fritidspas"].activities}
    cricket, football = activities["Pigecricket"], activities["Fodbold"]
    assert (cricket.approved_kr, cricket.paid_kr, cricket.returned_kr, cricket.reserved_kr) == (
        6_000,
        4_000,
        1_000,
        1_000,
    )
    assert (football.approved_kr, football.paid_kr, football.reserved_kr) == (3_500, 1_000, 2_500)
    assert (
        leisure.applications,
        leisure.approvals,
        leisure.declines,
        leisure.withdrawals,
        leisure.expired,
    ) == (18, 13, 3, 1, 0)
    assert (cricket.applications, cricket.approvals, cricket.declines) == (9, 6, 1)
    assert (equipment.applications, equipment.approvals) == (2, 2)
    declines = {d.reason: d.count for d in report(app, YEAR).declines}
    assert declines == {"Bor ikke i kommunen (da)": 2, "Ingen penge (da)": 1}


def test_the_pool_matches_the_ledger_of_the_budget_year(app: Flask, world: dataset.World) -> None:
    """DATA-01: what the report says is left is what the pool says is left."""
    from portal.extensions import db
    from portal.schemes.models import SchemeYear

    with app.app_context():
        years = {y.scheme_id: y for y in db.session.query(SchemeYear).all()}
    for scheme in report(app, YEAR).money:
        year = years[scheme.scheme_id]
        assert scheme.total.reserved_kr == year.reserved_kr
        assert scheme.total.paid_kr == year.paid_kr
        assert scheme.total.left_kr == year.pool_kr - year.reserved_kr - year.paid_kr


def test_persons_are_counted_once_with_small_groups_hidden(
    app: Flask, world: dataset.World
) -> None:
    people = report(app, YEAR).people
    assert (people.applied, people.approved) == (19, 14)  # the first girl applied twice
    shown = {
        b.key: {g.key: (g.applied.text, g.approved.text) for g in b.groups}
        for b in people.breakdowns
    }
    assert shown["age"] == {
        "0-5": ("< 5", "< 5"),
        "6-9": ("–", "–"),
        "10-12": ("9", "6"),
        "13-15": ("< 5", "< 5"),
        "16-17": ("< 5", "< 5"),
        "18-24": ("< 5", "< 5"),
        "25-": ("< 5", "< 5"),
    }
    assert shown["gender"] == {"female": ("12", "9"), "male": ("7", "5"), "other": ("< 5", "< 5")}
    assert shown["language"] == {
        "da": ("–", "–"),
        "ar": ("9", "6"),
        "en": ("< 5", "< 5"),
        "so": ("< 5", "< 5"),
    }
    assert shown["area"] == {"7100": ("11", "8"), "7120": ("–", "–"), "7130": ("< 5", "< 5")}
    girls = next(
        g for b in people.breakdowns if b.key == "gender" for g in b.groups if g.key == "female"
    )
    assert girls.applied_share == pytest.approx(12 / 19)
    assert girls.approved_share == pytest.approx(9 / 14)


def test_no_hidden_group_can_be_worked_out_by_subtraction(app: Flask, world: dataset.World) -> None:
    """Total minus the shown groups gives the sum of two or more hidden groups, and at
    least 5 persons (or nobody at all), never the number of one small group."""
    people = report(app, YEAR).people
    for breakdown in people.breakdowns:
        for column, total in (("applied", people.applied), ("approved", people.approved)):
            cells = [getattr(g, column) for g in breakdown.groups]
            hidden = [c for c in cells if not c.shown]
            assert sum(c.count for c in cells) == total
            if not hidden:
                continue
            derivable = total - sum(c.count for c in cells if c.shown)
            assert derivable == 0 or (len(hidden) >= 2 and derivable >= SMALL), (
                breakdown.key,
                column,
            )
            assert all(c.count < SMALL for c in hidden if c.hidden is Hidden.SMALL)
            assert all(c.text in ("< 5", "–") for c in hidden)


def test_did_they_start_did_they_stay(app: Flask, world: dataset.World) -> None:
    r = report(app, YEAR)
    rows = {row.activity: row for row in r.starts}
    cricket, football = rows["Pigecricket"], rows["Fodbold"]
    assert (
        cricket.association,
        cricket.approved,
        cricket.started,
        cricket.still_coming,
        cricket.stopped,
        cricket.not_marked,
        cricket.waiting_for_club,
    ) == ("Vejle Cricket Klub", 6, 4, 3, 1, 0, 1)
    assert (
        football.approved,
        football.started,
        football.still_coming,
        football.stopped,
        football.not_marked,
        football.waiting_for_club,
    ) == (7, 4, 2, 0, 2, 3)
    # Decisions: 2×1 day, 7×2, 7×4, 2×10 → median 2, 90 % within 10.
    assert r.days_to_decision == queries.Days(18, 2, 10)
    # Starts: 4×7 days, 2×14, 2×21 → median 7, 90 % within 21.
    assert r.days_to_start == queries.Days(8, 7, 21)
    assert [(u.association, u.count) for u in r.unanswered] == [
        ("Vejle Cricket Klub", 1),
        ("Boldklubben", 3),
    ]


def test_success_criteria_with_progress(app: Flask, world: dataset.World) -> None:
    criteria = {c.scheme: c for c in report(app, YEAR).criteria}
    leisure, equipment = criteria["Fritidspas"], criteria["Udstyr"]
    assert (leisure.sentence, leisure.target, leisure.helped, leisure.started, leisure.teams) == (
        "20 børn får et fritidspas",
        20,
        13,
        8,
        2,
    )
    assert (equipment.target, equipment.helped, equipment.started, equipment.teams) == (5, 2, 0, 0)


def test_applications_and_approvals_per_month_against_the_year_before(
    app: Flask, world: dataset.World
) -> None:
    months = report(app, YEAR).months
    assert months.firsts[0] == date(2025, 1, 1) and len(months.firsts) == 12
    assert months.applications == [0, 0, 9, 9, 2, 0, 0, 0, 0, 0, 0, 0]
    assert months.approvals == [0, 0, 6, 7, 2, 0, 0, 0, 0, 0, 0, 0]
    assert months.applications_before == [0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert months.approvals_before == [0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]


def test_filters_season_activity_and_association(app: Flask, world: dataset.World) -> None:
    season = report(app, ReportFilters(Period(2024, season=True)))
    assert season.people.applied == 19  # August 2024 to June 2025: not March 2024's
    assert [m.month for m in season.months.firsts] == [8, 9, 10, 11, 12, 1, 2, 3, 4, 5, 6]
    assert all(s.total.pool_kr is None for s in season.money)  # a pool is per budget year

    cricket = report(app, ReportFilters(Period(2025), activity_id=world.cricket_id))
    assert cricket.people.applied == 9
    assert [s.total.name for s in cricket.money] == ["Fritidspas"]
    assert cricket.money[0].total.approved_kr == 6_000

    club = report(app, ReportFilters(Period(2025), association_id=world.football_club_id))
    assert (club.people.applied, club.people.approved) == (9, 7)
    scheme = report(app, ReportFilters(Period(2025), scheme_id=world.equipment_id))
    assert (scheme.people.applied, scheme.money[0].total.paid_kr) == (2, 300)
    assert [c.scheme for c in scheme.criteria] == ["Udstyr"]


def test_labels_in_the_readers_language(app: Flask, world: dataset.World) -> None:
    r = report(app, YEAR, "ar")
    assert {s.total.name for s in r.money} == {"Fritidspas (ar)", "Udstyr (ar)"}
    assert r.group_label("language", "da") == "الدانمركية"
    assert r.charts["money"].rects[0].x > 0  # mirrored: bars grow from the right
