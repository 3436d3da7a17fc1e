"""SMS through GatewayAPI, a Danish provider with a public REST API.

Sending: ``POST {SMS_API_URL}/rest/mtsms`` with the API token as HTTP Basic user name and a JSON
body ``{"sender", "message", "recipients": [{"msisdn"}], "userref", "callback_url"}``; the answer
is ``{"ids": [<the provider's id>], …}`` (https://gatewayapi.com/docs/apis/rest/#sending-sms).
A refusal of the message itself (400, 422: a number that cannot be reached) fails it at once; an
answer that may pass (429 "too many requests", 5xx, no answer) is tried again with the outbox's
back-off; a refused token (401, 403) is an operator's problem and is retried (and logged) too.

Delivery status (https://gatewayapi.com/docs/apis/rest/#delivery-status-notification): the
provider POSTs ``{"id", "msisdn", "time", "status", "userref", …}`` to the callback URL with a
JWT (HS256, the webhook's secret) in ``X-Gwapi-Signature`` whose claims are the same fields; the
portal believes only the signed claims (:func:`verified_claims`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

from portal.outbox.models import OutboxMessage
from portal.outbox.providers import post

#: Final delivery statuses: the family got it, or never will.
DELIVERED = "DELIVERED"
UNDELIVERABLE = frozenset({"UNDELIVERED", "EXPIRED", "REJECTED"})


@dataclass
class GatewayApiBackend:
    url: str
    token: str
    sender: str
    callback_url: str | None

    def send(self, message: OutboxMessage) -> None:
        body = {
            "sender": self.sender,
            "message": message.body,
            "recipients": [{"msisdn": int(message.recipient.lstrip("+"))}],
            "userref": str(message.id),
        }
        if self.callback_url:
            body["callback_url"] = self.callback_url
        sent = post(
            self.url.rstrip("/") + "/rest/mtsms",
            json.dumps(body).encode(),
            content_type="application/json",
            user=self.token,
            password="",
            refused=(400, 422),
            explain=_reason,
            provider="GatewayAPI",
        )
        ids = sent.get("ids") or []
        message.provider_ref = str(ids[0]) if ids else None


def _reason(found: dict[str, Any]) -> str:
    return str(found.get("message") or found.get("code") or "")


def _unpadded(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def verified_claims(token: str, secret: str) -> dict[str, Any] | None:
    """The claims of a JWT signed with HS256 and ``secret``; None for anything else."""
    try:
        header_part, claims_part, signature_part = token.split(".")
        header = json.loads(_unpadded(header_part))
        signature = _unpadded(signature_part)
        claims = json.loads(_unpadded(claims_part))
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("alg") != "HS256" or not isinstance(claims, dict):
        return None
    expected = hmac.new(
        secret.encode(), f"{header_part}.{claims_part}".encode(), hashlib.sha256
    ).digest()
    return claims if hmac.compare_digest(expected, signature) else None
