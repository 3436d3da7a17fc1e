"""A family's girls' cricket application, sent straight into the live demo database (for
browser tests that start where a guide or a club takes over)."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy import select

from portal.applications.models import Applicant, Application, Household, Participant
from portal.catalogue.models import Activity
from portal.db import utcnow
from portal.extensions import db
from portal.people import matching
from portal.workflow import ApplicationKind, ApplicationStatus


def sent_cricket_place(
    live_app: Flask, reference: str, name: tuple[str, str], born: date, phone: str
) -> Application:
    """Sent and matched with the people known before, as on a real submission (call it inside
    an app context; the application stays in its session)."""
    cricket = db.session.execute(
        select(Activity).where(Activity.slug == "girls-cricket")
    ).scalar_one()
    household = Household(postcode="7100")
    application = Application(
        kind=ApplicationKind.ACTIVITY_PLACE, status=ApplicationStatus.SUBMITTED,
        reference=reference, household=household, activity=cricket, scheme=cricket.scheme,
        participant=Participant(household=household, first_name=name[0], last_name=name[1],
                                birth_on=born),
        applicant=Applicant(household=household, phone=phone, preferred_locale="ar"),
        amount_requested_kr=cricket.fee_kr, submitted_at=utcnow(),
    )  # fmt: skip
    db.session.add(application)
    matching.link(application)
    db.session.commit()
    return application
