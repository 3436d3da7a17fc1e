"""What a guide does on a case, as steps for tests, and the messages the outbox holds."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.outbox.models import OutboxMessage
from tests.auth.signing_in import Staff


def approve(staff: Staff, reference: str, amount: str = "1200", *, started: bool = True) -> None:
    """Approve; ``started``: the club's start is confirmed too (after a phone call)."""
    staff.get(f"/da/staff/cases/{reference}")
    assert (
        staff.post(f"/da/staff/cases/{reference}/approve", {"amount_kr": amount}).status_code == 303
    )
    if started:
        confirmed = staff.post(
            f"/da/staff/cases/{reference}/confirm-start", {"start_on": "2026-11-20"}
        )
        assert confirmed.status_code == 303


def messages(app: Flask, template: str) -> list[OutboxMessage]:
    with app.app_context():
        found = list(
            db.session.execute(
                select(OutboxMessage).where(OutboxMessage.template == template)
            ).scalars()
        )
        db.session.expunge_all()
        return found
