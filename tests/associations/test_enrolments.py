"""The club answers for a new member from the link in its message: start (or a trial), the
waiting list, or no. The family hears in its language, the guide by e-mail, and money for a
child who never starts goes back to the pool. A club sees only its own members, and only what
a club needs (DATA: no family situation)."""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlalchemy import select

from portal.applications.models import Application
from portal.enrolments.models import Enrolment
from portal.extensions import db
from portal.schemes.models import SchemeYear
from portal.workflow import ApplicationStatus, EnrolmentStatus, StatusChange
from tests.associations.club import Phone, World, build_world
from tests.outbox.sent import link_in, messages


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


def _enrolment(app: Flask, enrolment_id: int) -> tuple[Enrolment, Application]:
    with app.app_context():
        enrolment = db.session.get(Enrolment, enrolment_id)
        assert enrolment is not None
        application = enrolment.application
        db.session.expunge_all()
        return enrolment, application


def _reserved(app: Flask) -> int:
    with app.app_context():
        return db.session.execute(select(SchemeYear.reserved_kr)).scalar_one()


def test_the_start_offered_is_the_activitys_next_session(app: Flask, world: World) -> None:
    """Issue 18: the start defaulted to today (a Monday) though the team trains on Tuesdays,
    and the family was told "can start on Monday". Now it is the next Tuesday (or today, a
    Tuesday). The activity here meets on Tuesdays."""

    def next_tuesday() -> date:
        today = datetime.now(ZoneInfo(app.config["TIMEZONE"])).date()
        return today + timedelta(days=(1 - today.weekday()) % 7)

    enrolment_id = world.approved_place()
    phone = Phone(app.test_client())
    phone.sign_in(app)
    before = next_tuesday()
    page = phone.get(f"/da/club/enrolments/{enrolment_id}").get_data(as_text=True)
    offered = re.search(r'name="start_on" value="([^"]+)"', page)
    assert offered
    assert date.fromisoformat(offered.group(1)) in {before, next_tuesday()}  # midnight between
    assert date.fromisoformat(offered.group(1)).weekday() == 1


def test_from_the_message_to_a_confirmed_start_in_two_taps(app: Flask, world: World) -> None:
    enrolment_id = world.approved_place()
    [email, sms] = sorted(messages(app, "enrolment_new"), key=lambda m: m.channel)
    assert (email.recipient, sms.recipient) == ("rahima@club.dk", "+4540506070")
    assert "Amira" not in sms.body  # the message names no child: the page does, after the link
    phone = Phone(app.test_client())  # not signed in: the link alone opens this enrolment
    page = html.unescape(phone.get(link_in(sms)).get_data(as_text=True))
    assert "Amira Haddad" in page and re.search(r"\b1[0-9] år\b", page)
    for private in ("7100", "+4520123456", "20 12 34 56", "Haddad@", "forælder"):
        assert private not in page  # no postcode, no family phone: they did not agree to share
    signed = re.search(r'name="t" value="([^"]+)"', page)
    assert signed
    start_on = re.search(r'name="start_on" value="([^"]+)"', page)
    assert start_on  # filled in: today, or the start the family asked for
    response = phone.post(
        f"/da/club/enrolments/{enrolment_id}/confirm",
        {"t": signed.group(1), "start_on": start_on.group(1)},
    )
    assert response.status_code == 303 and "answer=done" in response.location
    enrolment, application = _enrolment(app, enrolment_id)
    assert enrolment.status is EnrolmentStatus.CONFIRMED and enrolment.start_on is not None
    [family] = [m for m in messages(app, "start_confirmed")]
    assert family.locale == "ar" and "Amira" in family.body
    [guide] = messages(app, "enrolment_answered")
    assert guide.recipient == "mette@kommune.dk" and application.reference in guide.body
    with app.app_context():
        change = db.session.execute(
            select(StatusChange).where(StatusChange.subject == "enrolment")
        ).scalar_one()
        assert (change.actor_role, change.to_status) == ("association", "confirmed")
    # The family's status page shows the start.
    status = phone.client.get(f"/ar/applications/{application.token}").get_data(as_text=True)
    assert "أكد النادي البدء" in html.unescape(status)
    # The link still opens the page: it says where it stands, with nothing left to press there.
    again = phone.get(link_in(sms)).get_data(as_text=True)
    assert "/confirm" not in again and "Bekræft starten" not in again


def test_a_trial_then_a_stop_gives_the_money_back(app: Flask, world: World) -> None:
    enrolment_id = world.approved_place()
    assert _reserved(app) == 1200
    link = link_in(messages(app, "enrolment_new")[-1])
    phone = Phone(app.test_client())
    page = phone.get(link).get_data(as_text=True)
    signed = re.search(r'name="t" value="([^"]+)"', page)
    assert signed
    bad = phone.post(
        f"/da/club/enrolments/{enrolment_id}/confirm",
        {"t": signed.group(1), "start_on": "2026-12-01", "trial": "y"},
    )
    assert bad.status_code == 422 and "Skriv prøveperiodens sidste dag." in bad.get_data(True)
    phone.post(
        f"/da/club/enrolments/{enrolment_id}/confirm",
        {"t": signed.group(1), "start_on": "2026-12-01", "trial": "y", "trial_until": "2026-12-15"},
    )
    enrolment, _application = _enrolment(app, enrolment_id)
    assert enrolment.status is EnrolmentStatus.TRIAL
    assert str(enrolment.trial_until_on) == "2026-12-15"
    assert [m.locale for m in messages(app, "trial_started")] == ["ar"]
    # A stop is asked once more first (issue 18, item 9): the first tap changes nothing.
    asked = phone.post(f"/da/club/enrolments/{enrolment_id}/stop", {"t": signed.group(1)})
    assert asked.status_code == 200
    assert "Er du sikker på, at" in html.unescape(asked.get_data(as_text=True))
    assert _enrolment(app, enrolment_id)[0].status is EnrolmentStatus.TRIAL
    phone.post(f"/da/club/enrolments/{enrolment_id}/stop", {"t": signed.group(1), "sure": "yes"})
    enrolment, application = _enrolment(app, enrolment_id)
    assert enrolment.status is EnrolmentStatus.STOPPED
    assert application.status is ApplicationStatus.CLOSED
    assert _reserved(app) == 0


def test_a_decline_releases_the_money_and_tells_the_family_why(app: Flask, world: World) -> None:
    enrolment_id = world.approved_place()
    phone = Phone(app.test_client())
    phone.sign_in(app)  # signed in, no link needed
    page = phone.get(f"/da/club/enrolments/{enrolment_id}").get_data(as_text=True)
    assert "Holdet er fuldt." in page
    assert phone.post(f"/da/club/enrolments/{enrolment_id}/decline").status_code == 422
    done = phone.post(
        f"/da/club/enrolments/{enrolment_id}/decline", {"reason": str(world.reason_id)}
    )
    assert done.status_code == 303
    enrolment, application = _enrolment(app, enrolment_id)
    assert enrolment.status is EnrolmentStatus.DECLINED
    assert application.status is ApplicationStatus.CLOSED
    assert _reserved(app) == 0
    # The family gave a phone number: an SMS in Arabic, and the reason on its status page.
    [family] = messages(app, "club_declined")
    assert (family.channel, family.locale) == ("sms", "ar")
    status = phone.client.get(f"/ar/applications/{application.token}").get_data(as_text=True)
    assert "الفريق ممتلئ." in status


def test_the_waiting_list_keeps_its_order(app: Flask, world: World) -> None:
    first, second = world.approved_place("Amira"), world.approved_place("Lina")
    phone = Phone(app.test_client())
    phone.sign_in(app)
    for enrolment_id in (second, first):
        assert (
            phone.post(
                f"/da/club/enrolments/{enrolment_id}/waitlist", {"expected_on": "2027-02-01"}
            ).status_code
            == 303
        )
    assert _enrolment(app, second)[0].waitlist_position == 1
    assert _enrolment(app, first)[0].waitlist_position == 2
    home = html.unescape(phone.get("/da/club/").get_data(as_text=True))
    assert home.index("Lina Haddad") < home.index("Amira Haddad")
    assert "nummer 1 i køen" in home and "nummer 2 i køen" in home
    assert len(messages(app, "club_waitlisted")) == 2
    # Then a place: the first in line starts.
    phone.post(f"/da/club/enrolments/{second}/confirm", {"start_on": "2027-02-01"})
    assert _enrolment(app, second)[0].status is EnrolmentStatus.CONFIRMED


def test_two_contacts_answering_at_once_one_answer_stands(app: Flask, world: World) -> None:
    enrolment_id = world.approved_place()
    links = [link_in(m) for m in messages(app, "enrolment_new")]
    a, b = Phone(app.test_client()), Phone(app.test_client())
    tokens = []
    for phone in (a, b):
        page = phone.get(links[0]).get_data(as_text=True)
        found = re.search(r'name="t" value="([^"]+)"', page)
        assert found
        tokens.append(found.group(1))
    assert a.post(
        f"/da/club/enrolments/{enrolment_id}/confirm", {"t": tokens[0], "start_on": "2026-12-01"}
    ).location.endswith("answer=done")
    late = b.post(
        f"/da/club/enrolments/{enrolment_id}/waitlist", {"t": tokens[1], "expected_on": ""}
    )
    assert "answer=already" in late.location
    assert _enrolment(app, enrolment_id)[0].status is EnrolmentStatus.CONFIRMED


def test_the_family_phone_is_shown_to_the_club_only_if_the_family_said_yes(
    app: Flask, world: World
) -> None:
    """DATA: a club gets a number for the start only with the family's yes (asked with the
    contact question), and never anything else about the family."""
    private, shared = world.approved_place("Amira"), world.approved_place("Lina", share_phone=True)
    phone = Phone(app.test_client())
    phone.sign_in(app)
    hidden = phone.get(f"/da/club/enrolments/{private}").get_data(as_text=True)
    shown = phone.get(f"/da/club/enrolments/{shared}").get_data(as_text=True)
    assert "tel:" not in hidden and "Telefon til starten" not in hidden
    assert 'href="tel:+4520123456"' in shown and "Telefon til starten" in shown
    # With the number, the language for the call (issue 18, item 8), named in Danish.
    assert "Familiens sprog" not in hidden
    assert "Familiens sprog</dt><dd>arabisk – der kan være brug for tolk, når I ringer" in shown


def test_ten_answers_at_the_same_moment_one_stands(app: Flask, world: World) -> None:
    """DATA-10 for enrolments: ten phones with the same message tap at once, some "start",
    some "waiting list" → one answer stands, one message to the family, one history row; the
    others are told someone answered first."""
    import threading

    enrolment_id = world.approved_place()
    link = link_in(messages(app, "enrolment_new")[0])
    phones, forms = [], []
    for _n in range(10):
        phone = Phone(app.test_client())
        page = phone.get(link).get_data(as_text=True)
        token = re.search(r'name="t" value="([^"]+)"', page)
        version = re.search(r'name="v" value="(\d+)"', page)
        assert token and version
        phones.append(phone)
        forms.append({"t": token.group(1), "v": version.group(1), "start_on": "2026-12-01"})
    results: list[str] = []
    barrier = threading.Barrier(10)

    def tap(n: int) -> None:
        barrier.wait(timeout=30)
        action = "confirm" if n % 2 else "waitlist"
        response = phones[n].post(f"/da/club/enrolments/{enrolment_id}/{action}", forms[n])
        results.append(response.location or str(response.status_code))

    threads = [threading.Thread(target=tap, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 10
    assert sum("answer=done" in r for r in results) == 1, results
    assert sum("answer=already" in r for r in results) == 9, results
    assert len(messages(app, "start_confirmed") + messages(app, "club_waitlisted")) == 1
    with app.app_context():
        changes = (
            db.session.execute(select(StatusChange).where(StatusChange.subject == "enrolment"))
            .scalars()
            .all()
        )
    assert len(changes) == 1


def test_a_stop_after_the_club_asked_for_the_fee_cancels_the_request(
    app: Flask, world: World
) -> None:
    """The money goes back to the pool, so the club's open request can never be paid: it is
    cancelled, in the history, and finance's list of open requests no longer has it."""
    from datetime import date

    from portal.auth.models import User
    from portal.enrolments import services as enrolments
    from portal.review import queries as review_queries
    from portal.schemes.models import Payment
    from portal.workflow import Actor, PaymentStatus

    enrolment_id = world.approved_place()
    with app.app_context():
        enrolment = db.session.get(Enrolment, enrolment_id)
        assert enrolment is not None
        enrolments.confirm(enrolment, date(2026, 12, 1), actor=Actor.ASSOCIATION, user_id=None)
        contact = db.session.execute(
            select(User.id).where(User.email == "rahima@club.dk")
        ).scalar_one()
        asked = enrolments.request_payment(enrolment, 1000, user_id=contact)
        assert isinstance(asked, Payment) and asked.status is PaymentStatus.REQUESTED
        assert len(review_queries.open_requests()) == 1
        enrolments.stop(enrolment, actor=Actor.ASSOCIATION, user_id=None)
        payment = db.session.execute(select(Payment)).scalar_one()
        assert payment.status is PaymentStatus.CANCELLED
        assert review_queries.open_requests() == []
        moves = db.session.execute(
            select(StatusChange.action, StatusChange.from_status, StatusChange.to_status)
            .where(StatusChange.subject == "payment")
            .order_by(StatusChange.id)
        ).all()
        assert moves == [("request", None, "requested"), ("cancel", "requested", "cancelled")]
    assert _reserved(app) == 0
