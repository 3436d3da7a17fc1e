"""Static asset URLs that carry a content hash, so browsers may cache them for a year."""

from __future__ import annotations

import hashlib
import os
from functools import cache

from flask import Flask, Response, current_app, has_request_context, request, url_for


@cache
def _digest(path: str, mtime: float) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


def asset_url(filename: str) -> str:
    """``url_for('static', …)`` with ``?v=<hash of the file>`` appended. Outside development
    the files do not change while the portal runs: each URL is made once per prefix."""
    if current_app.debug:
        return _versioned(filename)
    prefix = request.script_root if has_request_context() else ""
    key = (current_app.static_folder or "", prefix, filename)
    found = _made.get(key)
    if found is None:
        found = _made[key] = _versioned(filename)
    return found


#: (static folder, the app's prefix, file) → its URL, made once outside development.
_made: dict[tuple[str, str, str], str] = {}


def _versioned(filename: str) -> str:
    folder = current_app.static_folder or ""
    path = os.path.join(folder, filename)
    try:
        version = _digest(path, os.stat(path).st_mtime)
    except FileNotFoundError:
        version = "missing"
    return url_for("static", filename=filename, v=version)


def _buffer_static_file(response: Response) -> Response:
    """Read a static file into memory and close it before Flask-Compress compresses it.

    Flask-Compress reads a file response's body but never closes the file; our CSS and JS are
    a few kilobytes, so buffering them costs nothing and leaks nothing.
    """
    if request.endpoint == "static" and "v" in request.args:
        # The URL names the content: a reload need not even ask whether it changed.
        response.cache_control.immutable = True
    if request.endpoint == "static" and response.direct_passthrough and response.status_code == 200:
        response.direct_passthrough = False
        body = response.get_data()
        response.close()
        response.set_data(body)
    return response


def init_app(app: Flask) -> None:
    app.jinja_env.globals["asset_url"] = asset_url
    # Registered after Flask-Compress, so it runs before it (after_request runs in reverse).
    app.after_request(_buffer_static_file)
