"""The worker that sends what the outbox holds: e-mail over SMTP, SMS through a backend.

A message is sent at least once and never lost: a failed attempt leaves it pending with a later
``next_attempt_at`` (exponential back-off); after ``MAX_ATTEMPTS`` it is marked failed for an
operator. Before sending, a worker takes a short lease on the row with a conditional UPDATE, so
two workers never send the same message at the same time.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol
from urllib.parse import unquote, urlsplit

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.db import utcnow
from portal.extensions import db
from portal.outbox.gatewayapi import GatewayApiBackend
from portal.outbox.models import Channel, OutboxMessage, OutboxStatus, SmsProvider
from portal.outbox.providers import MessageRefused
from portal.outbox.services import public_url
from portal.outbox.twilio import TwilioBackend

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
#: How long a worker holds a message it is sending before another may try.
LEASE = timedelta(minutes=5)
SMTP_TIMEOUT_SECONDS = 20


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failure, at most an hour (12 tries ≈ 6 hours in all)."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


class Backend(Protocol):
    def send(self, message: OutboxMessage) -> None:
        """Deliver ``message`` or raise."""


@dataclass
class SmtpBackend:
    """E-mail over SMTP: ``smtp://[user:password@]host[:port]`` (STARTTLS when offered) or
    ``smtps://…`` (TLS from the start)."""

    url: str
    sender: str

    def send(self, message: OutboxMessage) -> None:
        parts = urlsplit(self.url)
        host = parts.hostname or "localhost"
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.recipient
        email["Subject"] = message.subject or ""
        email["Message-ID"] = make_msgid(domain="fritidsportalen.invalid")
        email.set_content(message.body)
        email["Content-Language"] = message.locale  # after set_content, which clears Content-*
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if parts.scheme == "smtps":
            smtp = smtplib.SMTP_SSL(
                host, parts.port or 465, timeout=SMTP_TIMEOUT_SECONDS, context=context
            )
        else:
            smtp = smtplib.SMTP(host, parts.port or 25, timeout=SMTP_TIMEOUT_SECONDS)
        with smtp:
            smtp.ehlo()
            if parts.scheme == "smtp" and smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
            if parts.username:
                smtp.login(unquote(parts.username), unquote(parts.password or ""))
            smtp.send_message(email)


class LogSmsBackend:
    """Development and tests: the SMS is written to the log (and shown on /dev/outbox)."""

    def send(self, message: OutboxMessage) -> None:
        log.info("SMS to %s: %s", message.recipient, message.body)


def sms_provider(name: str) -> Backend:
    """A real SMS provider's backend, as configured."""
    config = current_app.config
    if name == "gatewayapi":
        return GatewayApiBackend(
            url=config["SMS_API_URL"],
            token=config["SMS_API_TOKEN"],
            sender=config["SMS_SENDER"],
            callback_url=public_url("sms_status.gatewayapi_status"),
        )
    if name == "twilio":
        return TwilioBackend(
            url=config["TWILIO_API_URL"],
            account_sid=config["TWILIO_ACCOUNT_SID"],
            auth_token=config["TWILIO_AUTH_TOKEN"],
            sender=config["SMS_SENDER"],
            callback_url=public_url("sms_status.twilio_status"),
        )
    raise ValueError(f"no SMS provider {name!r}")  # config.validate() refused it already


@dataclass
class SmsProviders:
    """The configured SMS providers, first choice first. A provider that fails (no answer, 5xx,
    429, a refused token) is demoted for ``demotion``: the same message goes to the next one at
    once, and later messages go there first until the demotion ends (as GOV.UK Notify moves its
    traffic off a failing provider). Their standing is in the database, shared by every worker.
    A refused message (a number no network reaches) is not the provider's fault: no fallback."""

    names: list[str]
    demotion: timedelta
    #: The worker's clock for this round (demotions start and end on it).
    now: datetime

    def send(self, message: OutboxMessage) -> None:
        now = self.now
        standing = {name: self._standing(name) for name in self.names}
        # Those not demoted in the configured order, then the demoted ones, soonest back first:
        # with every provider demoted, a message is still tried rather than left waiting.
        order = sorted(
            self.names,
            key=lambda name: (
                _demoted(standing[name], now),
                standing[name].demoted_until or now,
                self.names.index(name),
            ),
        )
        failed: list[str] = []
        for name in order:
            try:
                sms_provider(name).send(message)
            except OSError as exc:
                self._demote(standing[name], f"{type(exc).__name__}: {exc}", now)
                failed.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            standing[name].failures, standing[name].demoted_until = 0, None
            standing[name].last_error = None
            message.provider = name
            return
        raise OSError("; ".join(failed))

    def _standing(self, name: str) -> SmsProvider:
        found = db.session.get(SmsProvider, name, populate_existing=True)
        if found is None:
            try:
                with db.session.begin_nested():
                    found = SmsProvider(name=name, failures=0)
                    db.session.add(found)
            except IntegrityError:  # another worker added it a moment ago
                found = db.session.execute(
                    select(SmsProvider).where(SmsProvider.name == name)
                ).scalar_one()
        return found

    def _demote(self, provider: SmsProvider, error: str, now: datetime) -> None:
        provider.failures += 1
        provider.last_error = error[:2000]
        provider.demoted_until = now + self.demotion
        log.warning(
            "outbox: SMS provider %s demoted for %s (failure %s in a row): %s",
            provider.name, self.demotion, provider.failures, error,
        )  # fmt: skip


def _demoted(provider: SmsProvider, now: datetime) -> bool:
    return provider.demoted_until is not None and provider.demoted_until > now


def backends(now: datetime | None = None) -> dict[Channel, Backend]:
    """The configured backend per channel; a channel without one keeps its messages waiting."""
    config = current_app.config
    found: dict[Channel, Backend] = {}
    if config.get("SMTP_URL"):
        found[Channel.EMAIL] = SmtpBackend(config["SMTP_URL"], config["MAIL_FROM"])
    if config.get("SMS_BACKEND") == "log":
        found[Channel.SMS] = LogSmsBackend()
    elif config.get("SMS_BACKEND"):
        names = [config["SMS_BACKEND"]]
        if config.get("SMS_FALLBACK_BACKEND"):
            names.append(config["SMS_FALLBACK_BACKEND"])
        minutes = float(config["SMS_DEMOTION_MINUTES"])
        found[Channel.SMS] = SmsProviders(names, timedelta(minutes=minutes), now or utcnow())
    return found


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def _lease(message_id: int, seen_due_at: datetime, now: datetime) -> bool:
    """Take the message for this worker (False: another worker took it since we looked)."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at == seen_due_at,
        )
        .values(next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(getattr(result, "rowcount", 0) == 1)


def send_due(now: datetime | None = None, *, limit: int = 100) -> SendReport:
    """Send every pending message that is due, on the channels that have a backend."""
    now = now or utcnow()
    available = backends(now)
    report = SendReport()
    if not available:
        return report
    due = db.session.execute(
        select(OutboxMessage.id, OutboxMessage.next_attempt_at)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.channel.in_(list(available)),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    ).all()
    db.session.commit()
    for message_id, seen_due_at in due:
        if not _lease(message_id, seen_due_at, now):
            continue
        message = db.session.get(OutboxMessage, message_id)
        if message is not None:
            _send_one(message, available[message.channel], now, report)
            db.session.commit()
    return report


def _send_one(message: OutboxMessage, backend: Backend, now: datetime, report: SendReport) -> None:
    """One attempt: sent, or tried again later with back-off, or given up after the last."""
    message.attempts += 1
    try:
        backend.send(message)
    except MessageRefused as exc:
        # Refused for good (a number no network can reach): no retries, an operator looks.
        message.last_error = str(exc)[:2000]
        message.status = OutboxStatus.FAILED
        report.failed += 1
        report.errors.append(str(exc))
        log.error("outbox: message %s refused: %s", message.id, exc)
        return
    except (OSError, smtplib.SMTPException) as exc:
        error = f"{type(exc).__name__}: {exc}"
        message.last_error = error[:2000]
        report.errors.append(error)
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.FAILED
            report.failed += 1
            log.error("outbox: gave up on message %s: %s", message.id, error)
        else:
            message.next_attempt_at = now + backoff(message.attempts)
            report.retrying += 1
            log.warning("outbox: message %s will be retried: %s", message.id, error)
        return
    message.status = OutboxStatus.SENT
    message.sent_at = utcnow()
    message.last_error = None
    report.sent += 1
