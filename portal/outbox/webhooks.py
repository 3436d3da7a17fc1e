"""The SMS provider tells the portal what became of a message (delivery status)."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import csrf, db
from portal.outbox.gatewayapi import UNDELIVERABLE, verified_claims
from portal.outbox.models import OutboxMessage, OutboxStatus

bp = Blueprint("sms_status", __name__)


@bp.post("/sms/gatewayapi/status")
def gatewayapi_status() -> ResponseReturnValue:
    secret = current_app.config["SMS_WEBHOOK_SECRET"]
    signature = request.headers.get("X-Gwapi-Signature", "")
    claims = verified_claims(signature, str(secret)) if secret else None
    if claims is None:
        return "", 401
    message = _message(claims)
    if message is None:
        return "", 204  # not (or no longer) ours: nothing to keep, and no retries wanted
    status = str(claims.get("status", ""))[:32]
    message.delivery_status, message.delivery_status_at = status, utcnow()
    if status in UNDELIVERABLE:
        message.status = OutboxStatus.FAILED
        message.last_error = f"GatewayAPI: {status} {claims.get('error') or ''}".strip()[:2000]
        current_app.logger.error("outbox: SMS %s not delivered: %s", message.id, status)
    db.session.commit()
    return "", 204


# The provider signs instead of a form's token (a JWT with the webhook's secret).
csrf.exempt(gatewayapi_status)


def _message(claims: dict[str, object]) -> OutboxMessage | None:
    reference = str(claims.get("userref") or "")
    if reference.isdigit() and len(reference) < 10:
        found = db.session.get(OutboxMessage, int(reference))
        if found is not None:
            return found
    return db.session.execute(
        select(OutboxMessage).where(OutboxMessage.provider_ref == str(claims.get("id")))
    ).scalar_one_or_none()
