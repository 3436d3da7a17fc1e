"""The outbox worker over a real SMTP conversation (aiosmtpd), and what an outage does."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select

from portal.db import utcnow
from portal.extensions import db
from portal.outbox import sender
from portal.outbox.models import Channel, OutboxMessage, OutboxStatus
from portal.outbox.services import queue


class Inbox:
    """An SMTP server's handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.fixture
def make_app(make_app: Any, app: Flask) -> Any:
    """Extra apps on the test database; asking for ``app`` empties the tables after each test."""
    return make_app


@pytest.fixture
def mail_app(make_app: Any, smtp: tuple[Inbox, int]) -> Flask:
    app: Flask = make_app(SMTP_URL=f"smtp://127.0.0.1:{smtp[1]}")
    return app


def _queue_receipt(app: Flask, locale: str = "ar") -> None:
    with app.test_request_context("/"):
        queue(
            "resume_link",
            locale=locale,
            email="mor@example.org",
            phone="+4520123456",
            resume_link="http://127.0.0.1:5000/ar/resume/abc",
            code="K7Q3-92XM",
            expires_on=utcnow().date(),
        )
        db.session.commit()


def _messages(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        found = list(db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())
        db.session.expunge_all()
        return found


def test_email_goes_out_over_smtp_in_the_familys_language(
    mail_app: Flask, smtp: tuple[Inbox, int]
) -> None:
    """DATA-12: written to the outbox, then sent by the worker."""
    inbox, _port = smtp
    _queue_receipt(mail_app)
    with mail_app.app_context():
        report = sender.send_due()
    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)  # e-mail and SMS
    [received] = inbox.messages
    assert received["To"] == "mor@example.org"
    assert received["Content-Language"] == "ar"
    assert received["Subject"] == "تابع طلبك"
    body = received.get_payload(decode=True).decode()
    assert "K7Q3-92XM" in body and "http://127.0.0.1:5000/ar/resume/abc" in body
    assert all(m.status is OutboxStatus.SENT and m.sent_at for m in _messages(mail_app))
    # Nothing is sent twice.
    with mail_app.app_context():
        assert sender.send_due().sent == 0
    assert len(inbox.messages) == 1


def test_an_smtp_outage_delays_a_message_and_never_loses_it(
    make_app: Any, smtp: tuple[Inbox, int]
) -> None:
    """DATA-12: SMTP down → retried with back-off → delivered once it is back, no duplicates."""
    inbox, port = smtp
    down = make_app(SMTP_URL=f"smtp://127.0.0.1:{free_port()}")  # nobody listens there
    _queue_receipt(down, locale="da")
    start = utcnow()
    with down.app_context():
        report = sender.send_due(start)
    assert report.retrying == 1 and report.sent == 1  # the SMS went; the e-mail waits
    [email] = [m for m in _messages(down) if m.channel is Channel.EMAIL]
    assert email.status is OutboxStatus.PENDING and email.attempts == 1
    assert email.last_error and "Connection" in email.last_error
    assert email.next_attempt_at == start + sender.backoff(1)

    with down.app_context():  # still down, and not due yet: untouched
        assert sender.send_due(start + timedelta(seconds=30)).retrying == 0
        for minutes in (1, 3, 7):  # due again, still down: the wait doubles each time
            sender.send_due(start + timedelta(minutes=minutes, seconds=1))
    [email] = [m for m in _messages(down) if m.channel is Channel.EMAIL]
    assert email.attempts == 4 and email.status is OutboxStatus.PENDING

    up = make_app(SMTP_URL=f"smtp://127.0.0.1:{port}")
    with up.app_context():
        report = sender.send_due(start + timedelta(hours=1))
    assert report.sent == 1
    assert len(inbox.messages) == 1 and inbox.messages[0]["Subject"] == "Fortsæt din ansøgning"
    [email] = [m for m in _messages(up) if m.channel is Channel.EMAIL]
    assert email.status is OutboxStatus.SENT and email.attempts == 5 and email.last_error is None


def test_a_message_is_marked_failed_after_the_last_retry(make_app: Any) -> None:
    down = make_app(SMTP_URL=f"smtp://127.0.0.1:{free_port()}")
    _queue_receipt(down)
    when = utcnow()
    with down.app_context():
        for _ in range(sender.MAX_ATTEMPTS):
            when += timedelta(hours=2)
            sender.send_due(when)
    [email, sms] = _messages(down)
    assert email.status is OutboxStatus.FAILED and email.attempts == sender.MAX_ATTEMPTS
    assert sms.status is OutboxStatus.SENT and sms.attempts == 1  # the SMS is not held back


def test_without_smtp_settings_email_waits_in_the_outbox(app: Flask) -> None:
    _queue_receipt(app)
    with app.app_context():
        report = sender.send_due()
    assert report.sent == 1  # the SMS, through the logging backend
    email = next(m for m in _messages(app) if m.channel is Channel.EMAIL)
    assert email.status is OutboxStatus.PENDING and email.attempts == 0


def test_two_workers_never_send_the_same_message(mail_app: Flask, smtp: tuple[Inbox, int]) -> None:
    inbox, _port = smtp
    _queue_receipt(mail_app)
    with mail_app.app_context():
        [email] = db.session.execute(
            select(OutboxMessage).where(OutboxMessage.channel == Channel.EMAIL)
        ).scalars()
        now, seen = utcnow(), email.next_attempt_at
        assert sender._lease(email.id, seen, now) is True
        assert sender._lease(email.id, seen, now) is False  # the other worker finds it taken
        assert sender.send_due(now).sent == 1  # the SMS; the e-mail is leased
    assert inbox.messages == []


def test_outbox_send_command(mail_app: Flask, smtp: tuple[Inbox, int]) -> None:
    _queue_receipt(mail_app)
    result = mail_app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "2 sent, 0 to retry, 0 failed" in result.output
    assert len(smtp[0].messages) == 1
