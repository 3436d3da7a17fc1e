"""The one place that decides between a whole page and an htmx fragment.

htmx 2 marks its requests with ``HX-Request``; a boosted navigation or a history restore also
carries it but needs the whole page. Every response rendered here varies on ``HX-Request`` so a
cache never hands a fragment to a browser that asked for the page (or the reverse).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, make_response, redirect, render_template
from htmx_flask import request  # Flask's request, with the ``htmx`` attribute

from portal.extensions import htmx


def wants_fragment() -> bool:
    """True when htmx asks to swap part of the page."""
    hx = request.htmx
    return bool(hx) and not hx.boosted and not hx.history_restore_request


def render_page_or_fragment(page: str, fragment: str, **context: Any) -> Response:
    """Render ``page``, or only ``fragment`` (with ``is_fragment`` set) for an htmx swap."""
    if wants_fragment():
        response = make_response(render_template(fragment, is_fragment=True, **context))
    else:
        response = make_response(render_template(page, is_fragment=False, **context))
    response.vary.add("HX-Request")
    return response


def redirect_after_post(url: str) -> Response:
    """After a POST that worked: 303 to ``url``. For htmx, ``HX-Redirect`` instead, so the
    browser loads the page (htmx's request would follow a 303 itself and swap the whole page
    into the form's panel)."""
    response = make_response("", 200) if request.htmx else make_response(redirect(url, code=303))
    if request.htmx:
        response.headers["HX-Redirect"] = url
    response.vary.add("HX-Request")
    return response


def whole_page(response: Response) -> Response:
    """A whole page answering an htmx swap of one part (the case moved on under a panel):
    htmx takes the page's ``<main>`` in place of its own."""
    if wants_fragment():
        response.headers["HX-Retarget"] = "#main"
        response.headers["HX-Reselect"] = "#main"
        response.headers["HX-Reswap"] = "outerHTML"
    response.vary.add("HX-Request")
    return response


def init_app(app: Flask) -> None:
    htmx.init_app(app)
