"""Logging: one line per request, never personal data; JSON lines in production.

Each request gets an id (``X-Request-ID`` from the proxy when it is a plain token, else a new
one), sent back in the response's ``X-Request-ID`` header and shown on the 500 page, so a family
on the phone can read it out and an operator finds the log line. A request's line names its
route (``/<lang>/apply/<token>/<step>``, the rule — never the path, which holds tokens), the
method, status, duration and the signed-in role; never names, CPR, phone, e-mail, tokens or
query strings. Unhandled exceptions are logged with the request id and the route.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, has_request_context, request
from flask.wrappers import Response

#: A request id we accept from the proxy (nginx's ``$request_id`` is 32 hex digits).
_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
#: What the request log line may carry (the formatter drops anything else given as extra).
FIELDS = ("request_id", "method", "route", "status", "duration_ms", "role")

logger = logging.getLogger("portal.requests")


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, the request's fields and
    the exception's traceback (code locations only: values are not logged)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for field in FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if "request_id" not in line and (current := request_id()):
            line["request_id"] = current
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Readable lines for development: ``12:00:01 INFO GET /<lang>/ 200 12.3 ms``."""

    def format(self, record: logging.LogRecord) -> str:
        if record.name == logger.name and hasattr(record, "route"):
            fields = record.__dict__
            text = (
                f"{fields['method']} {fields['route']} {fields['status']} "
                f"{fields['duration_ms']} ms {fields['role'] or ''}".rstrip()
            )
        else:
            text = record.getMessage()
        moment = time.strftime("%H:%M:%S", time.localtime(record.created))
        line = f"{moment} {record.levelname} {text}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _begin() -> None:
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if _REQUEST_ID.fullmatch(offered) else secrets.token_hex(16)
    g.request_started = time.perf_counter()


def _role() -> str | None:
    staff = g.get("staff")
    if staff is not None:
        return str(staff.user.role.value)
    if g.get("club_contact") is not None:
        return "association"
    return None


def _finish(response: Response) -> Response:
    started = g.get("request_started")
    if started is None:
        return response
    response.headers["X-Request-ID"] = g.request_id
    rule = request.url_rule
    logger.info(
        "request",
        extra={
            "request_id": g.request_id,
            "method": request.method,
            # The rule, never the path: paths hold the families' tokens.
            "route": rule.rule if rule is not None else "(no route)",
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "role": _role(),
        },
    )
    return response


def configure(app: Flask) -> None:
    """Handlers on the root logger: JSON lines to stdout (``PORTAL_LOG_FORMAT=json``, the
    production default) or readable text to stderr; the level from ``PORTAL_LOG_LEVEL``."""
    json_lines = app.config["LOG_FORMAT"] == "json"
    handler = logging.StreamHandler(sys.stdout if json_lines else sys.stderr)
    handler.setFormatter(JsonFormatter() if json_lines else TextFormatter())
    handler.set_name("portal")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "portal"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
    # Flask's own handler would write the same lines again, without the request id.
    app.logger.handlers.clear()
    app.logger.propagate = True
    # Werkzeug's development server logs each request with its path (tokens): ours replaces it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def init_app(app: Flask) -> None:
    if not app.config.get("TESTING"):  # tests read the records through pytest's caplog
        configure(app)
    app.before_request(_begin)
    app.after_request(_finish)
