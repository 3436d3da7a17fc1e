"""Security headers on every response, in one place (see QUALITY.md and SEC-12..15)."""

from __future__ import annotations

from flask import Flask, Response, g

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


def _headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
    if response.mimetype == "text/html" and "Cache-Control" not in headers:
        # Pages are private unless a view says otherwise: a shared phone or a proxy must not keep
        # a family's data.
        headers["Cache-Control"] = "no-cache" if g.get("public_page") else "no-store"
    return response


def _private_by_default() -> None:
    g.public_page = False


def init_app(app: Flask) -> None:
    app.before_request(_private_by_default)
    app.after_request(_headers)
