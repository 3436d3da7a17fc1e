"""A club contact on a phone: from the message to a confirmed start in two taps; signing in with
a link; axe-core on every club page in Danish, Arabic and English (A11Y-01)."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from portal.applications.models import Application
from portal.db import utcnow
from portal.demo import DEMO_APPROVED
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.workflow import EnrolmentStatus
from tests.browser.conftest import PHONE, axe_violations, new_context
from tests.browser.places import sent_cricket_place


def _latest(live_app: Flask, template: str, base_url: str) -> str:
    """The link in the newest message of ``template``, on this test server."""
    with live_app.app_context():
        body = db.session.execute(
            select(OutboxMessage.body)
            .where(OutboxMessage.template == template)
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        ).scalar_one()
        db.session.remove()
    path = next(word for word in body.split() if "://" in word).split("/", 3)[3]
    return f"{base_url}/{path}"


def test_from_the_message_to_a_confirmed_start_in_two_taps(
    browser: Browser, base_url: str, live_app: Flask
) -> None:
    context = new_context(browser, PHONE)
    page = context.new_page()
    page.goto(_latest(live_app, "enrolment_new", base_url))  # tap 1: the link in the SMS
    expect(page.locator("h1")).to_have_text("Layla Karimi")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Bekræft starten").click()  # tap 2
    expect(page.locator(".notice")).to_contain_text("Familien og guiden har fået besked")
    assert axe_violations(page) == []
    # Right after the start no season-end buttons, and a stop is asked once more (issue 18, 9).
    assert page.get_by_role("button", name="Nej, ikke længere").count() == 0
    page.get_by_role("button", name="De er stoppet").click()
    expect(page.get_by_role("alert")).to_contain_text("Er du sikker på, at")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Nej, gå tilbage").click()
    expect(page.get_by_role("button", name="De er stoppet")).to_be_visible()
    with live_app.app_context():
        application = db.session.execute(
            select(Application).where(Application.reference == DEMO_APPROVED)
        ).scalar_one()
        assert application.enrolment is not None
        assert application.enrolment.status is EnrolmentStatus.CONFIRMED
        told = db.session.execute(
            select(OutboxMessage.locale).where(
                OutboxMessage.template == "start_confirmed",
                OutboxMessage.application_id == application.id,
            )
        ).scalar_one()
        db.session.remove()
    assert told == "ar"
    context.close()


@pytest.mark.parametrize("language", ["da", "ar", "en"])
def test_signing_in_with_a_link_and_every_club_page_passes_axe(
    browser: Browser, base_url: str, live_app: Flask, language: str
) -> None:
    context = new_context(browser, PHONE)
    page = context.new_page()
    page.goto(f"{base_url}/{language}/club/")
    assert "/club/sign-in" in page.url
    assert axe_violations(page) == []
    page.locator("main button[type=submit]").click()  # nothing written: the error
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []
    page.fill("#contact", "40 50 60 70")
    page.locator("main button[type=submit]").click()
    assert axe_violations(page) == []  # "check your messages"
    page.goto(f"{base_url}/{language}/club/sign-in/not-a-link")  # a link that is not one
    expect(page.locator("#contact")).to_be_visible()
    assert axe_violations(page) == []
    page.goto(_latest(live_app, "club_sign_in", base_url))
    assert axe_violations(page) == []
    page.locator("main button[type=submit]").click()  # "Sign in"
    expect(page.locator(".members__item").first).to_be_visible()
    # The link came in the contact's own language (Danish); the page is read in this one.
    page.goto(f"{base_url}/{language}/club/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Layla Karimi").click()
    expect(page.locator("h1")).to_have_text("Layla Karimi")
    assert axe_violations(page) == []

    # An activity of the club: without its Arabic name it cannot be shown in the catalogue.
    page.goto(f"{base_url}/{language}/club/")
    page.locator("#activities-heading + ul a").first.click()
    assert axe_violations(page) == []
    arabic_name = page.locator("#name_ar").input_value()
    page.fill("#name_ar", "")
    page.check("#publish")
    page.locator("main form button[type=submit]").last.click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert page.locator("#name_ar").get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
    page.fill("#name_ar", arabic_name)  # put back: nothing was saved, and the next run sees it
    page.locator(".staff-bar button").click()  # sign out
    assert "/club/sign-in" in page.url
    context.close()


def _approved_place(live_app: Flask, first_name: str) -> tuple[int, int]:
    """Another girls' cricket place, approved by the demo guide (the club gets its message)."""
    from datetime import date

    from portal.auth.models import User
    from portal.review import services as review

    with live_app.app_context():
        reference = f"PC-{first_name[:4].upper():X<4}-22"
        application = sent_cricket_place(
            live_app, reference, (first_name, "Test"), date(2014, 1, 2), "+4529292929"
        )
        guide = db.session.execute(
            select(User).where(User.email == "guide@demo.fritidsportalen.dk")
        ).scalar_one()
        fee = application.amount_requested_kr or 0
        assert isinstance(review.approve(application, fee, guide_id=guide.id), review.Decided)
        assert application.enrolment is not None
        approved = (application.enrolment.id, fee)
        db.session.remove()
    return approved


def _reserved(live_app: Flask) -> int:
    from portal.catalogue.models import Activity
    from portal.schemes.models import SchemeYear

    with live_app.app_context():
        scheme_id = db.session.execute(
            select(Activity.scheme_id).where(Activity.slug == "girls-cricket")
        ).scalar_one()
        reserved = db.session.execute(
            select(SchemeYear.reserved_kr).where(
                SchemeYear.scheme_id == scheme_id, SchemeYear.year == utcnow().year
            )
        ).scalar_one()
        db.session.remove()
    return int(reserved)


def test_the_waiting_list_and_a_no_from_the_message_on_a_phone(
    browser: Browser, base_url: str, live_app: Flask
) -> None:
    context = new_context(browser, PHONE)
    page = context.new_page()

    waiting, _fee = _approved_place(live_app, "Maryam")
    page.goto(_latest(live_app, "enrolment_new", base_url))
    expect(page.locator("h1")).to_have_text("Maryam Test")
    page.locator("#expected_on").fill("2027-02-01")
    page.get_by_role("button", name="Sæt på ventelisten").click()
    expect(page.locator(".notice")).to_contain_text("Familien og guiden har fået besked")
    expect(page.locator("main")).to_contain_text("På jeres venteliste")
    assert axe_violations(page) == []

    declined, fee = _approved_place(live_app, "Hiba")
    before = _reserved(live_app)
    page.goto(_latest(live_app, "enrolment_new", base_url))
    expect(page.locator("h1")).to_have_text("Hiba Test")
    page.get_by_role("button", name="Sig nej").click()  # no reason chosen yet
    expect(page.locator("#decline-errors")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Holdet er fuldt.").check()
    page.get_by_role("button", name="Sig nej").click()
    expect(page.locator("main")).to_contain_text("I sagde nej")
    with live_app.app_context():
        from portal.enrolments.models import Enrolment

        statuses = {
            e.id: e.status
            for e in db.session.execute(
                select(Enrolment).where(Enrolment.id.in_((waiting, declined)))
            ).scalars()
        }
        db.session.remove()
    assert statuses == {waiting: EnrolmentStatus.WAITLISTED, declined: EnrolmentStatus.DECLINED}
    assert before - _reserved(live_app) == fee  # Hiba's approved fee is back in the pool
    context.close()
