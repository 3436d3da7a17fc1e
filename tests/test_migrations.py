"""Alembic migrations create exactly the schema the models describe (DATA-20)."""

from __future__ import annotations

from collections.abc import Iterator

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect

from portal.extensions import db
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
