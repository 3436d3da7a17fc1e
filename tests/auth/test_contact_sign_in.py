"""Club contacts sign in without a password: a one-time link by SMS or e-mail that works once,
for 24 hours; asking for one never tells who is a contact; it is rate-limited (SEC-22)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import update

from portal.auth.models import AccessToken
from portal.db import utcnow
from portal.extensions import db
from tests.associations.club import Phone, World, build_world
from tests.outbox.sent import link_in, messages


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def test_a_link_by_sms_signs_the_phone_in_once(app: Flask, world: World) -> None:
    phone = Phone(app.test_client())
    assert phone.get("/da/club/").location.startswith("/da/club/sign-in")
    phone.get("/da/club/sign-in")
    sent = phone.post("/da/club/sign-in", {"contact": "40 50 60 70"})
    assert sent.status_code == 200 and "Se efter i dine beskeder" in sent.get_data(as_text=True)
    [sms] = messages(app, "club_sign_in")
    assert sms.channel == "sms" and sms.recipient == "+4540506070" and sms.locale == "da"
    link = link_in(sms)

    # Opening the link (a phone's preview does this too) spends nothing: it shows a button.
    page = phone.get(link).get_data(as_text=True)
    assert "Du logger ind som Rahima" in page
    assert phone.get(link).status_code == 200
    response = phone.post(link)
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "portal_club=" in cookie and "HttpOnly" in cookie and "Max-Age=2592000" in cookie
    home = phone.get("/da/club/")
    assert home.status_code == 200 and "Jeres medlemmer fra kommunen" in home.get_data(True)

    again = Phone(app.test_client())
    assert again.get(link).status_code == 410  # used
    assert "Linket er brugt" in again.get(link).get_data(as_text=True)
    assert again.post(link).status_code == 410


def test_an_unknown_address_gets_the_same_page_and_no_message(app: Flask, world: World) -> None:
    phone = Phone(app.test_client())
    phone.get("/da/club/sign-in")
    known = phone.post("/da/club/sign-in", {"contact": "rahima@club.dk"}).get_data(as_text=True)
    unknown = phone.post("/da/club/sign-in", {"contact": "nobody@club.dk"}).get_data(as_text=True)
    assert known.replace(phone.csrf or "", "") == unknown.replace(phone.csrf or "", "")
    [email] = messages(app, "club_sign_in")
    assert email.channel == "email" and email.recipient == "rahima@club.dk"


def test_an_old_or_made_up_link_says_what_to_do(app: Flask, world: World) -> None:
    phone = Phone(app.test_client())
    phone.get("/da/club/sign-in")
    phone.post("/da/club/sign-in", {"contact": "rahima@club.dk"})
    link = link_in(messages(app, "club_sign_in")[-1])
    with app.app_context():
        db.session.execute(update(AccessToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    expired = phone.get(link)
    assert expired.status_code == 410 and "Linket er udløbet" in expired.get_data(as_text=True)
    assert phone.get("/da/club/sign-in/made-up").status_code == 404


def test_asking_for_links_is_rate_limited(app: Flask, world: World) -> None:
    phone = Phone(app.test_client())
    phone.get("/da/club/sign-in")
    statuses = [
        phone.post("/da/club/sign-in", {"contact": f"x{n}@club.dk"}).status_code for n in range(11)
    ]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_signing_out_ends_the_session_on_the_server(app: Flask, world: World) -> None:
    phone = Phone(app.test_client())
    phone.sign_in(app)
    cookie = phone.client.get_cookie("portal_club")
    assert cookie is not None
    assert phone.post("/da/club/sign-out").status_code == 303
    stolen = Phone(app.test_client())
    stolen.client.set_cookie("portal_club", cookie.value)
    assert stolen.get("/da/club/").status_code == 303  # the old cookie opens nothing


def test_a_contact_who_left_the_club_is_signed_out(app: Flask, world: World) -> None:
    phone = Phone(app.test_client())
    phone.sign_in(app)
    from sqlalchemy import select

    from portal.auth.models import User

    with app.app_context():
        user_id = db.session.execute(
            select(User.id).where(User.email == "rahima@club.dk")
        ).scalar_one()
    world.guide.get(f"/da/staff/associations/{world.association_id}")
    off = world.guide.post(f"/da/staff/associations/{world.association_id}/contacts/{user_id}/off")
    assert off.status_code == 303
    assert phone.get("/da/club/").status_code == 303
    phone.get("/da/club/sign-in")
    phone.post("/da/club/sign-in", {"contact": "rahima@club.dk"})
    assert len(messages(app, "club_sign_in")) == 1  # no new link for a switched-off contact


def test_a_phone_in_use_stays_signed_in(app: Flask, world: World) -> None:
    """Each page a signed-in contact opens renews the cookie; signing out removes it."""
    phone = Phone(app.test_client())
    phone.sign_in(app)
    renewed = phone.client.get("/da/club/")
    assert "portal_club=" in renewed.headers.get("Set-Cookie", "")
    assert "Max-Age=2592000" in renewed.headers["Set-Cookie"]
    assert "portal_club=" not in Phone(app.test_client()).client.get(
        "/da/club/sign-in"
    ).headers.get("Set-Cookie", "")  # nobody signed in: nothing set
