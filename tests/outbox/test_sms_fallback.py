"""A second SMS provider (issue 15): Twilio, tested against a local HTTP server that speaks its
Messaging API as documented (the form it is sent, 201 with the message's sid, 400 for a number
it will not send to, the signed delivery-status webhook); and GatewayAPI with Twilio as its
fallback: a failing provider is demoted for a while, its message goes to the other at once, and
it takes messages again when the demotion ends."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from werkzeug.wrappers import Request, Response

from portal.config import ConfigurationError
from portal.db import utcnow
from portal.extensions import db
from portal.outbox import sender
from portal.outbox.models import Channel, OutboxMessage, OutboxStatus, SmsProvider
from portal.outbox.twilio import signature
from tests.outbox.test_gatewayapi import SECRET, TOKEN, FakeGatewayApi
from tests.outbox.test_sender import _messages, _queue_receipt
from tests.serving import serve

SID, AUTH = "AC0123456789abcdef0123456789abcdef", "twilio-auth-token-789"
PUBLIC = "https://fritid.example.dk"


@dataclass
class FakeTwilio:
    """``POST /2010-04-01/Accounts/{sid}/Messages.json`` as Twilio documents it."""

    answers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    received: list[dict[str, str]] = field(default_factory=list)
    made: int = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        expected = "Basic " + base64.b64encode(f"{SID}:{AUTH}".encode()).decode()
        if request.path != f"/2010-04-01/Accounts/{SID}/Messages.json":
            response = Response("not found", status=404)
        elif request.headers.get("Authorization") != expected:
            answer = {"code": 20003, "message": "Authenticate", "status": 401}
            response = Response(json.dumps(answer), 401, content_type="application/json")
        else:
            self.received.append(request.form.to_dict())
            status, answer = self.answers.pop(0) if self.answers else (201, {})
            if status == 201:
                self.made += 1
                answer = {"sid": f"SM{self.made:032d}", "status": "queued"}
            response = Response(json.dumps(answer), status, content_type="application/json")
        return response(environ, start_response)


@pytest.fixture
def twilio() -> Iterator[tuple[FakeTwilio, str]]:
    fake = FakeTwilio()
    with serve(fake) as url:
        yield fake, url


@pytest.fixture
def gatewayapi() -> Iterator[tuple[FakeGatewayApi, str]]:
    fake = FakeGatewayApi()
    with serve(fake) as url:
        yield fake, url


def _settings(twilio_url: str) -> dict[str, Any]:
    return {
        "TWILIO_API_URL": twilio_url, "TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": AUTH,
        "SMS_SENDER": "Vejle", "PUBLIC_URL": PUBLIC,
    }  # fmt: skip


@pytest.fixture
def both(
    app: Flask,
    make_app: Callable[..., Flask],
    twilio: tuple[FakeTwilio, str],
    gatewayapi: tuple[FakeGatewayApi, str],
) -> Flask:
    """GatewayAPI first, Twilio as the fallback."""
    return make_app(
        SMS_BACKEND="gatewayapi", SMS_API_URL=gatewayapi[1], SMS_API_TOKEN=TOKEN,
        SMS_WEBHOOK_SECRET=SECRET, SMS_FALLBACK_BACKEND="twilio", SMS_DEMOTION_MINUTES=10,
        **_settings(twilio[1]),
    )  # fmt: skip


def _sms(app: Flask) -> list[OutboxMessage]:
    return [message for message in _messages(app) if message.channel is Channel.SMS]


def _standing(app: Flask, name: str) -> SmsProvider:
    with app.app_context():
        found = db.session.get(SmsProvider, name)
        assert found is not None
        db.session.expunge(found)
        return found


def _send(app: Flask, when: datetime) -> sender.SendReport:
    with app.app_context():
        return sender.send_due(when)


def test_twilio_is_sent_to_as_its_api_documents(
    app: Flask, make_app: Callable[..., Flask], twilio: tuple[FakeTwilio, str]
) -> None:
    fake, url = twilio
    only = make_app(SMS_BACKEND="twilio", **_settings(url))
    _queue_receipt(only)
    assert _send(only, utcnow()).sent == 1
    [form] = fake.received
    [sms] = _sms(only)
    assert form == {
        "To": "+4520123456", "From": "Vejle", "Body": sms.body,
        "StatusCallback": f"{PUBLIC}/sms/twilio/status",
    }  # fmt: skip
    assert sms.status is OutboxStatus.SENT
    assert (sms.provider, sms.provider_ref) == ("twilio", f"SM{1:032d}")

    fake.answers = [(400, {"code": 21211, "message": "Invalid 'To' Phone Number"})]
    _queue_receipt(only)
    assert _send(only, utcnow()).failed == 1  # refused for good: not retried
    assert _sms(only)[1].last_error == "Twilio 400: 21211 Invalid 'To' Phone Number"


def test_a_failing_provider_is_demoted_and_the_fallback_takes_its_messages(
    both: Flask, twilio: tuple[FakeTwilio, str], gatewayapi: tuple[FakeGatewayApi, str]
) -> None:
    primary, fallback = gatewayapi[0], twilio[0]
    primary.answers = [(503, {"message": "Service unavailable"})]
    _queue_receipt(both)
    now = utcnow()
    report = _send(both, now)
    assert report.sent == 1 and report.retrying == 0  # not delayed: Twilio took it at once
    assert len(primary.received) == 1 and len(fallback.received) == 1
    assert [(m.provider, m.status) for m in _sms(both)] == [("twilio", OutboxStatus.SENT)]
    demoted = _standing(both, "gatewayapi")
    assert demoted.failures == 1 and "503" in (demoted.last_error or "")
    assert demoted.demoted_until is not None and demoted.demoted_until > now

    # While demoted, GatewayAPI is not even asked.
    _queue_receipt(both)
    assert _send(both, now + timedelta(minutes=1)).sent == 1
    assert len(primary.received) == 1 and len(fallback.received) == 2

    # After the demotion, GatewayAPI is first again; a message it takes restores it.
    later = now + timedelta(minutes=11)
    _queue_receipt(both)
    assert _send(both, later).sent == 1
    assert len(primary.received) == 2 and len(fallback.received) == 2
    assert _sms(both)[-1].provider == "gatewayapi"
    restored = _standing(both, "gatewayapi")
    assert restored.failures == 0 and restored.demoted_until is None


def test_when_every_provider_fails_the_message_waits_and_is_tried_again(
    both: Flask, twilio: tuple[FakeTwilio, str], gatewayapi: tuple[FakeGatewayApi, str]
) -> None:
    gatewayapi[0].answers = [(429, {"message": "Too many requests"})]
    twilio[0].answers = [(500, {"code": 20500, "message": "Internal Server Error"})]
    _queue_receipt(both)
    when = utcnow()
    report = _send(both, when)
    assert report.retrying == 1 and report.sent == 0
    [sms] = _sms(both)
    assert sms.status is OutboxStatus.PENDING and sms.attempts == 1
    assert "gatewayapi: HTTPError" in (sms.last_error or "")
    assert "twilio: HTTPError" in (sms.last_error or "")
    assert _standing(both, "twilio").failures == 1
    # A minute later (the back-off) both are still demoted: the message is tried all the same,
    # the first choice first, rather than left waiting for a demotion to end.
    assert _standing(both, "gatewayapi").demoted_until == when + timedelta(minutes=10)
    assert _send(both, when + timedelta(minutes=1)).sent == 1
    assert _sms(both)[0].provider == "gatewayapi"


def test_a_refused_number_is_not_sent_to_the_fallback(
    both: Flask, twilio: tuple[FakeTwilio, str], gatewayapi: tuple[FakeGatewayApi, str]
) -> None:
    gatewayapi[0].answers = [(422, {"code": "0x0204", "message": "Invalid recipient"})]
    _queue_receipt(both)
    assert _send(both, utcnow()).failed == 1
    assert twilio[0].received == []
    assert _standing(both, "gatewayapi").demoted_until is None  # the number's fault


def test_twilios_delivery_status_is_believed_only_when_signed(
    app: Flask, make_app: Callable[..., Flask], twilio: tuple[FakeTwilio, str]
) -> None:
    only = make_app(SMS_BACKEND="twilio", **_settings(twilio[1]))
    _queue_receipt(only)
    _send(only, utcnow())
    client = only.test_client()
    url = "/sms/twilio/status"
    status = {"MessageSid": f"SM{1:032d}", "AccountSid": SID, "To": "+4520123456"}

    undelivered = {**status, "MessageStatus": "undelivered", "ErrorCode": "30003"}
    forged = signature(PUBLIC + url, undelivered, "not-the-token")
    assert (
        client.post(url, data=undelivered, headers={"X-Twilio-Signature": forged}).status_code
        == 403
    )
    assert client.post(url, data=undelivered).status_code == 403
    # Signed, but over another URL than the one Twilio was given.
    elsewhere = signature("https://evil.example" + url, undelivered, AUTH)
    assert (
        client.post(url, data=undelivered, headers={"X-Twilio-Signature": elsewhere}).status_code
        == 403
    )
    assert _sms(only)[0].delivery_status is None

    delivered = {**status, "MessageStatus": "delivered"}
    signed = signature(PUBLIC + url, delivered, AUTH)
    assert (
        client.post(url, data=delivered, headers={"X-Twilio-Signature": signed}).status_code == 204
    )
    assert _sms(only)[0].delivery_status == "DELIVERED"

    signed = signature(PUBLIC + url, undelivered, AUTH)
    assert (
        client.post(url, data=undelivered, headers={"X-Twilio-Signature": signed}).status_code
        == 204
    )
    [sms] = _sms(only)
    assert sms.delivery_status == "UNDELIVERED" and sms.status is OutboxStatus.FAILED
    assert sms.last_error == "Twilio: undelivered 30003"  # a task for the guides now


def test_the_fallback_must_be_another_configured_provider(make_app: Callable[..., Flask]) -> None:
    gateway = {"SMS_BACKEND": "gatewayapi", "SMS_API_TOKEN": TOKEN, "SMS_WEBHOOK_SECRET": SECRET}
    with pytest.raises(ConfigurationError, match="PORTAL_SMS_FALLBACK_BACKEND='gatewayapi'"):
        make_app(**gateway, SMS_FALLBACK_BACKEND="gatewayapi")
    with pytest.raises(ConfigurationError, match="PORTAL_SMS_FALLBACK_BACKEND='carrier-pigeon'"):
        make_app(**gateway, SMS_FALLBACK_BACKEND="carrier-pigeon")
    with pytest.raises(ConfigurationError, match="PORTAL_TWILIO_ACCOUNT_SID"):
        make_app(**gateway, SMS_FALLBACK_BACKEND="twilio")
    with pytest.raises(ConfigurationError, match="PORTAL_TWILIO_AUTH_TOKEN"):
        make_app(SMS_BACKEND="twilio", TWILIO_ACCOUNT_SID=SID)
