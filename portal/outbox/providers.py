"""What the SMS providers' backends share: one POST to a provider's HTTP API, and the error
for a message the provider refuses for good."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

TIMEOUT_SECONDS = 20


class MessageRefused(Exception):
    """The provider refused this message for good (it would refuse it again)."""


def post(
    url: str,
    data: bytes,
    *,
    content_type: str,
    user: str,
    password: str,
    refused: tuple[int, ...],
    explain: Callable[[dict[str, Any]], str],
    provider: str,
) -> dict[str, Any]:
    """POST to a provider's API with HTTP Basic; its JSON answer. An answer in ``refused``
    raises :class:`MessageRefused` (with the provider's reason); any other failure is an
    ``OSError``, tried again with back-off (and the provider demoted)."""
    credentials = base64.b64encode(f"{user}:{password}".encode()).decode()
    request = urllib.request.Request(  # noqa: S310 - the configured https URL
        url,
        data=data,
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": content_type,
            "Accept": "application/json",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            found = json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        if error.code in refused:
            try:
                reason = explain(json.loads(error.read() or b"{}")) or error.reason
            except ValueError:
                reason = error.reason
            raise MessageRefused(f"{provider} {error.code}: {reason[:500]}") from error
        raise
    return found if isinstance(found, dict) else {}
