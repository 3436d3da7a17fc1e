"""Fixtures: the app, a clean database per test, the test client and the CLI runner.

SQLite (a file in a temporary folder) by default; set ``PORTAL_TEST_DATABASE_URL`` to run the
same tests on PostgreSQL (``make test-pg`` does).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import MetaData, select

from portal import create_app
from portal.applications.models import Application, ReasonKind, ReasonTemplate
from portal.applications.models import ReasonTemplateTranslation as Text
from portal.extensions import db, limiter
from portal.reports import facts
from portal.schemes.models import SchemeKind
from tests.applications.family import Family
from tests.auth.signing_in import Staff, signed_in_guide
from tests.factories import make_activity, make_scheme

TEST_DATABASE_URL = os.environ.get("PORTAL_TEST_DATABASE_URL")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "portal-test.sqlite3")


def make_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    config: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Each request looks whether public content changed (in production a worker looks at
        # most once a second): a test never depends on how quickly it runs.
        "PAGE_CACHE_RECHECK_SECONDS": 0,
    }
    config.update(overrides)
    return config


def drop_everything() -> None:
    """Drop every table the database holds (Alembic's too), not only those these models know:
    a test database left by a newer or older checkout (a table this one has never heard of, with
    a foreign key to one it has) must not stop the run."""
    found = MetaData()
    found.reflect(bind=db.engine)
    found.drop_all(bind=db.engine)


def reset_schema() -> None:
    """An empty schema from the models, recorded as the newest migration (test_migrations.py
    proves the two are the same)."""
    drop_everything()
    db.create_all()
    flask_migrate.stamp()


def dispose(app: Flask) -> None:
    """Close the app's pooled connections (PostgreSQL warns about connections left open)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def upload_folder(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The families' photos in the tests: a temporary folder, never the repository's."""
    return str(tmp_path_factory.mktemp("uploads"))


@pytest.fixture(scope="session")
def app(database_url: str, upload_folder: str) -> Iterator[Flask]:
    app = create_app(make_config(database_url, UPLOAD_FOLDER=upload_folder))
    with app.app_context():
        reset_schema()
    yield app
    dispose(app)


@pytest.fixture
def make_app(database_url: str, upload_folder: str) -> Iterator[Callable[..., Flask]]:
    """Build an extra app with other settings (on the test database unless told otherwise)."""
    made: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        overrides.setdefault("UPLOAD_FOLDER", upload_folder)
        made.append(create_app(make_config(database_url, **overrides)))
        return made[-1]

    yield build
    for extra in made:
        dispose(extra)


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts with empty tables (rows committed by the test are deleted after it)."""
    yield
    if not {"app", "make_app"} & set(request.fixturenames):
        return
    limiter.reset()  # rate limits are counted per test
    if "app" not in request.fixturenames:
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            # Whatever the test did, the report's rows say what the live tables say (DATA-04).
            differing = facts.differences(connection)
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())
    assert differing == [], "report_fact differs from the live tables for these applications"


@pytest.fixture
def app_context(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def htmx_headers() -> dict[str, str]:
    """What htmx 2 sends with an ordinary (not boosted) request."""
    return {"HX-Request": "true", "HX-Current-URL": "http://localhost/da/activities"}


# A case and a guide: the fixtures most staff-side tests start from ------------------------------


@pytest.fixture
def sent(app: Flask) -> str:
    """A family's leisure-pass application for football (1,200 kr), in Arabic; its reference."""
    with app.app_context():
        make_scheme(SchemeKind.LEISURE_PASS, "FP", pool_kr=10_000, cap_kr=2_000)
        reason = ReasonTemplate(code="pool-empty", kind=ReasonKind.DECLINE_APPLICATION)
        reason.translations = [
            Text(locale="da", text="Der er ikke flere penge i puljen i år."),
            Text(locale="ar", text="لم يعد هناك مال في الميزانية هذا العام."),
            Text(locale="en", text="There is no money left in the pool this year."),
        ]
        db.session.add(reason)
        db.session.commit()
        slug = make_activity(min_age=6, max_age=14, fee_kr=1200).slug
    family = Family(app.test_client(), lang="ar")
    family.answer_all(family.start(slug))
    assert family.submit().status_code == 303
    with app.app_context():
        reference = db.session.execute(select(Application.reference)).scalar_one()
    assert reference
    return reference


@pytest.fixture
def guide(app: Flask) -> Staff:
    return signed_in_guide(app)
