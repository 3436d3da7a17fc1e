"""What administrators change. Each change is one transaction with its audit row."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.applications.models import ReasonKind, ReasonTemplate, ReasonTemplateTranslation
from portal.audit import services as audit
from portal.audit.models import AuditAction
from portal.extensions import db
from portal.schemes.models import Scheme, SchemeKind, SchemeTranslation, SchemeYear


def _audit(admin_id: int, subject_type: str, subject_id: int, purpose: str, details: str) -> None:
    audit.note(
        admin_id, AuditAction.CHANGE, purpose, subject=(subject_type, subject_id), details=details
    )


def change_pool(year_id: int, pool_kr: int, cap_kr: int, *, admin_id: int) -> None:
    """A new pool or cap for a scheme's year; audited. The database refuses a pool below what
    is approved and paid (``pool_not_exceeded``), whatever happened since the page was shown."""
    year = db.session.get(SchemeYear, year_id)
    if year is None:
        raise LookupError(f"scheme year {year_id}")
    details = f"pool {year.pool_kr}→{pool_kr}, cap {year.cap_per_person_kr}→{cap_kr}"
    year.pool_kr, year.cap_per_person_kr = pool_kr, cap_kr
    _audit(admin_id, "scheme_year", year_id, "budget", details)
    db.session.commit()


def set_criterion(year_id: int, target: int, texts: dict[str, str], *, admin_id: int) -> None:
    """A scheme's success criterion: the persons to help in the year (on the year) and the
    sentence in every language (on the scheme); audited."""
    year = db.session.get(SchemeYear, year_id)
    if year is None:
        raise LookupError(f"scheme year {year_id}")
    scheme = year.scheme
    by_locale = {t.locale: t for t in scheme.translations}
    for locale, text in texts.items():
        if locale not in by_locale:
            danish = scheme.text("da")
            by_locale[locale] = SchemeTranslation(
                locale=locale, name=danish.name, description=danish.description
            )
            scheme.translations.append(by_locale[locale])
        by_locale[locale].success_criterion = text
    details = f"{year.year}: {year.target_people}→{target} persons"
    year.target_people = target
    _audit(admin_id, "scheme_year", year_id, "success criterion", details)
    db.session.commit()


def open_year(scheme_id: int, year: int, pool_kr: int, cap_kr: int, *, admin_id: int) -> bool:
    """Set up a scheme's pool for a year (next year's, before New Year). False when that year
    is already set up (two administrators at once: the database's unique key decides)."""
    row = SchemeYear(scheme_id=scheme_id, year=year, pool_kr=pool_kr, cap_per_person_kr=cap_kr)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    _audit(admin_id, "scheme_year", row.id, "budget", f"{year}: pool {pool_kr}, cap {cap_kr}")
    db.session.commit()
    return True


def _code(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:30] or "scheme"
    return f"{slug}-{secrets.token_hex(3)}"


def add_scheme(
    kind: SchemeKind,
    prefix: str,
    names: dict[str, str],
    descriptions: dict[str, str],
    *,
    year: int,
    pool_kr: int,
    cap_kr: int,
    admin_id: int,
) -> Scheme:
    """A new scheme with its text in every language and its pool for ``year``."""
    scheme = Scheme(code=_code(names.get("en") or names["da"]), kind=kind, reference_prefix=prefix)
    scheme.translations = [
        SchemeTranslation(locale=locale, name=name, description=descriptions[locale])
        for locale, name in names.items()
    ]
    scheme.years = [SchemeYear(year=year, pool_kr=pool_kr, cap_per_person_kr=cap_kr)]
    db.session.add(scheme)
    db.session.flush()
    _audit(admin_id, "scheme", scheme.id, "budget", f"new scheme {prefix}, {year}: pool {pool_kr}")
    db.session.commit()
    return scheme


def add_reason(texts: dict[str, str], *, admin_id: int) -> ReasonTemplate:
    template = ReasonTemplate(
        code=f"custom-{secrets.token_hex(4)}", kind=ReasonKind.DECLINE_APPLICATION
    )
    template.translations = [
        ReasonTemplateTranslation(locale=locale, text=text) for locale, text in texts.items()
    ]
    db.session.add(template)
    db.session.flush()
    _audit(admin_id, "reason_template", template.id, "decision reasons", "added")
    db.session.commit()
    return template


def set_reason_in_use(reason_id: int, in_use: bool, *, admin_id: int) -> bool:
    """Stop offering a reason to guides, or offer it again. Decisions already made keep theirs
    (the row is never deleted: a family's decline letter must still say why)."""
    template = db.session.execute(
        select(ReasonTemplate).where(
            ReasonTemplate.id == reason_id, ReasonTemplate.kind == ReasonKind.DECLINE_APPLICATION
        )
    ).scalar_one_or_none()
    if template is None:
        return False
    template.is_active = in_use
    _audit(
        admin_id,
        "reason_template",
        reason_id,
        "decision reasons",
        "in use" if in_use else "stopped",
    )
    db.session.commit()
    return True
