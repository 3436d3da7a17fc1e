"""The catalogue in a real browser: with and without JavaScript, right-to-left, on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, new_context


def card_names(page: Page) -> list[str]:
    return page.locator(".card__title").all_inner_texts()


def test_filters_update_the_list_in_place_and_the_url(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/da/activities")
    everything = card_names(page)
    assert len(everything) == 25
    page.evaluate("window.__sameDocument = true")  # survives only if the page is not reloaded

    page.fill("#age", "11")
    expect(page).to_have_url(re.compile(r"age=11"))
    page.select_option("#who", "girls")
    expect(page).to_have_url(re.compile(r"who=girls"))
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\d+ aktivitet(er)? fundet$"))

    girls_11 = card_names(page)
    assert "Cricket for piger" in girls_11
    assert "Drengefodbold" not in girls_11
    assert len(girls_11) < len(everything)
    assert page.evaluate("window.__sameDocument") is True
    # The live region announces the new number.
    assert page.locator("#result-count").get_attribute("role") == "status"

    page.check("#day-1")  # Tuesday
    expect(page).to_have_url(re.compile(r"day=1"))
    tuesday = card_names(page)
    assert "Cricket for piger" in tuesday and len(tuesday) <= len(girls_11)

    page.go_back()
    expect(page).not_to_have_url(re.compile(r"day=1"))
    expect(page.locator(".card__title")).to_have_count(len(girls_11))


def test_a_shared_filtered_link_opens_filtered(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/en/activities?age=11&who=girls")
    assert page.input_value("#age") == "11"
    assert page.locator("#who").input_value() == "girls"
    assert "Cricket for girls" in card_names(page)
    assert "Boys' football" not in card_names(page)


def test_filters_work_without_javascript(browser: Browser, base_url: str) -> None:
    context = new_context(browser, PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}/ar/activities")
    page.fill("#age", "١١")  # Arabic-Indic digits
    page.select_option("#who", "girls")
    page.check("#day-1")
    page.click("button[type=submit]")

    expect(page).to_have_url(re.compile(r"/ar/activities\?.*who=girls"))
    names = card_names(page)
    assert "كريكيت للفتيات" in names
    assert "كرة القدم للأولاد" not in names
    assert page.locator("#result-count").inner_text().startswith("تم العثور")
    context.close()


def test_arabic_is_right_to_left_and_mirrored(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/ar/activities")
    assert page.locator("html").get_attribute("dir") == "rtl"
    width = page.viewport_size["width"] if page.viewport_size else PHONE["width"]

    # The site name starts at the right edge; the card's accent border is on the right.
    name_box = page.locator(".site-name").bounding_box()
    assert name_box is not None and name_box["x"] + name_box["width"] > width * 0.75
    card = page.locator(".card").first
    assert card.evaluate("e => getComputedStyle(e).borderRightWidth") == "6px"
    assert card.evaluate("e => getComputedStyle(e).borderLeftWidth") == "1px"

    page.goto(f"{base_url}/da/activities")
    name_box = page.locator(".site-name").bounding_box()
    assert name_box is not None and name_box["x"] < width * 0.25
    assert page.locator(".card").first.evaluate("e => getComputedStyle(e).borderLeftWidth") == "6px"


@pytest.mark.parametrize("lang", ["da", "ar"])
@pytest.mark.parametrize("path", ["/", "/activities", "/activities/exercise-club-women"])
def test_pages_reflow_at_320_px_without_horizontal_scrolling(
    browser: Browser, base_url: str, lang: str, path: str
) -> None:
    """A11Y-11: content reflows at 320 CSS px (WCAG 1.4.10)."""
    context = new_context(browser, {"width": 320, "height": 640})
    page = context.new_page()
    page.goto(f"{base_url}/{lang}{path}")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    context.close()


def test_first_tab_reaches_the_skip_link_and_focus_is_visible(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/da/activities")
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("Gå til indhold")
    outline = focused.evaluate(
        "e => getComputedStyle(e).outlineStyle + getComputedStyle(e).boxShadow"
    )
    assert outline != "none" + "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_the_language_switcher_keeps_the_filters(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/da/activities?age=11&who=girls")
    page.click("nav.languages a[lang=ar]")
    expect(page).to_have_url(re.compile(r"/ar/activities\?age=11&who=girls$"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.input_value("#age") == "11"


def test_keyboard_only_filtering(page: Page, base_url: str) -> None:
    page.goto(f"{base_url}/en/activities")
    page.focus("#age")
    page.keyboard.type("14")
    page.keyboard.press("Tab")  # to "Who is it for?"
    expect(page.locator(":focus")).to_have_id("who")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"age=14"))
    assert "Parkour" in card_names(page)
    assert "Football for little ones" not in card_names(page)
