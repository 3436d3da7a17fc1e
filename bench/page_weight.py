"""Bytes a phone downloads for a citizen page: first load (cold cache) and the next page.

Serves the portal on demo data and lets Debian's Chromium load the pages; every response's
size as it crossed the wire (headers + compressed body) comes from Chromium's own accounting.

    .venv/bin/python -m bench.page_weight            # da, ar and en
"""

from __future__ import annotations

import tempfile

from playwright.sync_api import Page, Response, sync_playwright

from tests.browser.chromium import demo_app, launch_chromium
from tests.serving import serve

BUDGET = 60 * 1024  # QUALITY.md: a citizen page's first load is at most 60 KB


def transferred(page: Page, url: str, base: str) -> tuple[int, list[str]]:
    """Load ``url``; return the bytes that crossed the wire and what was fetched."""
    seen: list[Response] = []

    def record(response: Response) -> None:  # Playwright needs a Python function here
        seen.append(response)

    page.on("response", record)
    page.goto(url, wait_until="networkidle")
    page.remove_listener("response", record)
    total = 0
    names = []
    for response in seen:
        sizes = response.request.sizes()
        total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        encoding = response.headers.get("content-encoding", "none")
        names.append(f"{response.url.replace(base, '')} ({encoding})")
    return total, names


def main() -> None:
    app = demo_app(f"{tempfile.mkdtemp()}/bench.sqlite3")
    rows = []
    with serve(app) as base, sync_playwright() as p:
        browser = launch_chromium(p)
        for lang in ("da", "ar", "en"):
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            first, names = transferred(page, f"{base}/{lang}/activities", base)
            second, _ = transferred(page, f"{base}/{lang}/activities/girls-cricket", base)
            rows.append((lang, first, second, names))
            context.close()
        browser.close()

    print("| pages | first load (cold cache) | next page (warm cache) |")
    print("| --- | --- | --- |")
    for lang, first, second, _ in rows:
        print(
            f"| /{lang}/activities, then /{lang}/activities/girls-cricket "
            f"| {first / 1024:.1f} KB | {second / 1024:.1f} KB |"
        )
    print()
    print("First load of /da/activities fetched:", ", ".join(rows[0][3]))
    worst = max(row[1] for row in rows)
    verdict = "within" if worst <= BUDGET else "OVER"
    print(f"Budget {BUDGET / 1024:.0f} KB: {verdict} (largest first load {worst / 1024:.1f} KB)")


if __name__ == "__main__":
    main()
