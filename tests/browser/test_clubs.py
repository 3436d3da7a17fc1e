"""A club contact on a phone: from the message to a confirmed start in two taps; signing in with
a link; axe-core on every club page in Danish, Arabic and English (A11Y-01)."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from portal.applications.models import Application
from portal.demo import DEMO_APPROVED
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.workflow import EnrolmentStatus
from tests.browser.conftest import PHONE, axe_violations, new_context


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
    page.goto(_latest(live_app, "club_sign_in", base_url))
    assert axe_violations(page) == []
    page.locator("main button[type=submit]").click()  # "Sign in"
    expect(page.locator(".members__item").first).to_be_visible()
    # The link came in the contact's own language (Danish); the page is read in this one.
    page.goto(f"{base_url}/{language}/club/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    assert axe_violations(page) == []
    page.locator(".members__item a").first.click()
    expect(page.locator("h1")).to_have_text("Layla Karimi")
    assert axe_violations(page) == []
    page.locator(".staff-bar button").click()  # sign out
    assert "/club/sign-in" in page.url
    context.close()
