"""Equipment support in a real browser on a phone: the list of things, and a photo of the
receipt taken from the "camera" (a file chosen in the file input). With htmx the photo goes at
once and its preview appears; without JavaScript the form's own button sends it. axe-core runs
on every page, also after the swap (A11Y-01)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.applications import files
from tests.browser.conftest import PHONE, axe_violations, new_context
from tests.browser.test_apply import REFERENCE, answer, continue_, step_name


def add_item(page: Page, what: str, price: str) -> None:
    page.fill("input[name=description]", what)
    page.fill("input[name=price_kr]", price)
    page.locator("button[name=action][value=add]").click()


@pytest.mark.parametrize(
    ("language", "javascript"), [("ar", True), ("da", True), ("en", True), ("da", False)]
)
def test_a_parent_asks_for_boots_and_sends_the_receipt(
    browser: Browser, base_url: str, tmp_path: Path, language: str, javascript: bool
) -> None:
    photo = tmp_path / "receipt.jpg"
    photo.write_bytes(files.photo(size=(1600, 1200), gps=True))
    context = new_context(browser, PHONE, java_script_enabled=javascript)
    page = context.new_page()
    failures: dict[str, list[object]] = {}

    def axe(label: str) -> None:
        if violations := axe_violations(page) if javascript else []:
            failures[label] = violations

    page.goto(f"{base_url}/{language}/apply")
    page.check("input[name=kind][value=equipment]")
    continue_(page)
    assert step_name(page) == "eligibility"
    axe("eligibility")
    page.check("input[name=has_pass][value=yes]")
    continue_(page)
    latin = ["latin-name"] if language == "ar" else []
    for step in ("participant", *latin, "birth-date"):
        assert step_name(page) == step
        axe(step)
        answer(page, step, language)
        continue_(page)

    assert step_name(page) == "items"
    axe("items")
    add_item(
        page,
        "حذاء كرة قدم" if language == "ar" else "Fodboldstøvler",
        "٤٥٠" if language == "ar" else "450",
    )
    add_item(page, "واقي الساق" if language == "ar" else "Benskinner", "120")
    expect(page.locator(".item-list__row")).to_have_count(3)  # two things and the total
    expect(page.locator(".item-list__row--total")).to_contain_text("570")
    expect(page.locator(".notice")).to_be_visible()  # above the 500 kr cap: said plainly
    axe("items with a list")
    page.locator("button[name=action][value=continue]").click()

    assert step_name(page) == "paid"
    axe("paid")
    page.check("input[name=already_paid][value=paid]")
    continue_(page)

    assert step_name(page) == "receipts"
    axe("receipts")
    page.set_input_files("input[type=file]", str(photo))
    if not javascript:
        page.locator("button[name=action][value=upload]").click()
    preview = page.locator("img.upload-list__preview")
    expect(preview).to_have_count(1)
    # The preview is really loaded (served through the draft's own route, not a broken image).
    # Waited for with the image's own load event: a polled page.wait_for_function evaluates its
    # predicate with eval() in the page, which the portal's CSP refuses whenever the first look
    # comes too early (it failed so once, on a loaded machine).
    width = preview.evaluate(
        """img => img.complete ? img.naturalWidth : new Promise(done => {
            img.addEventListener("load", () => done(img.naturalWidth), {once: true});
            img.addEventListener("error", () => done(0), {once: true});
        })"""
    )
    assert width > 0
    axe("receipts after the photo")
    if javascript:
        # The swap brought a fresh, empty input: "Continue" does not send the photo again.
        assert page.locator("input[type=file]").evaluate("input => input.files.length") == 0
    continue_(page)

    for step in ("relation", "contact", "postcode", "message"):
        assert step_name(page) == step
        axe(step)
        answer(page, step, language)
        continue_(page)
    assert step_name(page) == "check"
    axe("check")
    expect(page.locator(".summary")).to_contain_text("receipt.jpg")
    page.locator("main form button[type=submit]").click()
    assert REFERENCE.fullmatch(page.locator(".reference").inner_text())
    page.locator("main a.button").click()  # "See your application"
    expect(page.locator("img.upload-list__preview")).to_have_count(1)
    axe("status")
    assert failures == {}
    context.close()
