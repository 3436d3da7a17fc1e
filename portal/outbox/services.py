"""Writing messages to the outbox, in the recipient's language, in the caller's transaction.

Bodies are templates under ``templates/messages/``: ``<name>.email.txt`` and ``<name>.sms.txt``,
rendered with the recipient's locale forced, so they go through the same catalogues as pages.
Links in them are absolute, built from ``PORTAL_PUBLIC_URL`` (never from the request's Host
header, which a visitor controls).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import LazyString, force_locale
from flask_babel import lazy_gettext as _l

from portal.extensions import db
from portal.outbox.models import Channel, OutboxMessage

if TYPE_CHECKING:
    from portal.applications.models import Application

#: E-mail subjects per message (the SMS has no subject).
SUBJECTS: dict[str, LazyString] = {
    "resume_link": _l("Continue your application"),
    "application_submitted": _l("We have received your application"),
    "application_withdrawn": _l("Your application has been withdrawn"),
    "information_needed": _l("We need more information"),
    "application_approved": _l("Your application has been approved"),
    "application_declined": _l("Decision on your application"),
    "approval_expired": _l("The support was not used in time"),
    "start_confirmed": _l("The club has confirmed the start"),
    "staff_invite": _l("You are invited to Fritidsportalen"),
    "consent_request": _l("Check your application and say yes"),
    "club_sign_in": _l("Sign in for your club"),
    "enrolment_new": _l("A new member for your club"),
    "enrolment_reminder": _l("A new member waits for your answer"),
    "enrolment_answered": _l("The club has answered"),
    "trial_started": _l("The club lets you try the activity"),
    "club_waitlisted": _l("On the club's waiting list"),
    "club_declined": _l("The club cannot take you"),
    "club_stopped": _l("Stopped at the club"),
}


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute link for a message, on the portal's public address."""
    base = str(current_app.config["PUBLIC_URL"]).rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context("/"):
        return base + url_for(endpoint, **values)


def queue(
    name: str,
    *,
    locale: str,
    email: str | None = None,
    phone: str | None = None,
    application: Application | None = None,
    **context: Any,
) -> list[OutboxMessage]:
    """Render message ``name`` in ``locale`` for each address given and add it to the session."""
    messages = []
    with force_locale(locale):
        context = {"locale": locale, "application": application, **context}
        if email:
            messages.append(
                OutboxMessage(
                    channel=Channel.EMAIL,
                    recipient=email,
                    locale=locale,
                    template=name,
                    subject=str(SUBJECTS[name]),
                    body=render_template(f"messages/{name}.email.txt", **context).strip() + "\n",
                    application=application,
                )
            )
        if phone:
            messages.append(
                OutboxMessage(
                    channel=Channel.SMS,
                    recipient=phone,
                    locale=locale,
                    template=name,
                    body=render_template(f"messages/{name}.sms.txt", **context).strip(),
                    application=application,
                )
            )
    db.session.add_all(messages)
    return messages


def notify_applicant(application: Application, name: str, **context: Any) -> list[OutboxMessage]:
    """Tell the family, in the language it chose, on every channel it gave."""
    applicant = application.applicant
    if applicant is None:
        return []
    locale = applicant.preferred_locale
    status_link = public_url("applications.status", lang=locale, token=application.token)
    if "link_token" in context:
        context["resume_link"] = public_url(
            "applications.resume", lang=locale, token=context.pop("link_token")
        )
    return queue(
        name,
        locale=locale,
        email=applicant.email,
        phone=applicant.phone,
        application=application,
        status_link=status_link,
        **context,
    )
