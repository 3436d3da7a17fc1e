"""Changing the catalogue: a club keeps its own activities current (the public pages read the
same rows, so a change shows at once). Every change is audited."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from typing import Any

from portal.audit import services as audit
from portal.audit.models import AuditAction
from portal.catalogue.models import Activity, ActivitySession, ActivityTranslation, Association
from portal.extensions import db


def _slug(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "activity"
    return f"{base}-{secrets.token_hex(2)}"


def save_activity(
    activity: Activity | None,
    association: Association,
    data: dict[str, Any],
    locales: Sequence[str],
    session_rows: int,
    *,
    by: int,
) -> Activity:
    """Create or update an activity from a checked form's data."""
    if activity is None:
        activity = Activity(
            association=association, slug=_slug(data.get("name_en") or data[f"name_{locales[0]}"])
        )
        db.session.add(activity)
    for field in ("min_age", "max_age", "place", "address", "postcode", "city",
                  "fee_kr", "capacity", "free_places", "is_open"):  # fmt: skip
        setattr(activity, field, data[field])
    activity.audience = data["audience"]
    activity.is_published = bool(data["publish"])
    _set_texts(activity, data, locales)
    activity.sessions = [
        ActivitySession(
            weekday=int(data[f"weekday_{row}"]),
            start_time=data[f"start_{row}"],
            end_time=data[f"end_{row}"],
        )
        for row in range(session_rows)
        if data[f"weekday_{row}"]
    ]
    db.session.flush()
    audit.note(by, AuditAction.CHANGE, "activities", subject=("activity", activity.id),
               details=activity.slug)  # fmt: skip
    db.session.commit()
    return activity


def _set_texts(activity: Activity, data: dict[str, Any], locales: Sequence[str]) -> None:
    """The name and description in each language; a language without a name is dropped."""
    texts = {t.locale: t for t in activity.translations}
    for code in locales:
        name, description = data[f"name_{code}"], data[f"description_{code}"] or ""
        if not name:
            if code in texts:
                activity.translations.remove(texts[code])
            continue
        if code in texts:
            texts[code].name, texts[code].description = name, description
        else:
            activity.translations.append(
                ActivityTranslation(locale=code, name=name, description=description)
            )


def form_data(activity: Activity, locales: Sequence[str], session_rows: int) -> dict[str, Any]:
    """An activity as the form shows it."""
    texts = {t.locale: t for t in activity.translations}
    data: dict[str, Any] = {
        field: getattr(activity, field)
        for field in ("min_age", "max_age", "place", "address", "postcode", "city",
                      "fee_kr", "capacity", "free_places", "is_open")
    }  # fmt: skip
    data["audience"] = activity.audience.value
    data["publish"] = activity.is_published
    for code in locales:
        data[f"name_{code}"] = texts[code].name if code in texts else ""
        data[f"description_{code}"] = texts[code].description if code in texts else ""
    for row in range(session_rows):
        session = activity.sessions[row] if row < len(activity.sessions) else None
        data[f"weekday_{row}"] = str(session.weekday) if session else ""
        data[f"start_{row}"] = session.start_time if session else None
        data[f"end_{row}"] = session.end_time if session else None
    return data
