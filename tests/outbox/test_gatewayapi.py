"""SMS for real, through GatewayAPI (issue 15), tested against a local HTTP server that speaks
its REST API as documented: the request the portal sends (Basic auth with the token, the JSON
body), the answers it gets (the provider's id; 429 and 5xx tried again; 422 failed at once), and
the delivery-status webhook (a JWT in ``X-Gwapi-Signature``: believed only when signed)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.wrappers import Request, Response

from portal.config import ConfigurationError
from portal.db import utcnow
from portal.extensions import db
from portal.outbox import sender
from portal.outbox.models import Channel, OutboxMessage, OutboxStatus
from tests.auth.signing_in import Staff
from tests.outbox.test_sender import _queue_receipt
from tests.serving import serve

TOKEN = "provider-token-123"
SECRET = "webhook-secret-456"


@dataclass
class FakeGatewayApi:
    """``POST /rest/mtsms`` as GatewayAPI documents it; ``answers`` are the next replies."""

    answers: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    next_id: int = 900001

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        expected = "Basic " + base64.b64encode(f"{TOKEN}:".encode()).decode()
        if request.path != "/rest/mtsms" or request.method != "POST":
            response = Response("not found", status=404)
        elif request.headers.get("Authorization") != expected:
            response = Response(json.dumps({"code": "0x0213", "message": "Unauthorized"}), 401)
        else:
            body = request.get_json()
            self.received.append(body)
            status, answer = self.answers.pop(0) if self.answers else (200, {})
            if status == 200:
                answer = {"ids": [self.next_id], "usage": {"currency": "DKK", "total_cost": 0.2}}
                self.next_id += 1
            response = Response(json.dumps(answer), status, content_type="application/json")
        return response(environ, start_response)


@pytest.fixture
def provider() -> Iterator[tuple[FakeGatewayApi, str]]:
    fake = FakeGatewayApi()
    with serve(fake) as url:
        yield fake, url


@pytest.fixture
def sms_app(app: Flask, make_app: Callable[..., Flask], provider: tuple[Any, str]) -> Flask:
    return make_app(
        SMS_BACKEND="gatewayapi",
        SMS_API_URL=provider[1],
        SMS_API_TOKEN=TOKEN,
        SMS_WEBHOOK_SECRET=SECRET,
        SMS_SENDER="Vejle",
        PUBLIC_URL="https://fritid.example.dk",
    )


def _sms(app: Flask) -> OutboxMessage:
    with app.app_context():
        found = db.session.execute(
            select(OutboxMessage).where(OutboxMessage.channel == Channel.SMS)
        ).scalar_one()
        db.session.expunge(found)
        return found


def test_an_sms_is_sent_as_the_api_documents(
    sms_app: Flask, provider: tuple[FakeGatewayApi, str]
) -> None:
    fake, _ = provider
    _queue_receipt(sms_app)
    with sms_app.app_context():
        report = sender.send_due()
    assert report.sent == 1  # the SMS (e-mail has no SMTP here and waits)
    [body] = fake.received
    sms = _sms(sms_app)
    assert body["recipients"] == [{"msisdn": 4520123456}]
    assert body["sender"] == "Vejle" and body["message"] == sms.body
    assert body["userref"] == str(sms.id)
    assert body["callback_url"] == "https://fritid.example.dk/sms/gatewayapi/status"
    assert sms.status is OutboxStatus.SENT and sms.provider_ref == "900001"


def test_busy_and_broken_answers_are_tried_again_a_refused_number_is_not(
    sms_app: Flask, provider: tuple[FakeGatewayApi, str]
) -> None:
    fake, _ = provider
    fake.answers = [(429, {"message": "Too many requests"}), (503, {}), (200, {})]
    _queue_receipt(sms_app)
    when = utcnow()
    with sms_app.app_context():
        for expected in ("retrying", "retrying", "sent"):
            report = sender.send_due(when)
            assert getattr(report, expected) == 1, expected
            when += timedelta(hours=2)
    assert _sms(sms_app).attempts == 3 and _sms(sms_app).status is OutboxStatus.SENT

    with sms_app.app_context():
        db.session.query(OutboxMessage).delete()
        db.session.commit()
    fake.answers = [(422, {"code": "0x0204", "message": "Invalid recipient"})]
    _queue_receipt(sms_app)
    with sms_app.app_context():
        assert sender.send_due().failed == 1
    failed = _sms(sms_app)
    assert failed.status is OutboxStatus.FAILED and failed.attempts == 1
    assert failed.last_error == "GatewayAPI 422: Invalid recipient"


def test_a_wrong_token_is_retried_and_logged_not_lost(
    sms_app: Flask, make_app: Callable[..., Flask], provider: tuple[FakeGatewayApi, str]
) -> None:
    wrong = make_app(
        SMS_BACKEND="gatewayapi", SMS_API_URL=provider[1], SMS_API_TOKEN="wrong",
        SMS_WEBHOOK_SECRET=SECRET,
    )  # fmt: skip
    _queue_receipt(wrong)
    with wrong.app_context():
        report = sender.send_due()
    assert report.retrying == 1 and "401" in report.errors[0]
    assert _sms(wrong).status is OutboxStatus.PENDING


def _jwt(claims: dict[str, Any], secret: str) -> str:
    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    head = part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = part(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{part(signature)}"


def test_delivery_status_is_believed_only_when_signed(
    sms_app: Flask, provider: tuple[FakeGatewayApi, str]
) -> None:
    _queue_receipt(sms_app)
    with sms_app.app_context():
        sender.send_due()
    sms = _sms(sms_app)
    status = {"id": 900001, "msisdn": 4520123456, "time": 1764500000, "userref": str(sms.id)}
    client = sms_app.test_client()
    url = "/sms/gatewayapi/status"

    forged = _jwt({**status, "status": "UNDELIVERED"}, "not-the-secret")
    assert client.post(url, json=status, headers={"X-Gwapi-Signature": forged}).status_code == 401
    assert client.post(url, json={**status, "status": "UNDELIVERED"}).status_code == 401
    assert _sms(sms_app).delivery_status is None  # nothing believed

    delivered = _jwt({**status, "status": "DELIVERED"}, SECRET)
    answer = client.post(url, json=status, headers={"X-Gwapi-Signature": delivered})
    assert answer.status_code == 204
    sms = _sms(sms_app)
    assert sms.delivery_status == "DELIVERED" and sms.status is OutboxStatus.SENT

    lost = _jwt({**status, "userref": None, "status": "EXPIRED", "error": "no network"}, SECRET)
    assert client.post(url, json=status, headers={"X-Gwapi-Signature": lost}).status_code == 204
    sms = _sms(sms_app)  # found by the provider's id this time
    assert sms.delivery_status == "EXPIRED" and sms.status is OutboxStatus.FAILED
    assert sms.last_error == "GatewayAPI: EXPIRED no network"


def test_gatewayapi_needs_its_token_and_webhook_secret(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(ConfigurationError, match="PORTAL_SMS_API_TOKEN"):
        make_app(SMS_BACKEND="gatewayapi", SMS_API_TOKEN=TOKEN)


def test_an_sms_that_failed_is_a_task_for_the_guides_until_they_reach_the_family(
    app: Flask, sent: str, guide: Staff
) -> None:
    """ "We could not reach the family: call them": in the queue and on the case, until a guide
    says the family has been reached."""
    with app.app_context():
        sms = db.session.execute(
            select(OutboxMessage).where(
                OutboxMessage.channel == Channel.SMS,
                OutboxMessage.template == "application_submitted",
            )
        ).scalar_one()
        sms.status, sms.last_error = OutboxStatus.FAILED, "GatewayAPI: EXPIRED no network"
        db.session.commit()
        sms_id = sms.id
    queue = guide.get("/da/staff/?waiting=unreached").get_data(as_text=True)
    assert "Beskeder, der ikke nåede familien: ring til dem" in queue
    assert sent in queue
    case = guide.get(f"/da/staff/cases/{sent}").get_data(as_text=True)
    assert "En besked nåede ikke familien. Ring eller skriv til dem:" in case
    assert "+45 20 12 34 56" in case and "EXPIRED no network" in case
    assert guide.post(f"/da/staff/cases/{sent}/reached", {}).status_code == 303
    assert sent not in guide.get("/da/staff/?waiting=unreached").get_data(as_text=True)
    assert "nåede ikke familien" not in guide.get(f"/da/staff/cases/{sent}").get_data(as_text=True)
    with app.app_context():
        message = db.session.get(OutboxMessage, sms_id)
        assert message is not None
        assert message.followed_up_at is not None and message.followed_up_by_id is not None
