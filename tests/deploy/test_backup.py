"""Backups that restore (issue 15): a backup of a database with families' applications, a
photo and money in the ledger, restored into an empty database, holds every application, the
photo's bytes and the same ledger sums. On SQLite (the online backup API) and PostgreSQL
(pg_dump / pg_restore into a new database), whichever this run uses."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.applications import uploads
from portal.applications.models import Application, UploadData
from portal.extensions import db
from portal.schemes.models import LedgerEntry
from tests.auth.signing_in import Staff
from tests.conftest import TEST_DATABASE_URL, dispose, make_config
from tests.review.cases import approve

PHOTO = b"\xff\xd8 a receipt"


def _facts() -> tuple[list[str], int, list[bytes]]:
    references = sorted(r for r in db.session.execute(select(Application.reference)).scalars() if r)
    ledger = db.session.execute(select(func.sum(LedgerEntry.amount_kr))).scalar_one()
    photos = list(db.session.execute(select(UploadData.data)).scalars())
    return references, int(ledger or 0), photos


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A new, empty database of the same kind as the test database."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"restore_{secrets.token_hex(4)}"
    admin = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(TEST_DATABASE_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_a_backup_restores_into_an_empty_database(
    app: Flask,
    sent: str,
    guide: Staff,
    runner: FlaskCliRunner,
    tmp_path: Path,
    empty_database: str,
) -> None:
    approve(guide, sent)
    with app.app_context():
        application = db.session.execute(select(Application)).scalar_one()
        uploads.store(application, uploads.Cleaned(PHOTO, "image/jpeg", "jpg", None), "k.jpg")
        db.session.commit()
        before = _facts()
    assert before[1] == 1200 and before[2] == [PHOTO]

    backup = tmp_path / "portal.backup"
    created = runner.invoke(args=["backup", "create", str(backup)])
    assert created.exit_code == 0, created.output
    assert backup.stat().st_size > 0

    restored_app = create_app(make_config(empty_database))
    try:
        restore = restored_app.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
        assert restore.exit_code == 0, restore.output
        with restored_app.app_context():
            assert _facts() == before  # every application, the photo, the same ledger sum
        # A second restore into the now full database is refused: never two states mixed.
        again = restored_app.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
        assert again.exit_code != 0 and "not empty" in again.output
    finally:
        dispose(restored_app)
