"""Home, accessibility statement, privacy notice and ``/healthz``."""

from __future__ import annotations

import os
from datetime import date
from functools import cache

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Blueprint, current_app, jsonify, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from portal.db import utcnow
from portal.extensions import db, limiter
from portal.main.models import MunicipalitySettings
from portal.outbox.models import OutboxMessage, OutboxStatus
from portal.pagecache import public_page
from portal.schemes.models import Scheme, SchemeKind, SchemeYear

bp = Blueprint("main", __name__)

#: The date the accessibility statement was last reviewed (shown on the page).
ACCESSIBILITY_REVIEWED_ON = date(2026, 11, 22)


def municipality() -> MunicipalitySettings | None:
    return db.session.execute(select(MunicipalitySettings).limit(1)).scalar_one_or_none()


@bp.get("/<lang:lang>/")
@public_page
def home() -> ResponseReturnValue:
    """What the portal can help with, with this year's amounts from the schemes themselves."""
    year = date.today().year
    rows = db.session.execute(
        select(Scheme, SchemeYear)
        .join(SchemeYear, (SchemeYear.scheme_id == Scheme.id) & (SchemeYear.year == year))
        .where(
            Scheme.is_active,
            Scheme.kind.in_([SchemeKind.LEISURE_PASS, SchemeKind.EQUIPMENT]),
        )
    ).all()
    caps = {scheme.kind: scheme_year.cap_per_person_kr for scheme, scheme_year in rows}
    return render_template(
        "main/home.html",
        leisure_pass_cap=caps.get(SchemeKind.LEISURE_PASS),
        equipment_cap=caps.get(SchemeKind.EQUIPMENT),
        municipality=municipality(),
    )


@bp.get("/<lang:lang>/accessibility")
@public_page
def accessibility() -> ResponseReturnValue:
    return render_template(
        "main/accessibility.html",
        municipality=municipality(),
        reviewed_on=ACCESSIBILITY_REVIEWED_ON,
    )


@bp.get("/<lang:lang>/privacy")
@public_page
def privacy() -> ResponseReturnValue:
    return render_template("main/privacy.html", municipality=municipality())


@cache
def _migration_heads(directory: str) -> tuple[str, ...]:
    return tuple(ScriptDirectory(directory).get_heads())


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """For the load balancer and the operator: is the database there, and is its schema current?"""
    directory = os.path.join(current_app.root_path, "migrations")
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            revision = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        current_app.logger.warning("health check: database unavailable: %s", exc)
        return jsonify(status="error", database={"reachable": False}), 503
    heads = _migration_heads(directory)
    current = revision in heads
    rate_limits = _rate_limit_store()
    body = {
        "status": "error" if not current else "ok" if rate_limits["reachable"] else "degraded",
        "database": {
            "reachable": True,
            "dialect": db.engine.dialect.name,
            "revision": revision,
            "expected_revision": heads[0] if len(heads) == 1 else list(heads),
            "up_to_date": current,
        },
        "rate_limits": rate_limits,
        "outbox": _outbox_backlog(),
    }
    # Degraded still serves the public pages: only the limited forms refuse (fail closed).
    return jsonify(body), 200 if current else 503


def _rate_limit_store() -> dict[str, object]:
    """Where rate limits are counted, and whether it answers (if not, sign-in and the resume
    codes refuse until it does)."""
    uri = str(current_app.config["RATELIMIT_STORAGE_URI"])
    try:
        reachable = bool(limiter.storage.check())
    except Exception:
        reachable = False
    if not reachable:
        current_app.logger.error("health check: the rate-limit store %s is not reachable", uri)
    return {"storage": uri.split("://", 1)[0], "reachable": reachable}


def _outbox_backlog() -> dict[str, object]:
    """Messages waiting (and how long the oldest has waited) and messages given up on."""
    now = utcnow()
    waiting, oldest = db.session.execute(
        select(func.count(), func.min(OutboxMessage.created_at)).where(
            OutboxMessage.status == OutboxStatus.PENDING
        )
    ).one()
    failed = db.session.execute(
        select(func.count()).where(OutboxMessage.status == OutboxStatus.FAILED)
    ).scalar_one()
    age = int((now - oldest).total_seconds()) if oldest is not None else 0
    return {"pending": waiting, "oldest_pending_seconds": age, "failed": failed}
