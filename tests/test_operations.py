"""Health check, error pages, configuration from the environment, and the demo data."""

from __future__ import annotations

from collections.abc import Callable

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select, text

from portal.config import ConfigurationError
from portal.extensions import db
from tests.pages import get_page


def test_healthz_reports_the_database(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["reachable"] is True
    assert body["rate_limits"] == {"storage": "memory", "reachable": True}
    assert body["outbox"] == {"pending": 0, "oldest_pending_seconds": 0, "failed": 0}


def test_healthz_reports_the_outbox_backlog(app: Flask, client: FlaskClient) -> None:
    """Issue 13: the operator sees messages waiting (and for how long) and given up on."""
    from datetime import timedelta

    from portal.db import utcnow
    from portal.outbox.models import Channel, OutboxMessage, OutboxStatus

    with app.app_context():
        an_hour_ago = utcnow() - timedelta(hours=1)
        for status, created in ((OutboxStatus.PENDING, an_hour_ago),
                                (OutboxStatus.PENDING, utcnow()),
                                (OutboxStatus.FAILED, an_hour_ago)):  # fmt: skip
            db.session.add(
                OutboxMessage(
                    template="application_received", locale="da", channel=Channel.EMAIL,
                    recipient="a@example.org", subject="s", body="b", status=status,
                    created_at=created,
                )
            )  # fmt: skip
        db.session.commit()
    outbox = client.get("/healthz").get_json()["outbox"]
    assert outbox["pending"] == 2 and outbox["failed"] == 1
    assert 3500 <= outbox["oldest_pending_seconds"] <= 3700


def test_a_database_that_is_away_is_try_again_not_a_500(make_app: Callable[..., Flask]) -> None:
    """Issue 13, defect 8: while PostgreSQL restarted, requests answered 500. Now: 503 with
    Retry-After, in the page's language (here: nothing listens on the port at all)."""
    down = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://127.0.0.1:1/none")
    for path in ("/ar/activities", "/da/"):
        response = down.test_client().get(path)
        assert response.status_code == 503, path
        assert response.headers["Retry-After"] == "10"
    page = get_page(down.test_client(), "/ar/activities", status=503)
    assert page.h1 == "نحن مشغولون الآن"


def test_a_database_that_stays_locked_is_try_again_not_a_500(
    make_app: Callable[..., Flask],
) -> None:
    """Issue 13, defect 6: SQLite answered 500 ("database is locked") when a write waited past
    the busy timeout in a burst. Now the visitor is asked to try again (503)."""
    from sqlalchemy.exc import OperationalError

    app = make_app()

    @app.get("/<lang:lang>/locked")
    def locked() -> str:
        raise OperationalError("UPDATE …", {}, Exception("database is locked"))

    page = get_page(app.test_client(), "/da/locked", status=503)
    assert page.h1 == "Vi har travlt lige nu"


def test_healthz_says_when_the_schema_is_not_migrated(app: Flask, client: FlaskClient) -> None:
    with app.app_context():
        db.session.execute(text("UPDATE alembic_version SET version_num = 'older'"))
        db.session.commit()
    try:
        response = client.get("/healthz")
        assert response.status_code == 503
        database = response.get_json()["database"]
        assert (database["revision"], database["up_to_date"]) == ("older", False)
    finally:
        with app.app_context():
            flask_migrate.stamp(revision="head", purge=True)


def test_healthz_is_503_when_the_database_is_down(make_app: Callable[..., Flask]) -> None:
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://127.0.0.1:1/none")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": {"reachable": False}}


def test_server_error_page_is_friendly_and_translated(make_app: Callable[..., Flask]) -> None:
    app = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/<lang:lang>/boom")
    def boom() -> str:
        raise RuntimeError("broken")

    page = get_page(app.test_client(), "/ar/boom", status=500)
    assert page.h1 == "عذرًا، حدث خطأ من جهتنا"
    assert "broken" not in page.text()


def test_a_wrong_method_gets_a_friendly_page(client: FlaskClient) -> None:
    response = client.post("/da/activities")
    assert response.status_code == 405
    assert "Siden kan ikke bruges på den måde" in response.get_data(as_text=True)


def test_settings_come_from_portal_environment_variables(
    monkeypatch: pytest.MonkeyPatch, make_app: Callable[..., Flask]
) -> None:
    monkeypatch.setenv("PORTAL_MUNICIPALITY_NAME", "Testrup Kommune")
    monkeypatch.setenv("PORTAL_LOCALES", "da,en")
    app = make_app()
    assert app.config["LOCALES"] == ("da", "en")
    page = get_page(app.test_client(), "/da/privacy")
    assert "Testrup Kommune" in page.text()
    assert app.test_client().get("/ar/privacy").status_code == 404


def test_default_locale_must_be_offered(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(ConfigurationError, match="PORTAL_DEFAULT_LOCALE"):
        make_app(DEFAULT_LOCALE="fr")


def test_seed_demo_loads_once(app: Flask, runner: FlaskCliRunner) -> None:
    from portal.catalogue.models import Activity, ActivityTranslation, Association
    from portal.schemes.models import Scheme, SchemeYear

    result = runner.invoke(args=["seed-demo"])
    assert "25 activities" in result.output
    again = runner.invoke(args=["seed-demo"])
    assert "not loaded" in again.output

    with app.app_context():
        count = lambda model: db.session.execute(select(func.count()).select_from(model)).scalar()  # noqa: E731
        assert count(Activity) == 25
        assert count(Association) >= 12
        assert count(ActivityTranslation) == 25 * 3
        years = {
            s.code: y
            for s, y in db.session.execute(select(Scheme, SchemeYear).join(SchemeYear)).all()
        }
        assert years["leisure-pass"].cap_per_person_kr == 2000
        assert (years["equipment"].pool_kr, years["equipment"].cap_per_person_kr) == (15000, 500)
        slugs = set(db.session.execute(select(Activity.slug)).scalars())
        assert {"girls-cricket", "womens-cricket", "esport-training", "esport-ambassadors",
                "exercise-club-women"} <= slugs  # fmt: skip
