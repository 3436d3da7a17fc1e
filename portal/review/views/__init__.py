"""The guides' pages, by screen: the queue, a case, the exports for finance, bulk decisions.
Every view is for signed-in staff only (``staff_required``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from portal.auth.access import for_staff, on_staff_page, signed_in
from portal.db import utcnow

bp = for_staff(Blueprint("review", __name__, url_prefix="/<lang:lang>/staff"), home="queue")


@bp.app_context_processor
def _staff_context() -> dict[str, Any]:
    """The signed-in member for the staff layout (looked up only on staff pages)."""
    if not on_staff_page():
        return {}  # messages rendered for the outbox, and the families' pages
    return {"staff": signed_in(), "now": utcnow}


# The routes register themselves on ``bp`` (imported last: they import ``bp``).
from portal.review.views import bulk, cases, exports, person, queue  # noqa: E402

__all__ = ["bp", "bulk", "cases", "exports", "person", "queue"]
