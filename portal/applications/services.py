"""What a family does with an application: start, answer, submit, withdraw, resume, answer a
guide's question. Each function is one unit of work and commits once (messages go into the
outbox in the same transaction)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage

from portal.applications import queries, steps, uploads
from portal.applications.models import Applicant, Application, Household
from portal.applications.questions import Question
from portal.auth import links
from portal.auth.models import AccessToken, TokenPurpose
from portal.catalogue.models import Activity
from portal.db import utcnow
from portal.extensions import db
from portal.forms import normalise_phone
from portal.outbox import services as outbox
from portal.people import matching
from portal.schemes.models import Scheme, SchemeKind
from portal.workflow import (
    Action,
    Actor,
    ApplicationKind,
    ApplicationStatus,
    transition,
)

#: Letters and digits that cannot be mistaken for each other (no 0/O, no 1/I).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_PREFIX = {
    ApplicationKind.LEISURE_PASS: "FP",
    ApplicationKind.EQUIPMENT: "UD",
    ApplicationKind.ACTIVITY_PLACE: "AK",
}
RESUME_LINK_DAYS = 30
#: At most this many drafts get a new link per request (a shared phone number, not a list).
RESUME_LINKS_PER_REQUEST = 5

SCHEME_FOR_KIND = {
    ApplicationKind.LEISURE_PASS: SchemeKind.LEISURE_PASS,
    ApplicationKind.EQUIPMENT: SchemeKind.EQUIPMENT,
    ApplicationKind.ACTIVITY_PLACE: SchemeKind.TARGETED_ACTIVITY,
}


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_reference(prefix: str) -> str:
    """``FP-7K3Q-92``: short enough to read over the phone, no look-alike characters."""
    middle, end = _random(REFERENCE_ALPHABET, 4), _random(REFERENCE_ALPHABET, 2)
    return f"{prefix}-{middle}-{end}"


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


# Starting and answering -----------------------------------------------------------------------


def start_application(
    kind: ApplicationKind, activity: Activity | None = None, *, copy_from: Application | None = None
) -> Application:
    """A new draft. ``copy_from`` (the household's previous application) fills in the family's
    answers, so "apply for another child" starts at the child's name."""
    if copy_from is not None:
        application = Application(
            kind=kind,
            household=copy_from.household,
            applicant=copy_from.applicant,
            relation=copy_from.relation,
            activity=activity,
        )
    else:
        application = Application(kind=kind, household=Household(), activity=activity)
    application.answered_at_start = ",".join(
        step.name for step in steps.steps_for(application) if step.answered(application)
    )
    db.session.add(application)
    db.session.commit()
    return application


def save_answer(
    application: Application, step: steps.Step, form: Question, *, done: bool = True
) -> None:
    """Store one answer of a draft. The first contact given gets a resume link by SMS/e-mail.

    ``done=False``: the family stays on the page (an item added to the list); the question does
    not count as passed yet."""
    had_contact = steps.BY_NAME["contact"].answered(application)
    form.save(application)
    if done and steps.later(step.name, application.current_step):
        application.current_step = step.name
    if step.name == "contact" and not had_contact and application.made_by_guide_id is None:
        # (With a guide, the family gets one link: the consent link, when all is filled in.)
        send_resume_link(application)
    db.session.commit()


# Submitting ---------------------------------------------------------------------------------


class SubmitResult(StrEnum):
    SUBMITTED = "submitted"
    ALREADY_SUBMITTED = "already_submitted"
    INCOMPLETE = "incomplete"


def _scheme_for(application: Application) -> Scheme | None:
    activity = application.activity
    if application.kind is ApplicationKind.ACTIVITY_PLACE and activity and activity.scheme:
        return activity.scheme
    return (
        db.session.execute(
            select(Scheme)
            .where(Scheme.kind == SCHEME_FOR_KIND[application.kind], Scheme.is_active.is_(True))
            .order_by(Scheme.id)  # the first one set up, when there are several of a kind
        )
        .scalars()
        .first()
    )


def _amount_requested(application: Application) -> int | None:
    if application.kind is ApplicationKind.EQUIPMENT:
        # Held to the cap: the family is told that it pays the rest itself.
        total, cap = queries.equipment_total(application), queries.equipment_cap()
        return (min(total, cap) if cap is not None else total) or None
    if application.activity is not None:
        return application.activity.fee_kr
    return application.other_fee_kr


def submit_application(
    application: Application,
    *,
    actor: Actor = Actor.CITIZEN,
    consent_locale: str | None = None,
) -> SubmitResult:
    """Send the draft to the guides: a reference, a status-history row and a receipt message.

    An application a guide made with the family is sent by the family's yes: ``consent_locale``
    is the language of the page on which the family said it (kept with the time).

    Safe to call twice (double tap, retry, back then submit): only a draft is submitted, and
    the version column makes a second concurrent submit fail instead of submitting again.
    """
    if application.status is not ApplicationStatus.DRAFT:
        return SubmitResult.ALREADY_SUBMITTED
    if steps.first_unanswered(application) is not None:
        return SubmitResult.INCOMPLETE
    try:
        if consent_locale is not None:
            application.consent_at, application.consent_locale = utcnow(), consent_locale
        application.scheme = _scheme_for(application)
        application.amount_requested_kr = _amount_requested(application)
        application.submitted_at = utcnow()
        prefix = (
            application.scheme.reference_prefix
            if application.scheme is not None
            else REFERENCE_PREFIX[application.kind]
        )
        application.reference = _unused_reference(prefix)
        matching.link(application)
        transition(application, Action.SUBMIT, actor)
        _retire_links(application)
        outbox.notify_applicant(application, "application_submitted")
        db.session.commit()
    except StaleDataError:
        # Another request submitted this draft first (its UPDATE raised the version).
        db.session.rollback()
        return SubmitResult.ALREADY_SUBMITTED
    return SubmitResult.SUBMITTED


def _unused_reference(prefix: str) -> str:
    while True:
        reference = new_reference(prefix)
        taken = db.session.execute(
            select(func.count()).select_from(Application).where(Application.reference == reference)
        ).scalar_one()
        if not taken:
            return reference


def withdraw_application(application: Application, *, actor: Actor = Actor.CITIZEN) -> None:
    """The family takes the application back before a decision."""
    transition(application, Action.WITHDRAW, actor)
    outbox.notify_applicant(application, "application_withdrawn")
    db.session.commit()


Refused = list[tuple[FileStorage, uploads.UploadError]]


def answer_question(
    application: Application, answer: str | None, files: Sequence[FileStorage] = ()
) -> Refused:
    """The family answers the guide's question, perhaps with photos; the case goes back to the
    guides' queue. If a file cannot be accepted nothing is kept, and the refused files come back
    with why, so the family can try again with the same answer."""
    prepared, refused = _prepare_files(files)
    if refused:
        return refused
    if len(application.uploads) + len(prepared) > uploads.MAX_FILES:
        return [(files[0], uploads.UploadError.TOO_MANY)]
    for file, cleaned in prepared:
        uploads.store(application, cleaned, file.filename)
    transition(application, Action.ANSWER, Actor.CITIZEN, reason=answer or None)
    db.session.commit()
    return []


# Photos and PDFs ------------------------------------------------------------------------------


def _prepare_files(
    files: Sequence[FileStorage],
) -> tuple[list[tuple[FileStorage, uploads.Cleaned]], Refused]:
    prepared, refused = [], []
    for file in files:
        result = uploads.prepare(file.stream)
        if isinstance(result, uploads.UploadError):
            refused.append((file, result))
        else:
            prepared.append((file, result))
    return prepared, refused


def add_uploads(application: Application, files: Sequence[FileStorage]) -> Refused:
    """Store the files a family chose on a draft; each refused one comes back with why (the
    accepted ones are kept: a family sending three photos loses none for a fourth)."""
    prepared, refused = _prepare_files(files)
    for file, cleaned in prepared:
        if len(application.uploads) >= uploads.MAX_FILES:
            refused.append((file, uploads.UploadError.TOO_MANY))
            continue
        uploads.store(application, cleaned, file.filename)
    db.session.commit()
    return refused


def remove_upload(application: Application, token: str) -> None:
    found = next((upload for upload in application.uploads if upload.token == token), None)
    if found is None:
        return
    application.uploads.remove(found)
    db.session.commit()


# Resume links -------------------------------------------------------------------------------


class ResumeError(StrEnum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    SUBMITTED = "submitted"


def send_resume_link(application: Application) -> None:
    """A link (and a code) that opens the draft on any device for 30 days. Not committed here."""
    code = _random(REFERENCE_ALPHABET, 8)
    token = links.issue(
        TokenPurpose.RESUME_APPLICATION,
        application_id=application.id,
        code=code,
        expires_at=utcnow() + timedelta(days=RESUME_LINK_DAYS),
    )
    outbox.notify_applicant(
        application,
        "resume_link",
        link_token=token,
        code=f"{code[:4]}-{code[4:]}",
        expires_on=(utcnow() + timedelta(days=RESUME_LINK_DAYS)).date(),
    )


def _retire_links(application: Application) -> None:
    """A sent application's resume and consent links open nothing any more."""
    db.session.execute(
        update(AccessToken)
        .where(
            AccessToken.application_id == application.id,
            AccessToken.purpose.in_((TokenPurpose.RESUME_APPLICATION, TokenPurpose.FAMILY_CONSENT)),
            AccessToken.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )


def request_resume_links(contact: str) -> int:
    """Send a fresh link for each draft started with this phone number or e-mail. Returns how
    many were sent (the page never tells: it must not reveal who has applied)."""
    phone = normalise_phone(contact)
    email = contact.strip().lower()
    condition = Applicant.email == email if "@" in contact else Applicant.phone == phone
    if phone is None and "@" not in contact:
        return 0
    drafts = (
        db.session.execute(
            select(Application)
            .join(Applicant, Application.applicant_id == Applicant.id)
            .where(condition, Application.status == ApplicationStatus.DRAFT)
            .order_by(Application.id.desc())
            .limit(RESUME_LINKS_PER_REQUEST)
        )
        .scalars()
        .all()
    )
    for application in drafts:
        send_resume_link(application)
    db.session.commit()
    return len(drafts)


def resume(*, token: str | None = None, code: str | None = None) -> Application | ResumeError:
    """The application a resume link or code opens, or why it cannot."""
    if token is not None:
        condition = AccessToken.token_hash == links.token_hash(token)
    elif code:
        condition = AccessToken.code_hash == links.token_hash(normalise_code(code))
    else:
        return ResumeError.UNKNOWN
    found = _resumed(condition)
    if found is None:
        return ResumeError.UNKNOWN
    access, application = found
    if application.status is not ApplicationStatus.DRAFT:
        return ResumeError.SUBMITTED
    if access.expires_at <= utcnow():
        return ResumeError.EXPIRED
    return application


def sent_by_link(token: str) -> Application | None:
    """The application an old resume link was made for, once it has been sent (the link then
    leads to its status page: the same family holds both links)."""
    found = _resumed(AccessToken.token_hash == links.token_hash(token))
    if found is None or found[1].status is ApplicationStatus.DRAFT:
        return None
    return found[1]


def _resumed(condition: ColumnElement[bool]) -> tuple[AccessToken, Application] | None:
    access = (
        db.session.execute(
            select(AccessToken).where(
                condition, AccessToken.purpose == TokenPurpose.RESUME_APPLICATION
            )
        )
        .scalars()
        .first()
    )
    if access is None or access.application_id is None:
        return None
    application = db.session.get(Application, access.application_id)
    return None if application is None else (access, application)
