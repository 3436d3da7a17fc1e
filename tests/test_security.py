"""Security headers and cookie flags (SEC-12..SEC-15 in research/reliability-security-a11y.md)."""

from __future__ import annotations

import gzip
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import AnyConverter, IntegerConverter, Rule

from portal.config import ConfigurationError
from tests.factories import make_activity

URLS = ["/da/", "/ar/activities", "/en/activities/{slug}", "/da/accessibility", "/da/privacy",
        "/da/nowhere", "/healthz"]  # fmt: skip


@pytest.mark.parametrize("url", URLS)
def test_security_headers_on_every_response(
    client: FlaskClient, app_context: None, url: str
) -> None:
    """SEC-12, SEC-13, SEC-14: a strict CSP, HSTS, nosniff and a referrer policy everywhere."""
    activity = make_activity()
    response = client.get(url.format(slug=activity.slug))
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_are_private_unless_marked_public(client: FlaskClient) -> None:
    """SEC-15: ``no-store`` is the default; the public catalogue may be revalidated."""
    assert client.get("/da/activities").headers["Cache-Control"] == "no-cache"
    assert client.get("/da/nowhere").headers["Cache-Control"] == "no-store"


def test_static_files_are_versioned_and_cached_long(client: FlaskClient) -> None:
    page = client.get("/da/").get_data(as_text=True)
    assert "/static/css/portal.css?v=" in page
    version = page.split("/static/css/portal.css?v=")[1].split('"')[0]
    with client.get(f"/static/css/portal.css?v={version}") as response:
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert "immutable" in response.headers["Cache-Control"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    with client.get("/static/css/portal.css") as unversioned:  # may change: no "immutable"
        assert "immutable" not in unversioned.headers["Cache-Control"]


def test_html_is_compressed_for_browsers_that_ask(client: FlaskClient, app_context: None) -> None:
    for _ in range(5):
        make_activity()
    response = client.get("/da/activities", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    # Flask serves .js as text/javascript: htmx (50 KB raw) must be compressed too.
    for asset in ("vendor/htmx.min.js", "css/portal.css"):
        with client.get(f"/static/{asset}", headers={"Accept-Encoding": "gzip"}) as static:
            assert static.headers["Content-Encoding"] == "gzip", asset


def test_error_pages_are_compressed_too(client: FlaskClient, app_context: None) -> None:
    """Issue 18: a 404 went out as 2.3 KB uncompressed (Flask-Compress passes every non-2xx by);
    it keeps its status and reads the same once unpacked."""
    plain = client.get("/da/no-such-page")
    packed = client.get("/da/no-such-page", headers={"Accept-Encoding": "gzip"})
    assert (plain.status_code, packed.status_code) == (404, 404)
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 2
    assert gzip.decompress(packed.data) == plain.data
    assert "Siden findes ikke" in plain.get_data(as_text=True)


def test_production_refuses_the_development_secret(make_app: Callable[..., Flask]) -> None:
    from portal.config import DefaultConfig

    with pytest.raises(ConfigurationError, match="PORTAL_SECRET_KEY"):
        make_app(ENV="production", SECRET_KEY=DefaultConfig.SECRET_KEY, CPR_KEY="c" * 40)
    # DK-04: the CPR numbers' hashes are keyed with a secret that production must set.
    with pytest.raises(ConfigurationError, match="PORTAL_CPR_KEY"):
        make_app(ENV="production", SECRET_KEY="x" * 40)
    app = make_app(ENV="production", SECRET_KEY="x" * 40, CPR_KEY="c" * 40)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] <= 32 * 1024 * 1024


def _post_routes(app: Flask) -> list[str]:
    """Every rule that changes state, with placeholder values for its arguments."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.methods or not rule.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            continue
        values = {arg: _placeholder(rule, arg) for arg in rule.arguments}
        urls.append(rule.build(values, append_unknown=False)[1])
    return urls


def _placeholder(rule: Rule, argument: str) -> object:
    """A value the rule's converter accepts (a number for ``int``, one of ``any``'s words)."""
    converter = rule._converters[argument]
    if argument == "lang":
        return "da"
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    return "x"


def test_every_post_route_refuses_a_request_without_a_csrf_token(
    app: Flask, client: FlaskClient
) -> None:
    """SEC-10: walk app.url_map; a POST without the token, or with another session's, is 400.
    The exceptions are the SMS providers' webhooks, which a browser never posts to: they are
    refused (401, 403) without the provider's signature (tests/outbox/test_gatewayapi.py,
    test_sms_fallback.py)."""
    urls = _post_routes(app)
    urls.remove("/sms/gatewayapi/status")
    urls.remove("/sms/twilio/status")
    assert client.post("/sms/gatewayapi/status", data={"kind": "x"}).status_code == 401
    assert client.post("/sms/twilio/status", data={"MessageSid": "x"}).status_code == 403
    assert "/da/apply" in urls and "/da/resume" in urls  # the walk found the family's forms
    other = app.test_client()
    other.get("/da/resume")
    with other.session_transaction() as session:
        foreign = session.get("csrf_token")
    assert foreign
    for url in urls:
        assert client.post(url, data={"kind": "leisure_pass"}).status_code == 400, url
        response = client.post(url, data={"csrf_token": "forged", "kind": "leisure_pass"})
        assert response.status_code == 400, url


def test_a_rejected_token_gets_a_translated_page_not_a_crash(client: FlaskClient) -> None:
    response = client.post("/ar/apply", data={"kind": "leisure_pass"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'lang="ar"' in html and 'dir="rtl"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/da/applications/%00",
        "/da/applications/a%00b/files/x",
        "/da/activities/%00",
        "/ar/activities/%00",
        "/da/apply?activity=%00",
        "/da/activities?age=%01",
        "/da/activities/%ED%A0%BD",  # a lone surrogate, in UTF-8
        "/da/?q=%ED%A0%BD",
        "/da/?q=%FF",
        "/da/activities?age=1%0A2",
    ],
)
def test_what_nobody_types_is_refused_at_the_edge(client: FlaskClient, url: str) -> None:
    """Issue 13, defect 3: a NUL byte was a 500 on PostgreSQL (``psycopg.DataError``), a lone
    surrogate was stored as ``%ED%A0%BD``. Now: 400 (or 404), in the page's language."""
    response = client.get(url)
    assert response.status_code in (400, 404), (url, response.status_code)
    html = response.get_data(as_text=True)
    lang = url.split("/")[1]
    assert f'<html lang="{lang}"' in html


def test_a_form_with_a_nul_or_broken_utf8_is_refused_and_a_pasted_name_is_one_line(
    app: Flask,
) -> None:
    from sqlalchemy import select

    from portal.applications.models import Participant
    from portal.extensions import db
    from tests.applications.family import Family

    family = Family(app.test_client())
    question = family.start()
    url = question.replace("/activity", "/participant")
    # Skip the activity: a leisure pass for a club that is not in the catalogue.
    family.answer(
        question,
        {"activity": "other", "other_club_name": "Klub", "other_activity_name": "Fodbold",
         "other_fee_kr": "900"},
    )  # fmt: skip
    family.page(url)
    nul = family.post(url, {"first_name": "La\x00yla", "last_name": "Ahmed"})
    assert nul.status_code == 400 and '<html lang="da"' in nul.get_data(as_text=True)
    broken = family.client.post(
        url,
        data=f"csrf_token={family.csrf}&first_name=%ED%A0%BD&last_name=Ahmed",
        content_type="application/x-www-form-urlencoded",
    )
    assert broken.status_code == 400
    pasted = family.post(url, {"first_name": "Layla\r\n\u202eAmina", "last_name": " Ahmed\t"})
    assert pasted.status_code == 303
    with app.app_context():
        person = db.session.execute(select(Participant)).scalar_one()
        assert (person.first_name, person.last_name) == ("Layla Amina", "Ahmed")


@pytest.mark.parametrize("number", ["2147483648", "99999999999999999999"])
def test_an_id_beyond_the_database_s_integers_is_not_found(
    client: FlaskClient, number: str
) -> None:
    """Found by the fuzz (issue 13): ``/…/enrolments/2147483648`` was a 500 on PostgreSQL
    ("integer out of range"). An id in a path stays within the database's integers."""
    assert client.get(f"/da/club/enrolments/{number}").status_code == 404
    assert client.get("/da/club/enrolments/2147483647").status_code == 404


def test_every_view_with_a_rate_limit_is_checked_and_no_other(app: Flask) -> None:
    """Flask-Limiter looks only at views marked by ``rate_limited`` (portal/extensions.py);
    a view given a limit with ``limiter.limit`` directly would go unchecked: none is."""
    from flask_limiter.util import get_qualified_name

    from portal.extensions import limiter

    limited = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if get_qualified_name(view) in limiter._marked_for_limiting
    }
    marked = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "is_rate_limited", False)
    }
    assert limited == marked
    assert {"auth.sign_in", "applications.resume_with_code", "auth_contacts.send_link"} <= marked
