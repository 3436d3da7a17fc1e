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
from portal.catalogue.models import Association
from portal.extensions import db
from portal.workflow import ApplicationKind
from tests.applications.family import Family
from tests.auth.signing_in import Staff, make_staff

STAFF_BLUEPRINTS = {"review", "admin", "assisted", "associations_staff", "reports"}


def staff_routes(app: Flask) -> Iterator[tuple[str, Rule]]:
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in STAFF_BLUEPRINTS and "/staff/" in rule.rule:
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                yield method, rule


def test_the_table_covers_every_kind_of_staff_page(app: Flask) -> None:
    endpoints = {rule.endpoint for _method, rule in staff_routes(app)}
    assert {"review.queue", "review.case", "review.approve", "review.export_payments",
            "admin.schemes", "admin.reason_in_use", "admin.access_log",
            "assisted.start", "assisted.send", "associations_staff.show", "reports.show",
            "reports.export", "reports.printable"} <= endpoints  # fmt: skip
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
            "match_id": 1,
            "preview": "preview",
            "fmt": "csv",
            "token": draft.token,
            "reason_id": db.session.execute(select(ReasonTemplate.id)).scalar_one(),
            "change": "stop",
            "association_id": db.session.execute(select(Association.id)).scalars().first(),
            "user_id": make_staff("club@kommune.dk", Role.ASSOCIATION),
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


# The clubs' pages ------------------------------------------------------------------------------


@pytest.fixture
def clubs(app: Flask) -> Iterator[dict[str, object]]:
    """Club A with an approved member, club B; a contact of each signed in on a phone."""
    from tests.associations.club import Phone, build_world
    from tests.outbox.sent import link_in, messages

    world = build_world(app)
    enrolment_id = world.approved_place()
    other_enrolment = world.approved_place("Lina")
    link = link_in(messages(app, "enrolment_new")[0])
    a, b = Phone(app.test_client()), Phone(app.test_client())
    a.sign_in(app, "rahima@club.dk")
    b.sign_in(app, "bo@andet.dk")
    yield {"world": world, "enrolment": enrolment_id, "other": other_enrolment, "link": link,
           "a": a, "b": b}  # fmt: skip


CLUB_ROUTES = [
    ("GET", "/da/club/enrolments/{e}"),
    ("POST", "/da/club/enrolments/{e}/confirm"),
    ("POST", "/da/club/enrolments/{e}/waitlist"),
    ("POST", "/da/club/enrolments/{e}/decline"),
    ("POST", "/da/club/enrolments/{e}/stop"),
    ("POST", "/da/club/enrolments/{e}/payment"),
    ("POST", "/da/club/enrolments/{e}/season"),
]


def test_the_club_table_covers_every_club_route(app: Flask) -> None:
    rules = {
        (method, rule.rule.replace("<lang:lang>", "da").replace("<int:enrolment_id>", "{e}"))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("associations.") and "<int:enrolment_id>" in rule.rule
        for method in (rule.methods or set()) & {"GET", "POST"}
    }
    assert rules == set(CLUB_ROUTES)


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 404), ("family", 404), ("guide", 404), ("admin", 404),
     ("contact of another club", 404), ("contact of the club", "let in")],
)  # fmt: skip
def test_who_may_answer_for_a_clubs_member(
    app: Flask, clubs: dict[str, object], who: str, expected: object
) -> None:
    """An association sees only its own members; nobody else sees them at all."""
    from tests.associations.club import Phone

    if who == "contact of the club":
        phone = clubs["a"]
    elif who == "contact of another club":
        phone = clubs["b"]
    elif who in ("guide", "admin"):
        client, csrf = _visitor(app, who)
        phone = Phone(client, csrf)
    else:
        phone = Phone(app.test_client())
        phone.get("/da/club/sign-in")
    assert isinstance(phone, Phone)
    enrolment = clubs["enrolment"]
    for method, pattern in CLUB_ROUTES:
        url = pattern.format(e=enrolment)
        response = phone.get(url) if method == "GET" else phone.post(url)
        if expected == "let in":
            assert response.status_code in (200, 303, 400, 422), (method, url, response.status_code)
        else:
            assert response.status_code == expected, (who, method, url, response.status_code)


def test_another_clubs_contact_never_sees_the_member_in_its_list(
    clubs: dict[str, object],
) -> None:
    from tests.associations.club import Phone

    a, b = clubs["a"], clubs["b"]
    assert isinstance(a, Phone) and isinstance(b, Phone)
    assert "Amira Haddad" in a.get("/da/club/").get_data(as_text=True)
    assert "Amira Haddad" not in b.get("/da/club/").get_data(as_text=True)


def test_a_signed_link_opens_its_own_enrolment_only(app: Flask, clubs: dict[str, object]) -> None:
    """Expired, tampered with, for another enrolment, or made for another club's contact: 404."""
    from portal.associations.services import enrolment_link_token
    from portal.auth.models import User
    from portal.enrolments.models import Enrolment
    from tests.associations.club import Phone

    link, enrolment, other = str(clubs["link"]), clubs["enrolment"], clubs["other"]
    token = link.split("t=", 1)[1]
    stranger = Phone(app.test_client())
    assert stranger.get(link).status_code == 200
    assert stranger.get(link[:-2] + ("AA" if not link.endswith("AA") else "BB")).status_code == 404
    assert stranger.get(f"/da/club/enrolments/{other}?t={token}").status_code == 404
    assert stranger.get(f"/da/club/enrolments/{enrolment}").status_code == 404  # no link
    with app.app_context():
        outsider = db.session.execute(select(User).where(User.email == "bo@andet.dk")).scalar_one()
        found = db.session.get(Enrolment, enrolment)
        assert found is not None
        forged = enrolment_link_token(found, outsider)
    assert stranger.get(f"/da/club/enrolments/{enrolment}?t={forged}").status_code == 404
    app.config["ENROLMENT_LINK_DAYS"] = -1  # every link is now too old
    try:
        assert stranger.get(link).status_code == 404
    finally:
        app.config["ENROLMENT_LINK_DAYS"] = 30


def test_the_clubs_own_pages_table(app: Flask, clubs: dict[str, object]) -> None:
    """The pages behind a club's sign-in: the list and the activities. Anyone not signed in as
    a contact is asked to sign in; a contact of another club gets its own list, and 404 for
    this club's activity."""
    from portal.catalogue.models import Activity
    from tests.associations.club import Phone, World

    world = clubs["world"]
    assert isinstance(world, World)
    with app.app_context():
        activity_id = db.session.execute(
            select(Activity.id).where(Activity.slug == world.activity_slug)
        ).scalar_one()
    routes = ["/da/club/", "/da/club/activities/new", f"/da/club/activities/{activity_id}"]
    table = {
        "anonymous": [303, 303, 303],
        "family": [303, 303, 303],
        "guide": [303, 303, 303],
        "admin": [303, 303, 303],
        "contact of another club": [200, 200, 404],
        "contact of the club": [200, 200, 200],
    }
    for who, expected in table.items():
        if who == "contact of the club":
            phone = clubs["a"]
        elif who == "contact of another club":
            phone = clubs["b"]
        elif who in ("guide", "admin"):
            client, csrf = _visitor(app, who)
            phone = Phone(client, csrf)
        else:
            phone = Phone(app.test_client())
            if who == "family":
                Family(phone.client).page("/da/apply")
        assert isinstance(phone, Phone)
        got = [phone.get(route).status_code for route in routes]
        assert got == expected, who
        for route, status in zip(routes, got, strict=True):
            if status == 303:
                assert "/club/sign-in" in phone.client.get(route).location
