"""The guides' pages, by screen: the queue, a case, the exports for finance, bulk decisions.
Every view is for signed-in staff only (``staff_required``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, has_request_context, request

from portal.auth.access import STAFF_BLUEPRINTS, signed_in
from portal.db import utcnow

bp = Blueprint("review", __name__, url_prefix="/<lang:lang>/staff")


@bp.app_context_processor
def _staff_context() -> dict[str, Any]:
    """The signed-in member for the staff layout (looked up only on staff pages)."""
    if not has_request_context() or request.blueprint not in STAFF_BLUEPRINTS:
        return {}  # messages rendered for the outbox, and the families' pages
    return {"staff": signed_in(), "now": utcnow}


# The routes register themselves on ``bp`` (imported last: they import ``bp``).
from portal.review.views import bulk, cases, exports, queue  # noqa: E402

__all__ = ["bp", "bulk", "cases", "exports", "queue"]
