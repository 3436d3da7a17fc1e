"""The guides' pages. Every view is for signed-in staff only (``staff_required``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, has_request_context, render_template, request
from flask.typing import ResponseReturnValue

from portal.applications import queries as application_queries
from portal.auth.access import signed_in, staff_required
from portal.db import utcnow
from portal.i18n import current_locale
from portal.review import queries

bp = Blueprint("review", __name__, url_prefix="/<lang:lang>/staff")


@bp.app_context_processor
def _staff_context() -> dict[str, Any]:
    """The signed-in member for the staff layout (looked up only on staff pages)."""
    if not has_request_context() or request.blueprint not in ("staff", "review"):
        return {}  # messages rendered for the outbox, and the families' pages
    return {"staff": signed_in(), "now": utcnow}


@bp.get("/")
@staff_required()
def queue() -> ResponseReturnValue:
    """Everything that waits for a guide, the oldest first, with counts per kind."""
    now = utcnow()
    try:
        kind = queries.Waiting(request.args.get("waiting", queries.Waiting.NEW.value))
    except ValueError:
        kind = queries.Waiting.NEW
    return render_template(
        "review/queue.html",
        counts=queries.counts(now),
        kind=kind,
        rows=queries.waiting(kind, now),
        activity_label=lambda a: application_queries.activity_label(a, current_locale()),
        status_label=application_queries.status_label,
    )
