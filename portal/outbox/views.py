"""``/dev/outbox``: every message the portal would have sent, for trying the portal locally.

Registered only when ``PORTAL_DEV_OUTBOX=1`` (``make run`` sets it; production refuses it).
"""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from portal.extensions import db
from portal.outbox.models import OutboxMessage

bp = Blueprint("dev_outbox", __name__, url_prefix="/dev")

#: The newest messages are enough to follow a link; older ones stay in the table.
SHOWN = 50


@bp.get("/outbox")
def index() -> ResponseReturnValue:
    messages = db.session.execute(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(SHOWN)
    ).scalars()
    return render_template("outbox/dev.html", messages=list(messages))
