"""A guide starts an application for a family, sends the consent link, and finds the
applications still waiting for the family's yes. Every step is audited "on behalf of"."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from portal.applications import steps
from portal.applications.models import Application, Household
from portal.applications.services import RESUME_LINK_DAYS
from portal.audit import services as audit
from portal.audit.models import AuditAction
from portal.auth import links
from portal.auth.models import AccessToken, TokenPurpose, User
from portal.db import utcnow
from portal.extensions import db
from portal.outbox import services as outbox
from portal.workflow import ApplicationKind, ApplicationStatus

#: As long as a resume link: the family may want to think it over, or ask someone.
CONSENT_LINK_DAYS = RESUME_LINK_DAYS


def _audit(guide_id: int, application: Application, purpose: str) -> None:
    audit.note(guide_id, AuditAction.CHANGE, purpose, application=application)


def start_for_family(kind: ApplicationKind, *, guide_id: int) -> Application:
    """A new draft that the guide fills in with the family (no resume link goes out for it)."""
    application = Application(kind=kind, household=Household(), made_by_guide_id=guide_id)
    db.session.add(application)
    db.session.flush()
    _audit(guide_id, application, "on behalf of the family: started")
    db.session.commit()
    return application


class NotSent(StrEnum):
    INCOMPLETE = "incomplete"
    ALREADY_SENT = "already_sent"


def request_consent(application: Application, *, guide_id: int) -> NotSent | None:
    """Send the family a link (SMS and/or e-mail, in its language) to the filled-in answers.
    A new link replaces an older one; the application stays a draft until the family's yes."""
    if application.status is not ApplicationStatus.DRAFT:
        return NotSent.ALREADY_SENT
    if steps.first_unanswered(application) is not None or application.applicant is None:
        return NotSent.INCOMPLETE
    now = utcnow()
    db.session.execute(
        update(AccessToken)
        .where(
            AccessToken.application_id == application.id,
            AccessToken.purpose == TokenPurpose.FAMILY_CONSENT,
            AccessToken.used_at.is_(None),
        )
        .values(used_at=now)
    )
    expires_at = now + timedelta(days=CONSENT_LINK_DAYS)
    token = links.issue(
        TokenPurpose.FAMILY_CONSENT,
        application_id=application.id,
        user_id=guide_id,
        now=now,
        expires_at=expires_at,
    )
    application.consent_requested_at = now
    outbox.notify_applicant(
        application,
        "consent_request",
        consent_link=outbox.public_url(
            "assisted.consent", lang=application.applicant.preferred_locale, token=token
        ),
        expires_on=expires_at.date(),
    )
    _audit(guide_id, application, "on behalf of the family: consent link sent")
    db.session.commit()
    return None


class LinkProblem(StrEnum):
    """Why a consent link opens nothing (the same words as for a resume link)."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"


def by_consent_link(token: str) -> Application | LinkProblem:
    """The application behind a consent link, or why it cannot be opened. After the family's
    yes the link still finds the application (sent: the page to show is its status); a link
    replaced by a newer one counts as expired."""
    access = links.find(token, TokenPurpose.FAMILY_CONSENT)
    if access is None or access.application_id is None:
        return LinkProblem.UNKNOWN
    application = db.session.get(Application, access.application_id)
    if application is None:
        return LinkProblem.UNKNOWN
    if application.status is not ApplicationStatus.DRAFT:
        return application
    if access.used_at is not None or access.expires_at <= utcnow():
        return LinkProblem.EXPIRED
    return application


def fingerprint(application: Application) -> str:
    """A digest of the answers as the family sees them: a yes counts only for what was shown
    (if the guide changed something meanwhile, the family is shown it again)."""
    rows = "\n".join(f"{row.question}\t{row.answer}" for row in steps.answers(application))
    return hashlib.sha256(rows.encode()).hexdigest()


@dataclass(frozen=True)
class Waiting:
    application: Application
    guide_name: str
    requested_at: datetime | None


def waiting_for_consent(limit: int = 100) -> list[Waiting]:
    """Drafts made with a guide, newest first: links sent but not yet said yes to, and drafts
    a guide started but did not send."""
    rows = db.session.execute(
        select(Application, User.name)
        .join(User, User.id == Application.made_by_guide_id)
        .where(Application.status == ApplicationStatus.DRAFT)
        .options(selectinload(Application.participant), selectinload(Application.applicant))
        .order_by(Application.id.desc())
        .limit(limit)
    ).all()
    return [
        Waiting(application, name, application.consent_requested_at) for application, name in rows
    ]
