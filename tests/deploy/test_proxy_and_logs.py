"""Behind a reverse proxy, and what an operator reads (issue 15): the client's address from
nginx when the portal is told how many proxies to trust, a forged header ignored when not; one
log line per request with its id and route, never a token or a name; the 500 page shows the id."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from flask import Flask, abort

from portal import logs
from tests.applications.family import Family


def _resume_tries(app: Flask, addresses: list[str], *, hops_header: bool) -> list[int]:
    """One wrong resume code from each address (as nginx would say it came, or forged)."""
    statuses = []
    for address in addresses:
        family = Family(app.test_client(), lang="da")
        family.page("/da/resume")
        headers = {"X-Forwarded-For": address} if hops_header else {}
        response = family.client.post(
            "/da/resume",
            data={"csrf_token": family.csrf, "code": "ZZZZ-ZZZZ"},
            headers=headers,
            environ_base={"REMOTE_ADDR": "127.0.0.1"},  # nginx on the same machine
        )
        statuses.append(response.status_code)
    return statuses


def test_behind_one_proxy_each_family_has_its_own_rate_limit(
    app: Flask, make_app: Callable[..., Flask]
) -> None:
    """Before: behind nginx every request shared nginx's address, so the 11th family trying a
    code in an hour was refused. With PORTAL_PROXY_HOPS=1 each address counts for itself."""
    app = make_app(PROXY_HOPS=1, RESUME_RATE_LIMIT="3 per hour")
    families = [f"203.0.113.{n}" for n in range(1, 11)]
    assert _resume_tries(app, families, hops_header=True) == [404] * 10
    # One address, four tries: the fourth is refused (the limit itself still holds).
    assert _resume_tries(app, ["198.51.100.7"] * 4, hops_header=True) == [404] * 3 + [429]


def test_without_a_proxy_a_forged_address_changes_nothing(
    app: Flask, make_app: Callable[..., Flask]
) -> None:
    """PORTAL_PROXY_HOPS=0: X-Forwarded-For is the visitor's own words; a guesser cannot give
    each try a new address to escape the limit."""
    app = make_app(RESUME_RATE_LIMIT="3 per hour")
    forged = [f"203.0.113.{n}" for n in range(1, 6)]
    assert _resume_tries(app, forged, hops_header=True) == [404] * 3 + [429] * 2


@pytest.fixture
def json_lines(app: Flask, make_app: Callable[..., Flask]) -> tuple[Flask, list[logging.LogRecord]]:
    app = make_app(LOG_FORMAT="json", PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom/<token>")
    def boom(token: str) -> str:
        raise RuntimeError("a bug")

    @app.get("/gone/<token>")
    def gone(token: str) -> str:
        abort(404)

    return app, []


def test_one_json_line_per_request_with_its_id_and_route_never_the_token(
    json_lines: tuple[Flask, list[logging.LogRecord]], caplog: pytest.LogCaptureFixture
) -> None:
    app, _ = json_lines
    caplog.set_level(logging.INFO)
    client = app.test_client()
    token = "Xiw7rUrJcIi71b6GIWA6Fw"
    response = client.get(f"/da/applications/{token}", headers={"X-Request-ID": "a" * 32})
    assert response.status_code == 404
    assert response.headers["X-Request-ID"] == "a" * 32  # nginx's id, kept for both logs
    made_up = client.get("/da/", headers={"X-Request-ID": "<script>"})
    assert len(made_up.headers["X-Request-ID"]) == 32  # not a plain token: a new id

    formatter = logs.JsonFormatter()
    lines = [json.loads(formatter.format(r)) for r in caplog.records if r.name == logs.logger.name]
    assert [line["route"] for line in lines] == [
        "/<lang:lang>/applications/<token>",
        "/<lang:lang>/",
    ]
    first = lines[0]
    assert first["request_id"] == "a" * 32 and first["status"] == 404 and first["method"] == "GET"
    assert isinstance(first["duration_ms"], float) and first["role"] is None
    assert token not in caplog.text


def test_an_unhandled_error_is_logged_with_the_id_the_family_sees(
    json_lines: tuple[Flask, list[logging.LogRecord]], caplog: pytest.LogCaptureFixture
) -> None:
    app, _ = json_lines
    caplog.set_level(logging.INFO)
    token = "secret-family-token-123"
    response = app.test_client().get(f"/boom/{token}")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    page = response.get_data(as_text=True)
    assert request_id[:8] in page and "Beklager" in page  # in Danish, the default
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    line = json.loads(logs.JsonFormatter().format(errors[0]))
    assert line["request_id"] == request_id
    assert line["message"] == "unhandled exception on GET /boom/<token>"
    assert "RuntimeError: a bug" in line["exception"]
    assert token not in caplog.text


def test_production_logs_json_and_development_text(make_app: Callable[..., Flask]) -> None:
    production = make_app(ENV="production", SECRET_KEY="x" * 40, CPR_KEY="c" * 40)
    assert production.config["LOG_FORMAT"] == "json"
    assert make_app().config["LOG_FORMAT"] == "text"
    from portal.config import ConfigurationError

    with pytest.raises(ConfigurationError, match="PORTAL_PROXY_HOPS"):
        make_app(PROXY_HOPS=-1)


def test_an_unknown_sms_backend_refuses_to_start(make_app: Callable[..., Flask]) -> None:
    """Before, PORTAL_SMS_BACKEND=gatewaypi (a typo, or a provider not built) started fine and
    left every SMS waiting in the outbox for ever."""
    from portal.config import ConfigurationError

    with pytest.raises(ConfigurationError, match="PORTAL_SMS_BACKEND='gatewaypi'"):
        make_app(SMS_BACKEND="gatewaypi")
