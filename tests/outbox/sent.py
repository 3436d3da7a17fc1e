"""What the outbox holds, for tests: the messages of one kind, and the link in one."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.outbox.models import OutboxMessage

LINK = re.compile(r"https?://[^/\s]+(/\S+)")


def messages(app: Flask, template: str) -> list[OutboxMessage]:
    """The messages made from ``template``, oldest first (detached: read them freely)."""
    with app.app_context():
        found = list(
            db.session.execute(
                select(OutboxMessage)
                .where(OutboxMessage.template == template)
                .order_by(OutboxMessage.id)
            ).scalars()
        )
        db.session.expunge_all()
        return found


def link_in(message: OutboxMessage) -> str:
    """The path of the link in a message (the test client has no host)."""
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)
