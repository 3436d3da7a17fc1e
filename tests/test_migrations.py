"""Alembic migrations create exactly the schema the models describe (DATA-20)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect, text

from portal.extensions import db
from portal.reports import facts
from tests.conftest import drop_everything, reset_schema


@pytest.fixture
def empty_database(app: Flask) -> Iterator[None]:
    """An empty database for the migrations to build; the test schema is restored after."""
    with app.app_context():
        db.session.remove()
        drop_everything()
        yield
        db.session.remove()
        flask_migrate.downgrade(revision="base")
        reset_schema()


def test_upgrade_head_matches_the_models_and_downgrade_removes_everything(
    empty_database: None,
) -> None:
    """DATA-20: upgrade → compare with the models → downgrade → upgrade again."""
    flask_migrate.upgrade()
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []

    flask_migrate.downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}

    flask_migrate.upgrade()
    tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables


def test_people_migration_keeps_every_kroner_per_person(empty_database: None) -> None:
    """DATA-20, issue 12: 0010 makes a person of each sent application's participant and
    rebuilds the cap's running totals from the ledger, keyed on the person; back down, the
    totals are per participant again."""
    flask_migrate.upgrade(revision="0009")
    rows = [
        "INSERT INTO household (id, token, created_at, updated_at) VALUES (1, 'h1', :now, :now)",
        "INSERT INTO participant (id, household_id, first_name, last_name, created_at, updated_at) "
        "VALUES (1, 1, 'Layla', 'Ahmed', :now, :now), (2, 1, 'Omar', 'Ahmed', :now, :now)",
        "INSERT INTO applicant (id, household_id, preferred_locale, created_at, updated_at) "
        "VALUES (1, 1, 'ar', :now, :now)",
        "INSERT INTO scheme (id, code, kind, reference_prefix, is_active, created_at, updated_at) "
        "VALUES (1, 'equipment', 'equipment', 'UD', true, :now, :now)",
        "INSERT INTO scheme_year (id, scheme_id, year, pool_kr, cap_per_person_kr, reserved_kr, "
        "paid_kr) VALUES (1, 1, 2026, 10000, 500, 200, 300)",
        # One sent (approved, 300 kr of 500 paid) and one draft, for two children.
        "INSERT INTO application (id, token, kind, status, household_id, applicant_id, "
        "participant_id, age_exception, gender_exception, waiting_list_ok, "
        "share_contact_with_club, version, created_at, updated_at) VALUES "
        "(1, 't1', 'equipment', 'approved', 1, 1, 1, false, false, false, false, 1, :now, :now),"
        "(2, 't2', 'equipment', 'draft', 1, 1, 2, false, false, false, false, 1, :now, :now)",
        "INSERT INTO ledger_entry (id, scheme_year_id, application_id, participant_id, kind, "
        "amount_kr, created_at) VALUES (1, 1, 1, 1, 'reserve', 500, :now), "
        "(2, 1, 1, 1, 'pay', 300, :now)",
        "INSERT INTO person_year (scheme_year_id, participant_id, reserved_kr, paid_kr) "
        "VALUES (1, 1, 200, 300)",
    ]
    with db.engine.begin() as connection:
        for row in rows:
            connection.execute(text(row), {"now": datetime(2026, 11, 30, 12)})

    flask_migrate.upgrade(revision="0010")
    with db.engine.connect() as connection:
        people = connection.execute(text("SELECT id, person_id FROM participant ORDER BY id"))
        assert list(people) == [(1, 1), (2, None)]  # the draft's child is nobody's person yet
        totals = connection.execute(
            text("SELECT person_id, reserved_kr, paid_kr FROM person_year")
        ).all()
        assert totals == [(1, 200, 300)]

    flask_migrate.downgrade(revision="0009")
    with db.engine.connect() as connection:
        totals = connection.execute(
            text("SELECT participant_id, reserved_kr, paid_kr FROM person_year")
        ).all()
        assert totals == [(1, 200, 300)]
    with db.engine.begin() as connection:  # older downgrades expect no families' rows
        for table in ("person_year", "ledger_entry", "application", "scheme_year", "scheme"):
            connection.execute(text("DELETE FROM " + table))  # noqa: S608 - fixed names
        for table in ("applicant", "participant", "household"):
            connection.execute(text("DELETE FROM " + table))  # noqa: S608 - fixed names


def test_uploads_move_into_the_database_and_back(
    empty_database: None, app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0011: the files under the uploads folder are read into the database (every app server
    reads them there); a missing file is counted, not fatal; downgrading writes them back."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path))
    flask_migrate.upgrade(revision="0010")
    (tmp_path / "abc.jpg").write_bytes(b"\xff\xd8 photo")
    (tmp_path / "abc.thumb.jpg").write_bytes(b"\xff\xd8 preview")
    rows = [
        "INSERT INTO household (id, token, created_at, updated_at) VALUES (1, 'h1', :now, :now)",
        "INSERT INTO application (id, token, kind, status, household_id, age_exception, "
        "gender_exception, waiting_list_ok, share_contact_with_club, version, created_at, "
        "updated_at) VALUES (1, 't1', 'equipment', 'submitted', 1, false, false, false, false, "
        "1, :now, :now)",
        "INSERT INTO upload (id, token, application_id, stored_name, content_type, size_bytes, "
        "original_name, created_at) VALUES (1, 'u1', 1, 'abc.jpg', 'image/jpeg', 8, "
        "'kvittering.jpg', :now), (2, 'u2', 1, 'gone.pdf', 'application/pdf', 9, 'a.pdf', :now)",
    ]
    with db.engine.begin() as connection:
        for row in rows:
            connection.execute(text(row), {"now": datetime(2026, 11, 30, 12)})
    flask_migrate.upgrade(revision="0011")
    with db.engine.connect() as connection:
        moved = connection.execute(text("SELECT upload_id, data, thumbnail FROM upload_data"))
        assert list(moved) == [(1, b"\xff\xd8 photo", b"\xff\xd8 preview")]
    for name in ("abc.jpg", "abc.thumb.jpg"):
        (tmp_path / name).unlink()
    flask_migrate.downgrade(revision="0010")
    assert (tmp_path / "abc.jpg").read_bytes() == b"\xff\xd8 photo"
    assert (tmp_path / "abc.thumb.jpg").read_bytes() == b"\xff\xd8 preview"
    with db.engine.begin() as connection:  # older downgrades expect no families' rows
        for table in ("upload", "application", "household"):
            connection.execute(text("DELETE FROM " + table))  # noqa: S608 - fixed names


def test_report_rows_are_filled_from_what_was_there(empty_database: None) -> None:
    """0016 (issue 14): the report's table is filled from the applications already sent, with
    the same values the portal would have written (the ledger's sums, the days to the
    decision); a draft gets no row; back down, the table is gone."""
    flask_migrate.upgrade(revision="0015")
    rows = [
        "INSERT INTO household (id, token, postcode, created_at, updated_at) "
        "VALUES (1, 'h1', '7100', :now, :now)",
        "INSERT INTO person (id, created_at) VALUES (1, :now)",
        "INSERT INTO participant (id, household_id, person_id, first_name, last_name, birth_on, "
        "gender, created_at, updated_at) "
        "VALUES (1, 1, 1, 'Layla', 'Ahmed', '2014-03-01', 'female', :now, :now)",
        "INSERT INTO applicant (id, household_id, preferred_locale, created_at, updated_at) "
        "VALUES (1, 1, 'ar', :now, :now)",
        "INSERT INTO scheme (id, code, kind, reference_prefix, is_active, created_at, updated_at) "
        "VALUES (1, 'equipment', 'equipment', 'UD', true, :now, :now)",
        "INSERT INTO scheme_year (id, scheme_id, year, pool_kr, cap_per_person_kr, reserved_kr, "
        "paid_kr) VALUES (1, 1, 2026, 10000, 500, 200, 300)",
        "INSERT INTO application (id, token, kind, status, scheme_id, household_id, applicant_id, "
        "participant_id, age_exception, gender_exception, waiting_list_ok, "
        "share_contact_with_club, version, created_at, updated_at, submitted_at, decided_at) "
        "VALUES (1, 't1', 'equipment', 'approved', 1, 1, 1, 1, false, false, false, false, 1, "
        ":now, :now, '2026-03-02 09:00:00', '2026-03-05 08:00:00'),"
        "(2, 't2', 'equipment', 'draft', 1, 1, 1, 1, false, false, false, false, 1, :now, :now, "
        "NULL, NULL)",
        "INSERT INTO ledger_entry (id, scheme_year_id, application_id, participant_id, kind, "
        "amount_kr, created_at) VALUES (1, 1, 1, 1, 'reserve', 500, :now), "
        "(2, 1, 1, 1, 'pay', 300, :now)",
    ]
    with db.engine.begin() as connection:
        for row in rows:
            connection.execute(text(row), {"now": datetime(2026, 11, 30, 12)})

    flask_migrate.upgrade(revision="0016")
    with db.engine.connect() as connection:
        filled = connection.execute(
            text(
                "SELECT application_id, status, person_id, gender, locale, postcode, "
                "reserved_kr, paid_kr, released_kr, days_to_decision FROM report_fact"
            )
        ).all()
        assert filled == [(1, "approved", 1, "female", "ar", "7100", 500, 300, 0, 2)]
        assert facts.differences(connection) == []  # what the portal itself would write

    flask_migrate.downgrade(revision="0015")
    assert "report_fact" not in inspect(db.engine).get_table_names()
    with db.engine.begin() as connection:  # older downgrades expect no families' rows
        for table in ("ledger_entry", "application", "scheme_year", "scheme", "applicant"):
            connection.execute(text("DELETE FROM " + table))  # noqa: S608 - fixed names
        for table in ("participant", "person", "household"):
            connection.execute(text("DELETE FROM " + table))  # noqa: S608 - fixed names
