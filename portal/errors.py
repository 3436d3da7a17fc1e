"""Friendly error pages in the page's language."""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from portal.extensions import db

#: Codes with a page of their own; any other 4xx gets the 400 page's wording.
PAGES = {400, 403, 404, 405, 413, 429, 500}


def _http_error(error: HTTPException) -> ResponseReturnValue:
    """Unhandled exceptions arrive here too, as a 500 (Flask wraps them)."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    template = f"errors/{code if code in PAGES else (500 if code >= 500 else 400)}.html"
    return render_template(template, code=code), code


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
