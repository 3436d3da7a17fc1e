"""Friendly error pages in the page's language."""

from __future__ import annotations

import contextlib

from flask import Flask, Response, current_app, g, make_response, render_template
from flask.typing import ResponseReturnValue
from redis.exceptions import RedisError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from portal import logs
from portal.extensions import compress, db

#: Codes with a page of their own; any other 4xx gets the 400 page's wording.
PAGES = {400, 403, 404, 405, 413, 429, 500, 503}
#: How long a browser (or a family) is asked to wait when the database or the rate-limit store
#: is away for a moment.
RETRY_AFTER_SECONDS = 10


def _http_error(error: HTTPException) -> ResponseReturnValue:
    """Unhandled exceptions arrive here too, as a 500 (Flask wraps them)."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    template = f"errors/{code if code in PAGES else (500 if code >= 500 else 400)}.html"
    # The 500 page shows the start of the request's id: the family can read it out on the phone.
    return render_template(template, code=code, request_id=logs.request_id()), code


def _unavailable(error: Exception) -> ResponseReturnValue:
    """The database is away (a restart), busy (SQLite's write lock held past the busy timeout)
    or the rate-limit store is down: "try again in a moment", 503 with ``Retry-After`` — never
    a 500. The page asks nothing of the database (not even who is signed in)."""
    with contextlib.suppress(Exception):
        db.session.rollback()
    current_app.logger.error("unavailable: %s: %s", type(error).__name__, error)
    g.staff = None
    g.club_contact = None
    response = make_response(render_template("errors/503.html", code=503), 503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _compress_error_page(response: Response) -> Response:
    """Flask-Compress leaves every answer but a 2xx as it is; an error page (a family's mistyped
    link on a weak connection: a 404 of 2.3 KB) is compressed like any other page (issue 18).
    Runs just before Flask-Compress's own hook, which then passes the answer by."""
    if 400 <= response.status_code < 600 and not response.direct_passthrough:
        status = response.status_code
        response.status_code = 200
        try:
            response = compress.after_request(response)
        finally:
            response.status_code = status
    return response


def init_app(app: Flask) -> None:
    app.after_request(_compress_error_page)
    app.register_error_handler(HTTPException, _http_error)
    for unavailable in (OperationalError, InterfaceError, PoolTimeout, RedisError):
        app.register_error_handler(unavailable, _unavailable)
