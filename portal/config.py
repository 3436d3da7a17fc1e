"""Configuration: defaults in code, overrides from ``PORTAL_*`` environment variables.

Every setting below can be overridden by an environment variable with the ``PORTAL_`` prefix,
for example ``PORTAL_DATABASE_URL=postgresql+psycopg://user@host/db``. Values are parsed as JSON
when they can be (``PORTAL_DEV_OUTBOX=1`` gives the integer 1). Tests pass a mapping to
``create_app`` instead.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

from flask import Flask

#: Languages the portal is offered in, in the order the language switcher shows them.
#: Adding a language is a catalogue in ``portal/translations/<code>/`` and one entry here.
DEFAULT_LOCALES = ("da", "ar", "en")


#: The SMS backends the portal has (``portal/outbox/sender.py``).
SMS_BACKENDS = ("log", "gatewayapi", "twilio")
#: What each real provider needs set.
SMS_PROVIDER_SETTINGS = {
    "gatewayapi": ("SMS_API_TOKEN", "SMS_WEBHOOK_SECRET"),
    "twilio": ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"),
}


class DefaultConfig:
    """The embedded default: SQLite in ``instance/``, Danish first, development-friendly."""

    #: ``development`` or ``production``; production refuses to start without a real secret.
    ENV = "development"
    SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production by validate()
    #: Earlier secret keys, still accepted (not used to sign) while a rotation settles: a JSON
    #: list, ``PORTAL_SECRET_KEY_FALLBACKS='["<the old key>"]'`` (docs/operations.md).
    SECRET_KEY_FALLBACKS: list[str] = []
    DATABASE_URL: str | None = None  # None: sqlite:///<instance>/portal.sqlite3
    LOCALES: tuple[str, ...] = DEFAULT_LOCALES
    DEFAULT_LOCALE = "da"
    TIMEZONE = "Europe/Copenhagen"

    BABEL_TRANSLATION_DIRECTORIES = "translations"
    #: Public pages kept in each worker's memory (portal/pagecache.py), and how often a worker
    #: looks whether another one changed what they show (seconds; 0: on every request).
    PAGE_CACHE = True
    PAGE_CACHE_RECHECK_SECONDS = 1.0
    SQLALCHEMY_TRACK_MODIFICATIONS = False

    # Cookies: SameSite=Lax so a family arriving from an SMS link keeps its session.
    SESSION_COOKIE_NAME = "portal_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True outside development by validate()
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    # Flask-WTF: the token lives as long as the session, so a slow family never loses a form.
    WTF_CSRF_TIME_LIMIT: int | None = None
    WTF_CSRF_SSL_STRICT = True

    #: A whole request: a few photos chosen at once (each is checked against 10 MB by itself).
    MAX_CONTENT_LENGTH = 32 * 1024 * 1024
    SEND_FILE_MAX_AGE_DEFAULT = timedelta(days=365)  # static URLs carry a content hash

    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/javascript",
        "application/javascript",
        "application/json",
    ]
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIN_SIZE = 500

    #: How many proxies in front of the portal set ``X-Forwarded-For`` (and ``-Proto``,
    #: ``-Host``): 1 behind one nginx. 0 (no proxy): those headers are ignored, so a visitor
    #: cannot forge another address (each address has its own rate limits).
    PROXY_HOPS = 0
    #: ``json`` (one object per line on stdout; the production default) or ``text``.
    LOG_FORMAT: str | None = None
    LOG_LEVEL = "INFO"

    #: Municipality name shown in the header and in messages.
    MUNICIPALITY_NAME = "Demo Kommune"
    #: The portal's public address; links in e-mail and SMS start with it.
    PUBLIC_URL = "http://127.0.0.1:5000"
    #: What the family is told about waiting for a decision (working days).
    DECISION_DAYS = 10

    # Messages. Without an SMTP URL, e-mail waits in the outbox (see /dev/outbox).
    #: ``smtp://user:password@host:port`` (STARTTLS when the server offers it) or ``smtps://…``.
    SMTP_URL: str | None = None
    MAIL_FROM = "Fritidsportalen <noreply@fritidsportalen.invalid>"
    #: ``log`` writes SMS to the log; ``gatewayapi`` sends them through GatewayAPI
    #: (``portal/outbox/gatewayapi.py``) with the token, the sender name (at most 11 letters)
    #: and the secret its delivery-status webhook signs with; ``twilio`` through Twilio.
    SMS_BACKEND = "log"
    SMS_API_URL = "https://gatewayapi.com"
    SMS_API_TOKEN: str | None = None
    SMS_SENDER = "Fritid"
    SMS_WEBHOOK_SECRET: str | None = None
    #: A second provider (``gatewayapi`` or ``twilio``), used while the first one fails: a
    #: provider that fails (no answer, 5xx, 429, a refused token) is demoted for
    #: SMS_DEMOTION_MINUTES and the message goes to the other at once.
    SMS_FALLBACK_BACKEND: str | None = None
    SMS_DEMOTION_MINUTES = 10
    #: Twilio's Messaging API (``portal/outbox/twilio.py``): the account and its auth token,
    #: which also signs Twilio's delivery-status webhook.
    TWILIO_API_URL = "https://api.twilio.com"
    TWILIO_ACCOUNT_SID: str | None = None
    TWILIO_AUTH_TOKEN: str | None = None
    #: Show /dev/outbox (development only; ``make run`` sets it).
    DEV_OUTBOX = False

    #: Where rate limits are counted: ``redis://127.0.0.1:6379`` when there is more than one
    #: worker process. If that store is down, the limited forms (sign-in, resume codes, links by
    #: SMS) fail closed: "try again in a moment" (503), logged as an error and shown in
    #: ``/healthz`` — never a silent count per worker that a guesser could multiply.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = False
    RATELIMIT_SWALLOW_ERRORS = False
    #: Tries per address at a resume code or a new link (a shared family-centre network has
    #: room; guessing a code or flooding a phone with SMS does not).
    RESUME_RATE_LIMIT = "20 per hour"
    RATELIMIT_HEADERS_ENABLED = True  # Retry-After on a 429

    #: Approved money not paid within this many days returns to the pool (``flask money expire``).
    APPROVAL_EXPIRES_DAYS = 90

    #: Staff are signed out after this many minutes without activity (warned two minutes before).
    STAFF_IDLE_MINUTES = 30
    #: Sign-in tries per address (each account also waits after 5 wrong tries in a row).
    STAFF_SIGN_IN_RATE_LIMIT = "30 per minute"

    #: Club contacts sign in with a one-time link (no password): it works this many hours.
    CLUB_SIGN_IN_LINK_HOURS = 24
    #: A club contact's phone stays signed in while used at least this often (days).
    CLUB_SESSION_DAYS = 30
    #: Requests for a sign-in link per address (each sends an SMS or e-mail).
    CLUB_SIGN_IN_RATE_LIMIT = "10 per hour"
    #: The link in "a new member" messages opens that one enrolment for this many days.
    ENROLMENT_LINK_DAYS = 30
    #: A club that has not answered for a new member this many days gets a reminder
    #: (``flask enrolments remind``, daily) ...
    ENROLMENT_REMINDER_DAYS = 14
    #: ... and this many days after that, the guides' queue lists it for a phone call.
    ENROLMENT_FOLLOW_UP_DAYS = 7
    #: When a club may mark who is still coming at the season's end ("MM-DD", both days
    #: included): only near the end, so that the buttons are not one slip away after a start.
    SEASON_MARKS_FROM = "05-01"
    SEASON_MARKS_UNTIL = "08-31"

    #: The secret key of the CPR numbers' hashes (HMAC-SHA256): without it a stored hash cannot be
    #: matched or guessed. Set it in production; ``PORTAL_CPR_OLD_KEY`` only while re-keying
    #: (``flask people rehash-cpr``, see ``portal/people/cpr.py``).
    CPR_KEY = "dev-only-cpr-key"
    CPR_OLD_KEY: str | None = None

    #: Where the families' photos and PDFs were kept before they moved into the database
    #: (migration 0011 reads them from here once; nothing is written here any more).
    UPLOAD_FOLDER: str | None = None  # None: <instance>/uploads


def load_config(app: Flask, config: dict[str, Any] | None) -> None:
    """Fill ``app.config`` from defaults, the environment and the test mapping; validate."""
    app.config.from_object(DefaultConfig)
    app.config.from_prefixed_env("PORTAL")
    if config:
        app.config.update(config)
    if isinstance(app.config["LOCALES"], str):
        app.config["LOCALES"] = tuple(
            code.strip() for code in app.config["LOCALES"].split(",") if code.strip()
        )
    else:
        app.config["LOCALES"] = tuple(app.config["LOCALES"])
    if isinstance(app.config["SECRET_KEY_FALLBACKS"], str):  # one key, not as a JSON list
        app.config["SECRET_KEY_FALLBACKS"] = [app.config["SECRET_KEY_FALLBACKS"]]
    if app.config["LOG_FORMAT"] is None:
        app.config["LOG_FORMAT"] = "json" if app.config["ENV"] == "production" else "text"
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        url = app.config["DATABASE_URL"] or "sqlite:///" + os.path.join(
            app.instance_path, "portal.sqlite3"
        )
        app.config["SQLALCHEMY_DATABASE_URI"] = url
    validate(app)


class ConfigurationError(RuntimeError):
    """The configuration cannot run safely; the message says what to change."""


def validate(app: Flask) -> None:
    """Fail loudly at start-up rather than serve with an unsafe or impossible configuration."""
    cfg = app.config
    if cfg["DEFAULT_LOCALE"] not in cfg["LOCALES"]:
        raise ConfigurationError(
            f"PORTAL_DEFAULT_LOCALE={cfg['DEFAULT_LOCALE']!r} is not one of PORTAL_LOCALES "
            f"{cfg['LOCALES']!r}"
        )
    if cfg["ENV"] == "production":
        if cfg["SECRET_KEY"] == DefaultConfig.SECRET_KEY or len(str(cfg["SECRET_KEY"])) < 32:
            raise ConfigurationError(
                "Set PORTAL_SECRET_KEY to a random value of at least 32 characters in production."
            )
        if cfg["CPR_KEY"] == DefaultConfig.CPR_KEY or len(str(cfg["CPR_KEY"])) < 32:
            raise ConfigurationError(
                "Set PORTAL_CPR_KEY to a random value of at least 32 characters in production "
                "(the CPR numbers' hashes are keyed with it; keep it apart from the database)."
            )
        cfg["SESSION_COOKIE_SECURE"] = True
        if cfg["DEV_OUTBOX"]:
            raise ConfigurationError("PORTAL_DEV_OUTBOX shows every message; never in production.")
    if cfg["SMS_BACKEND"] not in SMS_BACKENDS:
        raise ConfigurationError(
            f"PORTAL_SMS_BACKEND={cfg['SMS_BACKEND']!r} is not one of {', '.join(SMS_BACKENDS)} "
            "(an unknown one would leave every SMS waiting)."
        )
    fallback = cfg["SMS_FALLBACK_BACKEND"]
    if fallback is not None and (
        fallback not in SMS_PROVIDER_SETTINGS or fallback == cfg["SMS_BACKEND"]
    ):
        raise ConfigurationError(
            f"PORTAL_SMS_FALLBACK_BACKEND={fallback!r} must be another real provider than "
            f"PORTAL_SMS_BACKEND: one of {', '.join(SMS_PROVIDER_SETTINGS)}."
        )
    for setting, provider in (
        ("SMS_BACKEND", cfg["SMS_BACKEND"]),
        ("SMS_FALLBACK_BACKEND", fallback),
    ):
        needed = SMS_PROVIDER_SETTINGS.get(provider or "", ())
        if not all(cfg[name] for name in needed):
            raise ConfigurationError(
                f"PORTAL_{setting}={provider} needs "
                + " and ".join(f"PORTAL_{name}" for name in needed)
                + "."
            )
    if cfg["LOG_FORMAT"] not in ("json", "text"):
        raise ConfigurationError("PORTAL_LOG_FORMAT must be 'json' or 'text'.")
    if not isinstance(cfg["PROXY_HOPS"], int) or cfg["PROXY_HOPS"] < 0:
        raise ConfigurationError("PORTAL_PROXY_HOPS must be a whole number, 0 without a proxy.")
    if cfg["ENV"] not in ("development", "production"):
        raise ConfigurationError("PORTAL_ENV must be 'development' or 'production'.")
