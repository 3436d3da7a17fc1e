"""The report in a real browser: at desk size and on a phone, in Danish and Arabic, axe-core
finds nothing (A11Y-01); every chart is an image with a name, the tables scroll inside the page
(the page itself never scrolls sideways on a phone); the committee's version prints on A4."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Browser

from tests.browser.conftest import DESKTOP, PHONE, axe_violations, new_context
from tests.browser.test_staff import sign_in


def test_the_report_reads_well_everywhere_and_prints_on_a4(
    browser: Browser, base_url: str, live_app: Flask
) -> None:
    """One guide, signed in once (each sign-in needs a fresh authenticator code), reads the
    report in Danish and Arabic at desk size and on a phone, then prints the committee's version."""
    context = new_context(browser, DESKTOP)
    page = context.new_page()
    sign_in(page, base_url, live_app, "da")
    page.locator(".staff-bar a[href$='/staff/reports/']").click()
    page.wait_for_url("**/da/staff/reports/")
    for language, viewport in (("da", DESKTOP), ("da", PHONE), ("ar", DESKTOP), ("ar", PHONE)):
        page.set_viewport_size(viewport)
        page.goto(f"{base_url}/{language}/staff/reports/")
        assert axe_violations(page) == [], (language, viewport)
        charts = page.locator("svg.chart__svg[role=img]")
        assert charts.count() == 9
        for n in range(charts.count()):
            assert charts.nth(n).get_attribute("aria-labelledby")
        if language == "da":  # the demo's history is in the figures
            applied = re.search(r"<p>(\d+) personer søgte", page.content())
            assert applied and int(applied.group(1)) > 0
        # Nothing wider than the screen but the tables' own scrolling boxes.
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        if language == "ar":
            bar = page.locator("svg.chart__svg rect.chart__bar--0").first.bounding_box()
            chart = page.locator("svg.chart__svg").first.bounding_box()
            assert bar and chart
            assert bar["x"] > chart["x"] + chart["width"] / 2  # mirrored: from the right

    # The filter is a GET form: choosing a season shows it in the address.
    page.goto(f"{base_url}/da/staff/reports/")
    page.select_option("#period", "season")
    page.locator("form.queue-filters button[type=submit]").click()
    page.wait_for_url("**period=season**")
    assert axe_violations(page) == []

    # The committee's version: A4, several pages, no navigation.
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base_url}/da/staff/reports/print")
    assert axe_violations(page) == []
    page.emulate_media(media="print")
    assert page.locator(".no-print").first.is_hidden()
    assert page.locator(".print-header").is_visible()
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 2  # several A4 pages
    context.close()
