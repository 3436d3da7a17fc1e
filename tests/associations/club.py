"""A club with a contact, a family's approved place there, and the contact's phone."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from portal.applications.models import ReasonKind, ReasonTemplate
from portal.applications.models import ReasonTemplateTranslation as Text
from portal.auth.models import Role, User
from portal.extensions import db
from portal.schemes.models import SchemeKind
from tests.applications.family import Family
from tests.auth.signing_in import Staff, signed_in_guide
from tests.factories import make_activity, make_association, make_scheme
from tests.outbox.sent import link_in, messages
from tests.pages import check_page

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_contact(association_id: int, email: str, phone: str | None = None) -> int:
    user = User(
        email=email,
        name=email.split("@")[0].title(),
        phone=phone,
        role=Role.ASSOCIATION,
        association_id=association_id,
        preferred_locale="da",
    )
    db.session.add(user)
    db.session.commit()
    return user.id


def club_reasons() -> int:
    reason = ReasonTemplate(code="team-full", kind=ReasonKind.DECLINE_ENROLMENT)
    reason.translations = [
        Text(locale="da", text="Holdet er fuldt."),
        Text(locale="ar", text="الفريق ممتلئ."),
        Text(locale="en", text="The team is full."),
    ]
    db.session.add(reason)
    db.session.commit()
    return reason.id


@dataclass
class World:
    app: Flask
    guide: Staff
    association_id: int
    other_association_id: int
    activity_slug: str
    reason_id: int

    def approved_place(self, first_name: str = "Amira", *, share_phone: bool = False) -> int:
        """A family (in Arabic) applies for the activity and the guide approves: the
        enrolment's id (the club's contacts now have a message with a link). ``share_phone``:
        the family said the club may call about the start."""
        family = Family(self.app.test_client(), lang="ar")
        contact = {"phone": "20 12 34 56", "email": "", "language": "ar"}
        family.answer_all(
            family.start(self.activity_slug),
            {
                "participant": {"first_name": first_name, "last_name": "Haddad"},
                "contact": {**contact, "share_with_club": "y"} if share_phone else contact,
            },
        )
        assert family.submit().status_code == 303
        from portal.applications.models import Application

        with self.app.app_context():
            application = db.session.execute(
                select(Application).where(Application.token == family.token)
            ).scalar_one()
            reference = application.reference
        self.guide.get(f"/da/staff/cases/{reference}")
        assert (
            self.guide.post(
                f"/da/staff/cases/{reference}/approve", {"amount_kr": "1200"}
            ).status_code
            == 303
        )
        with self.app.app_context():
            application = db.session.execute(
                select(Application).where(Application.token == family.token)
            ).scalar_one()
            assert application.enrolment is not None
            return application.enrolment.id


def build_world(app: Flask) -> World:
    with app.app_context():
        make_scheme(SchemeKind.LEISURE_PASS, "FP", pool_kr=10_000, cap_kr=5_000)
        club = make_association(name="Vejle Cricket Klub")
        other = make_association(name="Andet Hold")
        slug = make_activity(association=club, min_age=6, max_age=14, fee_kr=1200).slug
        make_contact(club.id, "rahima@club.dk", "+4540506070")
        make_contact(other.id, "bo@andet.dk", "+4541414141")
        reason_id = club_reasons()
        club_id, other_id = club.id, other.id
    return World(app, signed_in_guide(app), club_id, other_id, slug, reason_id)


@dataclass
class Phone:
    """A club contact's phone: a browser that keeps its cookies."""

    client: FlaskClient
    csrf: str | None = None

    def get(self, url: str) -> TestResponse:
        """GET, and check the page's HTML like every page a person sees (tests/pages.py)."""
        response = self.client.get(url)
        if response.status_code == 200 and response.mimetype == "text/html":
            check_page(response.get_data(as_text=True), url.split("/")[1])
        found = CSRF.search(response.get_data(as_text=True))
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, url: str, data: dict[str, str] | None = None) -> TestResponse:
        if self.csrf is None:
            self.get("/da/club/sign-in")
        return self.client.post(url, data={"csrf_token": self.csrf or "", **(data or {})})

    def sign_in(self, app: Flask, contact: str = "rahima@club.dk") -> None:
        self.get("/da/club/sign-in")
        assert self.post("/da/club/sign-in", {"contact": contact}).status_code == 200
        link = link_in(messages(app, "club_sign_in")[-1])
        self.get(link)
        response = self.post(link)
        assert response.status_code == 303 and response.location == "/da/club/"
