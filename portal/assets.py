"""Static asset URLs that carry a content hash, so browsers may cache them for a year."""

from __future__ import annotations

import hashlib
import os
from functools import cache

from flask import Flask, current_app, url_for


@cache
def _digest(path: str, mtime: float) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """``url_for('static', …)`` with ``?v=<hash of the file>`` appended."""
    folder = current_app.static_folder or ""
    path = os.path.join(folder, filename)
    try:
        version = _digest(path, os.stat(path).st_mtime)
    except FileNotFoundError:
        version = "missing"
    return url_for("static", filename=filename, v=version)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["asset_url"] = asset_url
