"""Debian's Chromium through Playwright, and the portal on demo data (served by tests/serving.py).

Shared by the browser tests and ``bench/``. Playwright cannot download its own browser here, so
it launches ``/usr/bin/chromium`` (``make test`` installs it) with the flags a root user on a
closed network needs.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from playwright.sync_api import Browser, Playwright

from portal import create_app
from portal.demo import load_demo_data
from portal.extensions import db

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch_chromium(playwright: Playwright) -> Browser:
    assert os.path.exists(CHROMIUM), f"{CHROMIUM} is missing: run `make chromium`"
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def demo_app(database_path: str, **config: Any) -> Flask:
    """The portal on a new SQLite database holding the demo data."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database_path}", **config})
    with app.app_context():
        db.create_all()
        load_demo_data()
    return app
