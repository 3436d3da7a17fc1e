"""Bytes a phone downloads for each page of the shortest application (cold cache each time).

Walks the girls' cricket application in Danish and Arabic in Debian's Chromium; for every page
on the way, a fresh browser context (same session, empty cache) loads it again and Chromium's
own accounting gives the bytes on the wire (headers + compressed body, HTML + CSS + JS).

    .venv/bin/python -m bench.application_steps
"""

from __future__ import annotations

import tempfile

from playwright.sync_api import Browser, sync_playwright

from bench.page_weight import BUDGET, transferred
from tests.browser.chromium import demo_app, launch_chromium
from tests.browser.test_apply import answer, continue_, step_name
from tests.serving import serve

PHONE = {"width": 390, "height": 844}


def cold_load(browser: Browser, state: dict, url: str, base: str) -> int:  # type: ignore[type-arg]
    context = browser.new_context(viewport=PHONE, storage_state=state)
    size, _ = transferred(context.new_page(), url, base)
    context.close()
    return size


def walk(browser: Browser, base: str, lang: str) -> list[tuple[str, int, int]]:
    """(page, bytes on a cold cache, fields typed) for every page of the journey."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    rows = []
    page.goto(f"{base}/{lang}/activities/girls-cricket")
    page.locator("main a.button").click()
    rows.append(("start", cold_load(browser, context.storage_state(), page.url, base), 0))
    continue_(page)
    while step_name(page) != "check":
        step = step_name(page)
        size = cold_load(browser, context.storage_state(), page.url, base)
        typed = page.locator("main form input[type=text], main form textarea").count()
        rows.append((step, size, typed))
        answer(page, step, lang)
        continue_(page)
    rows.append(("check", cold_load(browser, context.storage_state(), page.url, base), 0))
    page.locator("main form button[type=submit]").click()
    rows.append(("sent", cold_load(browser, context.storage_state(), page.url, base), 0))
    page.locator("main a.button").click()
    rows.append(("status", cold_load(browser, context.storage_state(), page.url, base), 0))
    context.close()
    return rows


def main() -> None:
    app = demo_app(f"{tempfile.mkdtemp()}/bench.sqlite3")
    with serve(app) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        results = {lang: walk(browser, base, lang) for lang in ("da", "ar")}
        browser.close()
    print("| page | da | ar | text fields on the page |")
    print("| --- | --- | --- | --- |")
    for (step, da, typed), (_, ar, _) in zip(results["da"], results["ar"], strict=True):
        print(f"| {step} | {da / 1024:.1f} KB | {ar / 1024:.1f} KB | {typed} |")
    worst = max(size for rows in results.values() for _, size, _ in rows)
    questions = [row for row in results["da"] if row[0] not in ("start", "check", "sent", "status")]
    print()
    print(
        f"{len(questions)} questions after 'Start', then 'check your answers' and 'send': "
        f"{len(results['da'])} pages; largest first load {worst / 1024:.1f} KB "
        f"(budget {BUDGET / 1024:.0f} KB: {'within' if worst <= BUDGET else 'OVER'})."
    )


if __name__ == "__main__":
    main()
