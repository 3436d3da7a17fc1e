"""Builders for test data: call them inside an app context; they commit."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta
from typing import Any

from portal.applications.models import Applicant, Application, Household, Participant
from portal.catalogue.models import (
    Activity,
    ActivitySession,
    ActivityTranslation,
    Association,
    Audience,
)
from portal.db import utcnow
from portal.extensions import db
from portal.people.models import Person
from portal.schemes.models import Scheme, SchemeKind, SchemeTranslation, SchemeYear
from portal.workflow import ApplicationKind, ApplicationStatus

#: A child of the age most activities are for.
BORN = date(2014, 6, 1)

_numbers = itertools.count(1)


def make_association(**fields: Any) -> Association:
    n = next(_numbers)
    values: dict[str, Any] = {
        "name": f"Forening {n}",
        "cvr": f"{10_000_000 + n}",
        "address": "Vejen 1",
        "postcode": "7100",
        "city": "Vejle",
        "email": f"club{n}@example.org",
        "phone": "+4570000000",
    }
    values.update(fields)
    association = Association(**values)
    db.session.add(association)
    db.session.commit()
    return association


def make_activity(
    names: dict[str, str] | None = None,
    sessions: tuple[tuple[int, time, time], ...] = ((1, time(17), time(18, 30)),),
    association: Association | None = None,
    **fields: Any,
) -> Activity:
    """An activity; ``names`` maps locale → name (default: the same name in da, ar and en)."""
    n = next(_numbers)
    names = names or {"da": f"Aktivitet {n}", "ar": f"نشاط {n}", "en": f"Activity {n}"}
    values: dict[str, Any] = {
        "slug": f"activity-{n}",
        "min_age": 6,
        "max_age": 16,
        "audience": Audience.ANYONE,
        "place": "Hallen",
        "address": "Vejen 1",
        "postcode": "7100",
        "city": "Vejle",
        "fee_kr": 1000,
        "capacity": 20,
        "free_places": 5,
    }
    values.update(fields)
    activity = Activity(association=association or make_association(), **values)
    activity.translations = [
        ActivityTranslation(locale=locale, name=name, description=f"{name}: description")
        for locale, name in names.items()
    ]
    activity.sessions = [
        ActivitySession(weekday=day, start_time=start, end_time=end) for day, start, end in sessions
    ]
    db.session.add(activity)
    db.session.commit()
    return activity


def make_scheme(
    kind: SchemeKind = SchemeKind.LEISURE_PASS,
    prefix: str = "FP",
    *,
    pool_kr: int | None = None,
    cap_kr: int | None = None,
    **fields: Any,
) -> Scheme:
    """A scheme; with ``pool_kr`` and ``cap_kr`` also this year's pool and cap per person."""
    n = next(_numbers)
    scheme = Scheme(code=f"scheme-{n}", kind=kind, reference_prefix=prefix, **fields)
    scheme.translations = [
        SchemeTranslation(locale=locale, name=f"{name} {n}", description=name)
        for locale, name in (("da", "Ordning"), ("ar", "برنامج"), ("en", "Scheme"))
    ]
    if pool_kr is not None and cap_kr is not None:
        scheme.years = [SchemeYear(year=utcnow().year, pool_kr=pool_kr, cap_per_person_kr=cap_kr)]
    db.session.add(scheme)
    db.session.commit()
    return scheme


def make_sent_application(
    n: int,
    *,
    activity_id: int | None = None,
    first: str = "Barn",
    locale: str = "da",
    born: date = BORN,
    status: ApplicationStatus = ApplicationStatus.SUBMITTED,
    days_ago: int = 1,
) -> str:
    """A sent leisure-pass application ``FP-TEST-<n>``, straight into the database."""
    household = Household(postcode="7100")
    application = Application(
        kind=ApplicationKind.LEISURE_PASS,
        status=status,
        reference=f"FP-TEST-{n:03d}",
        household=household,
        activity_id=activity_id,
        participant=Participant(
            household=household,
            first_name=first,
            last_name=f"Efternavn{n}",
            birth_on=born,
            person=None if status is ApplicationStatus.DRAFT else Person(),
        ),
        applicant=Applicant(
            household=household, phone=f"+45201{n:05d}", email=f"f{n}@x.dk", preferred_locale=locale
        ),
        submitted_at=utcnow() - timedelta(days=days_ago, minutes=n),
    )
    db.session.add(application)
    db.session.commit()
    return application.reference or ""
