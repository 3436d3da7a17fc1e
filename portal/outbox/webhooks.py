"""The SMS provider tells the portal what became of a message (delivery status)."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import csrf, db
from portal.outbox import twilio
from portal.outbox.gatewayapi import UNDELIVERABLE, verified_claims
from portal.outbox.models import OutboxMessage, OutboxStatus
from portal.outbox.services import public_url

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
    _record(
        message,
        status,
        status in UNDELIVERABLE,
        f"GatewayAPI: {status} {claims.get('error') or ''}",
    )
    return "", 204


@bp.post("/sms/twilio/status")
def twilio_status() -> ResponseReturnValue:
    token = current_app.config["TWILIO_AUTH_TOKEN"]
    params = request.form.to_dict()
    # Signed over the URL Twilio was given (the portal's public address, not the one the
    # request arrived at behind the proxy).
    url = public_url("sms_status.twilio_status")
    given = request.headers.get("X-Twilio-Signature", "")
    if not token or not twilio.signed_by_twilio(url, params, given, str(token)):
        return "", 403
    message = db.session.execute(
        select(OutboxMessage).where(
            OutboxMessage.provider == "twilio",
            OutboxMessage.provider_ref == params.get("MessageSid", ""),
        )
    ).scalar_one_or_none()
    if message is None:
        return "", 204
    status = params.get("MessageStatus", "")[:32]
    error = f"Twilio: {status} {params.get('ErrorCode') or ''}"
    _record(message, status.upper(), status in twilio.UNDELIVERABLE, error)
    return "", 204


# The providers sign instead of a form's token (a JWT, an HMAC with the account's token).
csrf.exempt(gatewayapi_status)
csrf.exempt(twilio_status)


def _record(message: OutboxMessage, status: str, undeliverable: bool, error: str) -> None:
    """What the provider says became of the message; one that never arrived is failed, a task
    for the guides ("we could not reach the family")."""
    message.delivery_status, message.delivery_status_at = status, utcnow()
    if undeliverable:
        message.status = OutboxStatus.FAILED
        message.last_error = error.strip()[:2000]
        current_app.logger.error("outbox: SMS %s not delivered: %s", message.id, status)
    db.session.commit()


def _message(claims: dict[str, object]) -> OutboxMessage | None:
    reference = str(claims.get("userref") or "")
    if reference.isdigit() and len(reference) < 10:
        found = db.session.get(OutboxMessage, int(reference))
        if found is not None:
            return found
    return db.session.execute(
        select(OutboxMessage).where(
            OutboxMessage.provider == "gatewayapi",
            OutboxMessage.provider_ref == str(claims.get("id")),
        )
    ).scalar_one_or_none()
