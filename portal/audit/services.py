"""Writing the audit log. ``note`` adds a row to the change it records (one commit for both);
``record_access`` writes a look at a family's data in its own short transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from portal.audit.models import AuditAction, AuditEvent
from portal.db import write_in_read_request
from portal.extensions import db

if TYPE_CHECKING:
    from portal.applications.models import Application


def note(
    actor_id: int | None,
    action: AuditAction,
    purpose: str,
    *,
    application: Application | None = None,
    subject: tuple[str, int | None] | None = None,
    details: str | None = None,
) -> None:
    """Who did what to whose data and why, added to the session (not committed here). The
    subject is the application (and so the family), or ``(type, id)`` for anything else."""
    if application is not None:
        subject = ("application", application.id)
    db.session.add(
        AuditEvent(
            actor_id=actor_id,
            action=action,
            subject_type=subject[0] if subject else "queue",
            subject_id=subject[1] if subject else None,
            household_id=application.household_id if application is not None else None,
            purpose=purpose,
            details=details,
        )
    )


def record_access(
    actor_id: int,
    action: AuditAction,
    purpose: str,
    *,
    application: Application | None = None,
    subject: tuple[str, int | None] | None = None,
    details: str | None = None,
) -> None:
    """A look at (or an export of) a family's data, in its own short write transaction (on a
    GET too: see :func:`portal.db.write_in_read_request`)."""
    with write_in_read_request(db.session):
        note(actor_id, action, purpose, application=application, subject=subject, details=details)


def record_search_hits(actor_id: int, found: Iterable[Application], details: str | None) -> None:
    """A search's hit list: one row per application shown, so a family's access log includes
    the searches that listed it (not only the cases opened). Call it after the page is
    rendered: its commit expires the rows the page was made from."""
    hits = [(application.id, application.household_id) for application in found]
    with write_in_read_request(db.session):
        db.session.add_all(
            AuditEvent(
                actor_id=actor_id,
                action=AuditAction.SEARCH,
                subject_type="application",
                subject_id=application_id,
                household_id=household_id,
                purpose="queue search",
                details=details,
            )
            for application_id, household_id in hits
        )
