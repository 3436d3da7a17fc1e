"""A live portal on demo data, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.browser.chromium import demo_app, launch_chromium
from tests.conftest import dispose, make_config
from tests.serving import serve

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = (ROOT / "node_modules/axe-core/axe.min.js").read_text()
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    path = tmp_path_factory.mktemp("live") / "portal.sqlite3"
    uploads = tmp_path_factory.mktemp("live-uploads")
    app = demo_app(
        str(path),
        **make_config(f"sqlite:///{path}", DEV_OUTBOX=True, UPLOAD_FOLDER=str(uploads)),
    )
    yield app
    dispose(app)


@pytest.fixture(scope="session")
def base_url(live_app: Flask) -> Iterator[str]:
    with serve(live_app) as url:
        live_app.config["PUBLIC_URL"] = url  # links in messages lead back to this server
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = launch_chromium(playwright)
    yield browser
    browser.close()


def new_context(
    browser: Browser, viewport: dict[str, int] = PHONE, **options: Any
) -> BrowserContext:
    context = browser.new_context(viewport=viewport, **options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = new_context(browser)
    yield context.new_page()
    context.close()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0–2.2 A and AA, with ``target-size`` on) on the page as it is now.

    The script is evaluated through the DevTools protocol, so the page's CSP (no inline
    scripts) stays in force for everything else.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    result: dict[str, Any] = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            rules: {'target-size': {enabled: true}},
        })""",
        AXE_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]
