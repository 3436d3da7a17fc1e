"""How fast the report answers with 100,000 applications in the database (issue 14: p95 ≤ 500 ms
on SQLite and PostgreSQL).

The same database as bench/queue_latency.py (the demo data, then 100,000 applications from
``portal.volume``, which makes persons of every age, gender, language and postcode, starts,
stops, season-end marks and the ledger's money; then ANALYZE). A signed-in guide asks for the
report through the whole Flask stack (the test client: routing, session, sign-in check, audit
row, the aggregating queries, charts, template) with seven filters, 20 times each after 3
warm-up requests. Reported: p50 and p95 per filter and over all 140, and how many SQL
statements one report runs (the same number whatever the data: nothing is asked per row).

    .venv/bin/python -m bench.report_latency [--count 100000] [--only sqlite|postgresql]

Also printed: each of ``portal.reports.queries``' aggregating queries alone for last year
(in-process, mean of 3 after one warm-up), to show where the time goes, and what keeping the
report's rows (``report_fact``) costs a write: one application's row, and all of them.
"""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import event, select

from bench.queue_latency import databases, table
from portal.applications.models import Application
from portal.catalogue.models import Activity
from portal.extensions import db
from portal.reports import facts, queries
from portal.reports.period import Period, ReportFilters
from tests.auth.signing_in import Staff

ROUNDS, WARM_UP = 20, 3


def ways(app: Flask) -> dict[str, str]:
    last_year = date.today().year - 1
    with app.app_context():
        activity_id, association_id = db.session.execute(
            select(Activity.id, Activity.association_id).order_by(Activity.id)
        ).first() or (0, 0)
    return {
        "this year (default)": "/da/staff/reports/",
        "last year": f"/da/staff/reports/?year={last_year}",
        "last season": f"/da/staff/reports/?year={last_year}&period=season",
        "one scheme": f"/da/staff/reports/?year={last_year}&scheme=1",
        "one activity": f"/da/staff/reports/?year={last_year}&activity={activity_id}",
        "one association": f"/da/staff/reports/?year={last_year}&association={association_id}",
        "last year, in Arabic": f"/ar/staff/reports/?year={last_year}",
    }


def statements(app: Flask, staff: Staff, url: str) -> int:
    count = 0

    def seen(*_args: Any) -> None:
        nonlocal count
        count += 1

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        staff.client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    return count


def measure(app: Flask) -> tuple[dict[str, list[float]], int]:
    staff = Staff(app.test_client(), lang="da")
    staff.sign_in()
    results: dict[str, list[float]] = {}
    for name, url in ways(app).items():
        for _ in range(WARM_UP):
            staff.client.get(url)
        timings = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            response = staff.client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        results[name] = timings
    return results, statements(app, staff, "/da/staff/reports/")


def each_query(app: Flask) -> dict[str, float]:
    """Milliseconds per aggregating query, last year, no filter."""
    filters, zone = ReportFilters(Period(date.today().year - 1)), "Europe/Copenhagen"
    timings: dict[str, float] = {}
    with app.test_request_context("/da/staff/reports/"):
        names = queries.Names("da", "-", "-")
        calls: dict[str, Any] = {
            "money": lambda: queries.money(filters, zone, names),
            "declines": lambda: queries.declines(filters, zone, "da"),
            "people": lambda: queries.people(filters, zone, date.today(), ("da", "ar", "en")),
            "starts": lambda: queries.starts(filters, zone, names),
            "days": lambda: queries.days(filters, zone),
            "criteria": lambda: queries.criteria(filters, zone, "da", {}),
            "months": lambda: queries.months(filters, zone),
        }
        for name, call in calls.items():
            call()
            started = time.perf_counter()
            for _ in range(3):
                call()
            timings[name] = (time.perf_counter() - started) / 3 * 1000
    return timings


def writing(app: Flask) -> tuple[float, float]:
    """What keeping the report's rows costs: one application's row written again (as a flush
    that changes it does; mean of 50, rolled back) and the whole table (``flask reports
    rebuild``), in milliseconds."""
    with app.app_context():
        ids = list(db.session.execute(select(Application.id).limit(50)).scalars())
        connection = db.session.connection()
        started = time.perf_counter()
        for application_id in ids:
            facts.refresh(connection, [application_id])
        one = (time.perf_counter() - started) / len(ids) * 1000
        started = time.perf_counter()
        facts.rebuild(connection)
        everything = (time.perf_counter() - started) * 1000
        db.session.rollback()
    return one, everything


def main() -> None:
    for _name, app in databases():
        results, count = measure(app)
        print(f"SQL statements per report request: {count}")
        table("report", results)
        alone = ", ".join(f"{name} {ms:.0f} ms" for name, ms in each_query(app).items())
        print(f"\neach query alone (last year): {alone}")
        one, everything = writing(app)
        print(f"report rows: one application's row {one:.1f} ms, all of them {everything:.0f} ms")


if __name__ == "__main__":
    main()
