"""How fast the guides' queue answers with 100,000 applications in the database.

For each database (SQLite in a temporary file; PostgreSQL in a database of its own, ``bench``,
made if missing on 127.0.0.1:5432): an empty schema, the demo data, then 100,000 applications
from ``portal.volume`` (what ``flask generate-applications`` runs). A signed-in guide then asks
for the queue through the whole Flask stack (the test client: routing, session, sign-in check,
audit row, query, template, compression off) in seven ways, 40 times each, after 5 warm-up
requests. Reported: p50 and p95 per way, and p95 over all 240.

    .venv/bin/python -m bench.queue_latency [--count 100000] [--only sqlite|postgresql]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from collections.abc import Iterator

import psycopg
from flask import Flask
from sqlalchemy import select

from portal import create_app
from portal.applications.models import Applicant
from portal.demo import load_demo_data
from portal.extensions import db
from portal.volume import generate
from tests.auth.signing_in import Staff, make_staff
from tests.conftest import drop_everything, make_config

POSTGRES = "postgresql+psycopg://127.0.0.1:5432/bench"
ROUNDS, WARM_UP = 40, 5


def postgres_database() -> str:
    with psycopg.connect("host=127.0.0.1 port=5432 dbname=postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'bench'").fetchone()
        if not found:
            conn.execute("CREATE DATABASE bench")
    return POSTGRES


def build(url: str, count: int) -> tuple[Flask, float]:
    app = create_app(make_config(url, UPLOAD_FOLDER=tempfile.mkdtemp()))
    with app.app_context():
        drop_everything()
        db.create_all()
        load_demo_data()
        make_staff()
        started = time.perf_counter()
        generate(count, progress=lambda n: None)
        seconds = time.perf_counter() - started
        with db.engine.connect() as connection:  # fresh statistics, as autovacuum would give
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
    return app, seconds


def ways(staff: Staff, phone: str) -> dict[str, str]:
    """The seven queue requests; the last one is page 2 of a long list (a keyset cursor)."""
    first = staff.get("/da/staff/?waiting=&status=closed").get_data(as_text=True)
    cursor = re.search(r'href="([^"]+after=[^"]+)"', first)
    assert cursor, "the closed list has a second page"
    return {
        "new applications (default)": "/da/staff/",
        "everything, newest first": "/da/staff/?waiting=&sort=newest",
        "search a name": "/da/staff/?waiting=&q=amira",
        "search a whole phone number": f"/da/staff/?waiting=&q={phone[3:]}",
        "search 4 digits of a phone number": "/da/staff/?waiting=&q=2012",
        "language + age band": "/da/staff/?waiting=&language=ar&age=10-13",
        "closed, page 2": cursor.group(1).replace("&amp;", "&"),
    }


def measure(app: Flask) -> dict[str, list[float]]:
    staff = Staff(app.test_client(), lang="da")
    staff.sign_in()
    with app.app_context():
        phone = (
            db.session.execute(
                select(Applicant.phone)
                .where(Applicant.phone.is_not(None))
                .order_by(Applicant.id.desc())
            )
            .scalars()
            .first()
        )
    assert phone
    results: dict[str, list[float]] = {}
    for name, url in ways(staff, phone).items():
        for _ in range(WARM_UP):
            staff.client.get(url)
        timings = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            response = staff.client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        results[name] = timings
    return results


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def databases() -> Iterator[tuple[str, Flask]]:
    """``--count`` and ``--only`` from the command line; for each database, the app on a new
    database with the demo data and the generated applications (disposed after use)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    targets = {
        "sqlite": lambda: f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3",
        "postgresql": postgres_database,
    }
    for name, url in targets.items():
        if args.only and name != args.only:
            continue
        app, seconds = build(url(), args.count)
        print(f"\n{name}: {args.count:,} applications generated in {seconds:.0f} s")
        yield name, app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def table(what: str, results: dict[str, list[float]]) -> None:
    """p50 and p95 per way of asking, and over all requests, as a Markdown table."""
    print(f"| {what} | p50 | p95 |\n| --- | --- | --- |")
    for way, timings in results.items():
        print(f"| {way} | {statistics.median(timings):.0f} ms | {p95(timings):.0f} ms |")
    everything = [t for timings in results.values() for t in timings]
    print(f"| **all {len(everything)} requests** | {statistics.median(everything):.0f} ms "
          f"| **{p95(everything):.0f} ms** |")  # fmt: skip


def main() -> None:
    for _name, app in databases():
        table("request", measure(app))


if __name__ == "__main__":
    main()
