"""Security headers on every response, in one place (see QUALITY.md and SEC-12..15), and the
edge every request passes first: no control characters and only valid UTF-8 in its path, its
query or its form (SEC-30)."""

from __future__ import annotations

from typing import Any, NoReturn
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, abort, g, request
from werkzeug.routing import IntegerConverter, Map

from portal.forms import unprintable

#: A form body larger than this is checked as decoded values only (uploads are multipart).
RAW_FORM_CHECK_BYTES = 1_000_000

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def mark_public() -> None:
    """Call in a view whose page holds no personal data: it may then be revalidated from cache."""
    g.public_page = True


#: On every response, unless the view set its own (name in lower case for the look-up).
SECURITY_HEADERS = (
    ("content-security-policy", "Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "X-Content-Type-Options", "nosniff"),
    ("referrer-policy", "Referrer-Policy", "same-origin"),
    (
        "strict-transport-security",
        "Strict-Transport-Security",
        "max-age=31536000; includeSubDomains",
    ),
    ("cross-origin-opener-policy", "Cross-Origin-Opener-Policy", "same-origin"),
    ("permissions-policy", "Permissions-Policy", "camera=(self), geolocation=(), microphone=()"),
)


def _headers(response: Response) -> Response:
    headers = response.headers
    present = {name.lower() for name, _value in headers.items()}  # one pass, not one per header
    for lower, name, value in SECURITY_HEADERS:
        if lower not in present:
            headers.add(name, value)
    if response.mimetype == "text/html" and "cache-control" not in present:
        # Pages are private unless a view says otherwise: a shared phone or a proxy must not keep
        # a family's data.
        headers["Cache-Control"] = "no-cache" if g.get("public_page") else "no-store"
    return response


def _private_by_default() -> None:
    g.public_page = False


def _valid_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _refuse() -> NoReturn:
    """The 400 page, in the visitor's language (already known from the path), built without the
    refused values: no view's arguments, no rule (so nothing on the page looks them up)."""
    request.url_rule = None
    request.view_args = {}
    abort(400)


def _refuse_what_nobody_types() -> None:
    """400, in the visitor's language, for a NUL byte or another control character, a lone
    surrogate or bytes that are not UTF-8 — in the path, the query or a form field. Checked
    once, here, so no page, query or database ever sees them (PostgreSQL refuses NUL with an
    error, which was a 500). Tabs and line breaks are allowed in form fields (text areas);
    one-line fields fold them into spaces."""
    path = request.environ.get("PATH_INFO", "")
    if not _valid_utf8(path.encode("latin-1", "replace")) or unprintable(request.path):
        _refuse()
    if not _valid_utf8(unquote_to_bytes(request.query_string.replace(b"+", b" "))):
        _refuse()
    if any(unprintable(key) or unprintable(value) for key, value in request.args.items(multi=True)):
        _refuse()
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if (
        request.mimetype == "application/x-www-form-urlencoded"
        and (request.content_length or 0) <= RAW_FORM_CHECK_BYTES
    ):
        raw = request.get_data(cache=True)  # the form is parsed from this copy afterwards
        if not _valid_utf8(unquote_to_bytes(raw.replace(b"+", b" "))):
            _refuse()
    fields = request.form.items(multi=True)
    if any(unprintable(key) or unprintable(value, lines=True) for key, value in fields):
        _refuse()


class DatabaseInteger(IntegerConverter):
    """``<int:…>`` in a path, within the database's integer range: ``/…/2147483648`` is not
    found, rather than an error from PostgreSQL (the fuzz found it)."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, *args, **kwargs)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseInteger
    # First of all: CSRF protection reads the form, and the raw body must be seen before that.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_what_nobody_types)
    app.before_request(_private_by_default)
    app.after_request(_headers)
