"""SMS through Twilio's Messaging API, the second provider (a fallback for GatewayAPI, or the
other way round).

Sending (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource):
``POST {TWILIO_API_URL}/2010-04-01/Accounts/{AccountSid}/Messages.json``, HTTP Basic with the
account SID and auth token, a form body ``To``, ``From``, ``Body``, ``StatusCallback``; the
answer (201) is the message resource with its ``sid``. Twilio answers a message it will never
send (an invalid or unreachable number) with 400 and a JSON error (``code``, ``message``): that
fails it at once; 429, 5xx and no answer are tried again, and demote the provider.

Delivery status (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status):
Twilio POSTs a form with ``MessageSid``, ``MessageStatus`` (``delivered``, ``undelivered``,
``failed``…) and ``ErrorCode`` to the callback URL, signed in ``X-Twilio-Signature``: base64 of
HMAC-SHA1, keyed with the auth token, over the URL followed by each POST parameter's name and
value, sorted by name (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from portal.outbox.models import OutboxMessage
from portal.outbox.providers import post

#: Final statuses of a message that never reached the phone.
UNDELIVERABLE = frozenset({"undelivered", "failed"})


@dataclass
class TwilioBackend:
    url: str
    account_sid: str
    auth_token: str
    sender: str
    callback_url: str | None

    def send(self, message: OutboxMessage) -> None:
        form = {"To": message.recipient, "From": self.sender, "Body": message.body}
        if self.callback_url:
            form["StatusCallback"] = self.callback_url
        account = urllib.parse.quote(self.account_sid, safe="")
        created = post(
            f"{self.url.rstrip('/')}/2010-04-01/Accounts/{account}/Messages.json",
            urllib.parse.urlencode(form).encode(),
            content_type="application/x-www-form-urlencoded",
            user=self.account_sid,
            password=self.auth_token,
            refused=(400,),
            explain=lambda found: f"{found.get('code', '')} {found.get('message', '')}".strip(),
            provider="Twilio",
        )
        message.provider_ref = str(created.get("sid") or "")[:64] or None


def signature(url: str, params: Mapping[str, str], auth_token: str) -> str:
    """What Twilio puts in ``X-Twilio-Signature`` for a form POSTed to ``url``."""
    signed = url + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed_by_twilio(url: str, params: Mapping[str, str], given: str, auth_token: str) -> bool:
    return hmac.compare_digest(signature(url, params, auth_token), given)
