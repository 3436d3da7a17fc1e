"""SEC-20: who may open what, as a table over every staff route (not spot checks). Each visitor
walks every GET and POST rule of the guides', the administrators' and the "apply with a family"
pages, with real values for the arguments:

- anonymous, and a family with its own application: asked to sign in, nothing else;
- an association contact: refused (403) everywhere here;
- a guide: every case and page, except the administrators' (403);
- an administrator: everything.

The family's own pages open by their token only (see tests/applications)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from portal.applications.models import Application, Household, ReasonTemplate
from portal.auth.models import Role
from portal.extensions import db
from portal.workflow import ApplicationKind
from tests.applications.family import Family
from tests.staff.signing_in import Staff, make_staff
from tests.staff.test_case import sent

__all__ = ["sent"]

STAFF_BLUEPRINTS = {"review", "admin", "assisted"}


def staff_routes(app: Flask) -> Iterator[tuple[str, Rule]]:
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in STAFF_BLUEPRINTS and "/staff/" in rule.rule:
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                yield method, rule


def test_the_table_covers_every_kind_of_staff_page(app: Flask) -> None:
    endpoints = {rule.endpoint for _method, rule in staff_routes(app)}
    assert {"review.queue", "review.case", "review.approve", "review.export_payments",
            "admin.schemes", "admin.reason_in_use", "admin.access_log",
            "assisted.start", "assisted.send"} <= endpoints  # fmt: skip
    assert len(endpoints) >= 20


@pytest.fixture
def values(app: Flask, sent: str) -> dict[str, object]:
    """Real values for the rules' arguments: a submitted case, a draft made with a guide."""
    with app.app_context():
        guide_id = make_staff("other-guide@kommune.dk")
        draft = Application(
            kind=ApplicationKind.LEISURE_PASS, household=Household(), made_by_guide_id=guide_id
        )
        db.session.add(draft)
        db.session.commit()
        return {
            "lang": "da",
            "reference": sent,
            "file_token": "no-such-file",
            "preview": "preview",
            "fmt": "csv",
            "token": draft.token,
            "reason_id": db.session.execute(select(ReasonTemplate.id)).scalar_one(),
            "change": "stop",
        }


def _visitor(app: Flask, who: str) -> tuple[FlaskClient, str]:
    """A browser for ``who`` and a CSRF token valid in its session."""
    if who in ("anonymous", "family"):
        family = Family(app.test_client())
        family.page("/da/resume")
        if who == "family":
            family.start(kind="equipment")  # a family with an application of its own
        assert family.csrf
        return family.client, family.csrf
    role = {"association": Role.ASSOCIATION, "guide": Role.GUIDE, "admin": Role.ADMIN}[who]
    with app.app_context():
        make_staff(f"{who}@kommune.dk", role)
    staff = Staff(app.test_client(), lang="da")
    staff.sign_in(f"{who}@kommune.dk")
    staff.get("/da/resume")  # any page with a form: the session's CSRF token
    assert staff.csrf
    return staff.client, staff.csrf


def _expected(who: str, rule: Rule) -> str:
    if who in ("anonymous", "family"):
        return "sign in"
    if who == "association":
        return "refused"
    if who == "guide" and rule.endpoint.startswith("admin."):
        return "refused"
    return "let in"


def _outcome(status: int, location: str | None) -> str:
    if status == 403:
        return "refused"
    if status in (302, 303) and "/staff/sign-in" in (location or ""):
        return "sign in"
    return "let in"


@pytest.mark.parametrize("who", ["anonymous", "family", "association", "guide", "admin"])
def test_who_may_open_each_staff_page(app: Flask, values: dict[str, object], who: str) -> None:
    client, csrf = _visitor(app, who)
    wrong = []
    for method, rule in staff_routes(app):
        url = rule.build({arg: values[arg] for arg in rule.arguments}, append_unknown=False)[1]
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": csrf})
        outcome = _outcome(response.status_code, response.location)
        if outcome != _expected(who, rule) or response.status_code >= 500:
            wrong.append((method, url, response.status_code, response.location))
    assert wrong == []
