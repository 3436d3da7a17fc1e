"""What the administrators' pages show."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.applications.models import Application, ReasonKind, ReasonTemplate
from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from portal.schemes.models import Scheme, SchemeYear


@dataclass(frozen=True)
class Access:
    event: AuditEvent
    by: str | None
    reference: str | None


def accesses_to_household(household_id: int) -> list[Access]:
    """Every audited look at or change to a family's data, newest first (a citizen may ask)."""
    rows = db.session.execute(
        select(AuditEvent, User.name, Application.reference)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .outerjoin(
            Application,
            (AuditEvent.subject_type == "application") & (Application.id == AuditEvent.subject_id),
        )
        .where(AuditEvent.household_id == household_id)
        .order_by(AuditEvent.id.desc())
    ).all()
    return [Access(event, name, reference) for event, name, reference in rows]


@dataclass(frozen=True)
class SchemeYearRow:
    year_id: int
    scheme: str
    pool_kr: int
    cap_kr: int
    reserved_kr: int
    paid_kr: int
    #: The success criterion: persons to help this year, and the sentence per language.
    target_people: int | None = None
    criterion: dict[str, str] = field(default_factory=dict)


def scheme_years(year: int, locale: str) -> list[SchemeYearRow]:
    rows = db.session.execute(
        select(Scheme, SchemeYear)
        .join(SchemeYear)
        .where(SchemeYear.year == year)
        .order_by(Scheme.id)
        .options(selectinload(Scheme.translations))
    ).all()
    return [
        SchemeYearRow(
            y.id,
            s.text(locale).name,
            y.pool_kr,
            y.cap_per_person_kr,
            y.reserved_kr,
            y.paid_kr,
            y.target_people,
            {t.locale: t.success_criterion for t in s.translations},
        )
        for s, y in rows
    ]


@dataclass(frozen=True)
class NotSetUp:
    """An active scheme with no pool for the year yet; the last year's figures to start from."""

    scheme_id: int
    scheme: str
    last_year: int | None
    pool_kr: int | None
    cap_kr: int | None


def schemes_without_year(year: int, locale: str) -> list[NotSetUp]:
    set_up = select(SchemeYear.scheme_id).where(SchemeYear.year == year)
    schemes = db.session.execute(
        select(Scheme)
        .where(Scheme.is_active.is_(True), Scheme.id.not_in(set_up))
        .order_by(Scheme.id)
    ).scalars()
    found = []
    for scheme in schemes:
        earlier = [y for y in scheme.years if y.year < year]
        last = earlier[-1] if earlier else None
        found.append(
            NotSetUp(
                scheme.id,
                scheme.text(locale).name,
                last.year if last else None,
                last.pool_kr if last else None,
                last.cap_per_person_kr if last else None,
            )
        )
    return found


def prefix_taken(prefix: str) -> bool:
    return (
        db.session.execute(
            select(Scheme.id).where(Scheme.reference_prefix == prefix).limit(1)
        ).first()
        is not None
    )


@dataclass(frozen=True)
class ReasonRow:
    id: int
    text: str
    is_active: bool


def decline_reasons(locale: str) -> list[ReasonRow]:
    """Every decline reason, in use or not (guides pick only from those in use)."""
    templates = db.session.execute(
        select(ReasonTemplate)
        .where(ReasonTemplate.kind == ReasonKind.DECLINE_APPLICATION)
        .order_by(ReasonTemplate.is_active.desc(), ReasonTemplate.id)
    ).scalars()
    return [ReasonRow(t.id, t.text(locale), t.is_active) for t in templates]
