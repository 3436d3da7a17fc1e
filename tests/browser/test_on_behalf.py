"""A guide applies with a family at the desk, in Arabic, on a tablet; the family says yes on
its own phone from the SMS. axe-core on each page on the way (A11Y-01), the guide's bar in
Danish on the Arabic pages included."""

from __future__ import annotations

from flask import Flask
from playwright.sync_api import Browser, expect
from sqlalchemy import select

from portal.applications.models import Application
from portal.extensions import db
from tests.browser.conftest import DESKTOP, PHONE, axe_violations, new_context
from tests.browser.test_apply import outbox_link, walk_to_check
from tests.browser.test_staff import sign_in


def test_a_guide_fills_it_in_in_arabic_and_the_family_says_yes_on_its_phone(
    browser: Browser, base_url: str, live_app: Flask
) -> None:
    desk = new_context(browser, DESKTOP)
    page = desk.new_page()
    sign_in(page, base_url, live_app)

    page.get_by_role("link", name="Ansøg sammen med en familie").click()
    expect(page.locator("h1")).to_have_text("Ansøg sammen med en familie")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Start ansøgningen").click()  # nothing chosen
    expect(page.locator("#error-summary")).to_contain_text("Vælg familiens sprog")
    assert axe_violations(page) == []
    page.check("input[name=language][value=ar]")
    page.check("input[name=kind][value=leisure_pass]")
    page.get_by_role("button", name="Start ansøgningen").click()

    # The family's questions, in Arabic, with the guide's bar in Danish above them.
    assert page.locator("html").get_attribute("dir") == "rtl"
    banner = page.locator(".assist-banner")
    expect(banner).to_contain_text("Du udfylder en ansøgning sammen med en familie")
    assert banner.get_attribute("lang") == "da"
    walk_to_check(page, "ar")
    assert axe_violations(page) == []
    page.get_by_role("button", name="أرسل الرابط إلى العائلة").click()
    expect(page.locator(".notice")).to_contain_text("Linket er sendt til familien")
    expect(page.locator("main table")).to_contain_text("أميرة حداد")
    assert axe_violations(page) == []

    # The family's own phone: the link from the SMS, the answers, one tap to say yes.
    phone = new_context(browser, PHONE)
    family = phone.new_page()
    family.goto(outbox_link(live_app, "consent_request"))
    expect(family.locator("h1")).to_have_text("تحقق من الطلب ووافق عليه")
    expect(family.locator(".summary")).to_contain_text("أميرة حداد")
    assert family.locator(".assist-banner").count() == 0
    assert axe_violations(family) == []
    family.get_by_role("button", name="نعم، هذا صحيح. أرسل الطلب").click()
    expect(family.locator(".notice")).to_contain_text("تم إرسال الطلب")
    assert axe_violations(family) == []

    with live_app.app_context():
        reference, locale = db.session.execute(
            select(Application.reference, Application.consent_locale).where(
                Application.consent_at.is_not(None)
            )
        ).one()
        db.session.remove()
    assert locale == "ar"
    page.goto(f"{base_url}/da/staff/cases/{reference}")
    expect(page.locator("main")).to_contain_text("Familien sagde ja")
    assert axe_violations(page) == []
    phone.close()
    desk.close()
