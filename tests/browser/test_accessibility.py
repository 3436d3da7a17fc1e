"""A11Y-01: axe-core finds 0 violations on every public page, in every language, on a phone
and a desktop, in the empty state, with results, with errors shown and after an htmx swap."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import DESKTOP, PHONE, axe_violations, new_context

PAGES = [
    "/{lang}/",
    "/{lang}/activities",
    "/{lang}/activities?age=11&who=girls&day=1",  # filtered
    "/{lang}/activities?age=3&who=men",  # no results
    "/{lang}/activities?age=abc",  # an error shown
    "/{lang}/activities/girls-cricket",
    "/{lang}/activities/boys-football",  # full: waiting list
    "/{lang}/accessibility",
    "/{lang}/privacy",
    "/{lang}/no-such-page",  # 404
]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("lang", ["da", "ar", "en"])
def test_public_pages_have_no_axe_violations(
    browser: Browser, base_url: str, lang: str, viewport: dict[str, int]
) -> None:
    context = new_context(browser, viewport)
    page = context.new_page()
    failures = {}
    for path in PAGES:
        page.goto(base_url + path.format(lang=lang))
        violations = axe_violations(page)
        if violations:
            failures[path] = violations
    context.close()
    assert failures == {}


@pytest.mark.parametrize("lang", ["da", "ar", "en"])
def test_catalogue_has_no_axe_violations_after_htmx_swaps(
    browser: Browser, base_url: str, lang: str
) -> None:
    context = new_context(browser, PHONE)
    page = context.new_page()
    page.goto(f"{base_url}/{lang}/activities")
    count = page.locator("#result-count")
    before = count.inner_text()

    page.select_option("#who", "girls")
    expect(count).not_to_have_text(before)
    assert axe_violations(page) == []

    page.fill("#age", "abc")
    expect(page.locator("#error-summary")).to_be_visible()
    assert axe_violations(page) == []
    context.close()
