"""Reports for the committee and finance: what the money achieved (journey 5). Guides and
administrators only; every opening and export is in the audit log."""

from __future__ import annotations

from flask import Blueprint

from portal.auth.access import for_staff

bp = for_staff(Blueprint("reports", __name__, url_prefix="/<lang:lang>/staff/reports"))

# The routes register themselves on ``bp`` (imported last: they import ``bp``).
from portal.reports import views  # noqa: E402

__all__ = ["bp", "views"]
