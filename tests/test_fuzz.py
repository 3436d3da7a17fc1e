"""Strangers send anything (issue 13): every GET route of ``app.url_map`` with generated path
segments and query strings, and every POST route with generated form fields, as a visitor, a
family with a draft, a club contact and a guide — no 500, no script reflected unescaped, no link
to a foreign host. On SQLite, and on PostgreSQL with ``make test-pg``.

The per-run counts (``GET_EXAMPLES``/``POST_EXAMPLES`` × the four visitors) are in the note of
issue 13. Hypothesis picks new inputs each run (and keeps any failing one in its database); under
``CI=true`` it replays one fixed set, so a red build can be reproduced.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.routing import AnyConverter, IntegerConverter, Rule
from werkzeug.routing.exceptions import BuildError

from portal.applications.models import Application, Upload
from portal.auth.access import SESSION_KEY
from portal.auth.contacts import COOKIE
from portal.auth.models import Role, User
from portal.auth.services import open_session
from portal.catalogue.models import Activity
from portal.db import utcnow
from portal.demo import load_demo_data
from portal.enrolments.models import Enrolment
from portal.extensions import db
from tests.catalogue.test_bad_input import NASTY

GET_EXAMPLES = 400
POST_EXAMPLES = 250
#: Rules the fuzz leaves alone: static files, and the development outbox.
SKIPPED = {"static", "dev_outbox.index", "dev_outbox.message", "auth.sign_out"}

EVIL = st.sampled_from(
    [
        "https://evil.example/x",
        "//evil.example",
        "javascript:alert(1)",
        '"><script>alert(1)</script>',
    ]
)
VALUES = st.one_of(NASTY, EVIL, st.text(max_size=60), st.integers(-(2**40), 2**40).map(str))
QUERY_KEYS = st.sampled_from(
    ["q", "age", "day", "who", "area", "next", "after", "status", "waiting", "scheme", "activity",
     "language", "guide", "sort", "start", "end", "reference", "done", "answer", "t", "v",
     "_anchor", "_external", "_scheme", "_method", "change", "signed_out"]
)  # fmt: skip
FIELD_NAMES = st.sampled_from(
    ["csrf_token", "first_name", "last_name", "day", "month", "year", "gender", "activity",
     "kind", "amount_kr", "reason", "note", "question", "body", "code", "contact", "email",
     "phone", "password", "next", "start_on", "trial_until", "expected_on", "method",
     "payee_name", "payee_cvr", "paid_on", "reference", "references", "action", "answer",
     "pool_kr", "cap_per_person_kr", "name_da", "text_da", "message", "postcode", "t", "v"]
)  # fmt: skip


@dataclass
class World:
    """The demo data, and a real value for each kind of path argument."""

    real: dict[str, list[str]] = field(default_factory=dict)
    visitors: dict[str, FlaskClient] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)
    sent: int = 0


def _signed_in(app: Flask, role: Role) -> FlaskClient:
    client = app.test_client()
    with app.app_context():
        user = db.session.execute(select(User).where(User.role == role)).scalars().first()
        assert user is not None
        token = open_session(user, utcnow())
    if role is Role.ASSOCIATION:
        client.set_cookie(COOKIE, token)
    else:
        with client.session_transaction() as session:
            session[SESSION_KEY] = token
    return client


@pytest.fixture
def world(app: Flask) -> Iterator[World]:
    with app.app_context():
        load_demo_data()
        applications = db.session.execute(select(Application)).scalars().all()
        found = World(
            real={
                "token": [a.token for a in applications],
                "reference": [a.reference or "" for a in applications],
                "slug": [a.slug for a in db.session.execute(select(Activity)).scalars()],
                "file_token": [u.token for u in db.session.execute(select(Upload)).scalars()],
                "int": [str(e.id) for e in db.session.execute(select(Enrolment)).scalars()],
                "step": ["activity", "participant", "birth-date", "contact", "message"],
            }
        )
    found.visitors = {
        "visitor": app.test_client(),
        "family": app.test_client(),
        "club": _signed_in(app, Role.ASSOCIATION),
        "guide": _signed_in(app, Role.GUIDE),
    }
    found.visitors["family"].post("/da/apply", data={})  # a session, like a family's
    for name, client in found.visitors.items():
        page = client.get("/da/resume").get_data(as_text=True)
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        found.csrf[name] = token
    yield found
    print(f"\nfuzz: {found.sent} requests")


def _rules(app: Flask, method: str) -> list[Rule]:
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if method in (rule.methods or set()) and rule.endpoint not in SKIPPED
        ),
        key=lambda rule: rule.rule,
    )


@st.composite
def _values(draw: Any, rule: Rule, world: World) -> dict[str, Any]:
    """A value for each of the rule's arguments: a real one, or anything at all."""
    values: dict[str, Any] = {}
    for name, converter in rule._converters.items():
        if name == "lang":
            values[name] = draw(st.sampled_from(["da", "ar", "en"]))
        elif isinstance(converter, AnyConverter):
            values[name] = draw(st.sampled_from(sorted(converter.items)))
        elif isinstance(converter, IntegerConverter):
            values[name] = draw(
                st.one_of(st.integers(0, 2**31), st.sampled_from(world.real["int"] or ["1"]))
            )
        else:
            real = world.real.get(name) or world.real["token"]
            values[name] = draw(st.one_of(st.sampled_from(real), VALUES.filter(bool)))
    return values


#: A link or form that leaves the site, or runs script.
FOREIGN = re.compile(
    r'(?:href|src|action|formaction|hx-get|hx-post)="(?:(?:[a-z]+:)?//(?!localhost[/"])|javascript:)'
)


def _check(response: Any, what: str) -> None:
    assert response.status_code < 500, (what, response.status_code)
    if response.mimetype == "text/html":
        html = response.get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html, what
        assert not FOREIGN.search(html), (what, FOREIGN.search(html))
    location = urlsplit(response.headers.get("Location", ""))
    assert location.netloc in ("", "localhost"), (what, location)


def _url(app: Flask, rule: Rule, values: dict[str, Any], query: list[tuple[str, str]]) -> str:
    adapter = app.url_map.bind("localhost")
    try:
        path = adapter.build(rule.endpoint, {k: v for k, v in values.items()})
    except (BuildError, ValueError):
        path = adapter.build(rule.endpoint, {k: "x" for k in values} | {"lang": "da"})
    return f"{path}?{urlencode(query)}" if query else path


def _fuzz(examples: int) -> Any:
    # CI replays the same inputs each run (a red build must be reproducible); every other run
    # explores new ones, and Hypothesis keeps any that fail in its database.
    return settings(
        max_examples=examples,
        derandomize=os.environ.get("CI") == "true",
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


def _every_visitor(world: World, what: str, send: Any) -> None:
    """``send(name, client)`` as each visitor, each answer checked."""
    for name, client in world.visitors.items():
        response = send(name, client)
        world.sent += 1
        _check(response, f"{name} {what}")
        response.close()


@_fuzz(GET_EXAMPLES)
@given(data=st.data())
def test_any_get_from_anyone_gets_an_answer_not_a_500(app: Flask, world: World, data: Any) -> None:
    rule = data.draw(st.sampled_from(_rules(app, "GET")), label="rule")
    values = data.draw(_values(rule, world), label="values")
    query = data.draw(st.lists(st.tuples(QUERY_KEYS, VALUES), max_size=4), label="query")
    url = _url(app, rule, values, query)
    headers = {"HX-Request": "true"} if len(query) % 2 else {}
    _every_visitor(world, f"GET {url}", lambda _name, client: client.get(url, headers=headers))


@_fuzz(POST_EXAMPLES)
@given(data=st.data())
def test_any_form_from_anyone_gets_an_answer_not_a_500(app: Flask, world: World, data: Any) -> None:
    rule = data.draw(st.sampled_from(_rules(app, "POST")), label="rule")
    url = _url(app, rule, data.draw(_values(rule, world), label="values"), [])
    fields = data.draw(st.lists(st.tuples(FIELD_NAMES, VALUES), max_size=6), label="fields")

    def post(name: str, client: FlaskClient) -> Any:
        return client.post(url, data=MultiDict([("csrf_token", world.csrf[name]), *fields]))

    _every_visitor(world, f"POST {url} {fields}", post)
