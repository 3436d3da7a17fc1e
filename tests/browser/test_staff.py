"""Staff in a real browser: sign in with a password and the authenticator's code, see the
queue. axe-core on every staff page (A11Y-01), in Danish and English, at desk size and on a
phone (a guide at a meeting with a tablet)."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.auth.models import User
from portal.demo import DEMO_PASSWORD_ADMIN, DEMO_PASSWORD_GUIDE, DEMO_TOTP_SECRET
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from tests.browser.conftest import DESKTOP, PHONE, axe_violations, new_context
from tests.browser.places import sent_cricket_place

GUIDE = "guide@demo.fritidsportalen.dk"


def fresh_code(live_app: Flask, email: str = GUIDE) -> str:
    """The demo guide's next unused code: each code works once, and another test in this run
    may have used the current one (then the next one, which the portal accepts, or a wait)."""
    totp = pyotp.TOTP(DEMO_TOTP_SECRET)
    with live_app.app_context():
        last = db.session.execute(
            select(User.totp_last_step).where(User.email == email)
        ).scalar_one()
        db.session.remove()
    while True:
        step = int(time.time()) // 30
        wanted = max(step, (last or 0) + 1)
        if wanted <= step + 1:
            return totp.generate_otp(wanted)
        time.sleep(1)


def sign_in(
    page: Page,
    base_url: str,
    live_app: Flask,
    language: str = "da",
    email: str = GUIDE,
    password: str = DEMO_PASSWORD_GUIDE,
) -> None:
    """Password, then the authenticator's code: the queue (or the page asked for) opens."""
    page.goto(f"{base_url}/{language}/staff/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.locator("main button[type=submit]").click()
    page.fill("#code", fresh_code(live_app, email))
    page.locator("main button[type=submit]").click()


@pytest.mark.parametrize(("language", "viewport"), [("da", DESKTOP), ("en", PHONE)])
def test_a_guide_signs_in_with_the_code_from_the_app(
    browser: Browser, base_url: str, live_app: Flask, language: str, viewport: dict[str, int]
) -> None:
    context = new_context(browser, viewport)
    page = context.new_page()
    page.goto(f"{base_url}/{language}/staff/")
    assert "/staff/sign-in" in page.url  # the queue asks for sign-in first
    assert axe_violations(page) == []

    page.locator("button[type=submit]").click()  # nothing typed: errors in the summary
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []

    page.fill("#email", GUIDE)
    page.fill("#password", DEMO_PASSWORD_GUIDE)
    page.locator("main button[type=submit]").click()
    assert page.url.endswith("/staff/sign-in/code")
    assert axe_violations(page) == []
    page.fill("#code", "000000")
    page.locator("main button[type=submit]").click()
    expect(page.locator("main [role=alert]")).to_be_visible()
    page.fill("#code", fresh_code(live_app))
    page.locator("main button[type=submit]").click()

    expect(page.locator("h1")).to_have_text("Kø" if language == "da" else "Queue")
    expect(page.locator(".staff-bar__name")).to_have_text("Mette Guide")
    assert axe_violations(page) == []
    if language == "da":
        decide_a_case(page, live_app)
    page.locator(".staff-bar button").click()  # sign out
    assert "/staff/sign-in" in page.url
    context.close()


def decide_a_case(page: Page, live_app: Flask) -> None:
    """From the queue to the case, approve, and the family's message is waiting in Arabic."""
    page.get_by_role("link", name="PC-7K3Q-92").click()
    expect(page.locator("h1")).to_contain_text("Amira")
    expect(page.locator(".case__side")).to_contain_text("Tilbage i puljen")
    assert axe_violations(page) == []
    # Asking with nothing written: htmx swaps in the decision panel alone, its error announced
    # (role=alert) and the rest of the page as it was.
    page.get_by_role("button", name="Spørg familien").click()
    expect(page.locator("#panel-decide #ask-errors")).to_be_visible()
    expect(page.locator("#panel-decide #ask-errors")).to_have_attribute("role", "alert")
    expect(page.locator("h1")).to_contain_text("Amira")
    assert page.url.endswith("/cases/PC-7K3Q-92")  # swapped in place, not a page of /ask
    assert axe_violations(page) == []
    page.locator("#amount_kr").fill("300")
    page.get_by_role("button", name="Godkend").click()
    expect(page.locator(".notice")).to_contain_text("Familien har fået besked")
    assert axe_violations(page) == []
    with live_app.app_context():
        body = db.session.execute(
            select(OutboxMessage.body)
            .where(OutboxMessage.template == "application_approved")
            .order_by(OutboxMessage.id.desc())
            .limit(1)
        ).scalar_one()
        db.session.remove()
    assert "تمت الموافقة على طلبك" in body and "PC-7K3Q-92" in body

    # The club says on the phone that Amira has started; the guide records it for the club.
    page.locator("#start_on").fill("2026-11-20")
    page.get_by_role("button", name="Bekræft på foreningens vegne").click()
    # (htmx sends the browser to the page after the answer: wait for it before looking.)
    expect(page.locator(".notice")).to_contain_text("Starten er bekræftet")
    assert axe_violations(page) == []
    # The club is paid: the form comes filled in from the case (club, CVR, amount, today).
    expect(page.locator("#payee_cvr")).to_have_value("29871635")
    page.get_by_role("button", name="Registrér udbetalingen").click()
    expect(page.locator(".notice")).to_contain_text("Udbetalingen er registreret")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Kø").first.click()
    page.get_by_role("link", name="Udbetalinger til økonomi").click()
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Hent CSV").click()
    assert "PC-7K3Q-92" in download.value.path().read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("javascript", [True, False])
def test_filtering_the_queue_with_and_without_javascript(
    browser: Browser, base_url: str, live_app: Flask, javascript: bool
) -> None:
    context = new_context(browser, DESKTOP, java_script_enabled=javascript)
    page = context.new_page()
    sign_in(page, base_url, live_app)
    expect(page.locator("h1")).to_have_text("Kø")

    # The filters are folded (the list comes first on a phone); the search is not.
    assert page.locator("details.queue-filters__more").get_attribute("open") is None
    page.locator("details.queue-filters__more > summary").click()
    page.select_option("#waiting", "")  # everything, decided or not
    if not javascript:
        page.get_by_role("button", name="Vis").click()
    page.fill("#q", "Yusuf")
    if javascript:
        # htmx swaps the list in place after a pause in typing; the address follows.
        expect(page.locator("#queue-results tbody tr")).to_have_count(1)
        expect(page).to_have_url(re.compile(r"q=Yusuf"))
    else:
        page.get_by_role("button", name="Vis").click()
        assert "q=Yusuf" in page.url
    expect(page.locator("#queue-results")).to_contain_text("FP-9HJW-5C")
    expect(page.locator("#queue-results tbody tr")).to_have_count(1)
    if javascript:
        assert axe_violations(page) == []  # after the swap too
    context.close()


def test_an_administrators_pages_pass_axe(browser: Browser, base_url: str, live_app: Flask) -> None:
    """A11Y-01 on the administrator's pages (the demo administrator has the same app code)."""
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    sign_in(page, base_url, live_app, "en", "admin@demo.fritidsportalen.dk", DEMO_PASSWORD_ADMIN)
    for link in ("Staff", "Pools and caps", "Reasons", "Access log"):
        page.get_by_role("link", name=link, exact=True).click()
        assert axe_violations(page) == [], link
    # A scheme's success criterion: one language left empty is refused, with the errors shown.
    page.get_by_role("link", name="Pools and caps", exact=True).click()
    criterion = page.locator("details.criterion").first
    criterion.evaluate("details => { details.open = true; }")
    criterion.get_by_label("English").fill("")
    criterion.get_by_role("button", name="Save the success criterion").click()
    expect(page.locator("details.criterion .error-summary")).to_be_visible()
    assert axe_violations(page) == []
    # Next year's pools, and a new scheme (with the errors of an empty form).
    page.get_by_role("link", name="Pools and caps", exact=True).click()
    page.get_by_role("navigation", name="Years").get_by_role("link").last.click()
    expect(page.locator("h1")).to_contain_text(str(time.gmtime().tm_year + 1))
    assert axe_violations(page) == []
    page.get_by_role("link", name="A new scheme").click()
    page.get_by_role("button", name="Save the scheme").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []
    # The associations and their contacts (guides have these pages too).
    page.get_by_role("link", name="Associations", exact=True).click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Vejle Cricket Klub").click()
    expect(page.locator("main")).to_contain_text("Rahima Træner")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Save the contact").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []
    page.locator(".back-link").click()  # back to the associations
    page.get_by_role("link", name="A new association").click()
    page.get_by_role("button", name="Save the association").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Access log", exact=True).click()
    page.fill("#reference", "PC-7K3Q-92")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table")).to_be_visible()
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_guide_settles_a_possible_match_on_the_case(
    browser: Browser, base_url: str, live_app: Flask, viewport: dict[str, int]
) -> None:
    """Issue 12: "maybe the same person as …" on the case, with axe; the guide says it is, and
    the case shows both applications of the one person."""
    from datetime import date

    # Another phone each time: the two runs' children are not certainly the same person.
    phone = "+4529990001" if viewport is DESKTOP else "+4529990002"
    reference = "PC-AMRA-2D" if viewport is DESKTOP else "PC-AMRA-2P"
    with live_app.app_context():
        application = sent_cricket_place(
            live_app, reference, ("Amera", "Hadad"), date(2015, 5, 3), phone
        )
        # Its receipt SMS never arrived: the case asks the guide to call (axe checks it too).
        db.session.add(
            OutboxMessage(
                channel="sms", recipient=phone, locale="ar", template="application_submitted",
                body="…", status="failed", application_id=application.id,
            )
        )  # fmt: skip
        db.session.commit()
        db.session.remove()

    context = new_context(browser, viewport)
    page = context.new_page()
    sign_in(page, base_url, live_app)
    page.goto(f"{base_url}/da/staff/cases/{reference}")
    expect(page.locator(".notice--warning").first).to_contain_text("En besked nåede ikke familien")
    panel = page.locator("#panel-person")
    expect(panel).to_contain_text("Måske den samme som PC-7K3Q-92 (Amira Haddad, 3. maj 2015)")
    expect(page.locator("#panel-decide")).to_contain_text("Måske den samme person")
    assert axe_violations(page) == []
    panel.get_by_role("button", name="Samme person").click()
    expect(panel).to_contain_text("Den samme person som PC-7K3Q-92")
    expect(panel).to_contain_text("Bekræftet af en vejleder")
    # The person's applications: Amira's cricket place and two for equipment, and this one.
    expect(panel.locator("li", has_text=reference)).to_have_count(1)
    expect(panel.locator("li", has_text="UD-5AMR-9P")).to_have_count(1)
    assert axe_violations(page) == []
    context.close()
