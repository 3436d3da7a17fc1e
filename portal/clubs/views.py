"""The club contact's pages, made for a phone in the evening.

Two ways in: a one-time sign-in link (no password to forget), which keeps the phone signed in
while it is used (``CLUB_SESSION_DAYS``, in a cookie of its own); or the signed link in a "new
member" message, which opens that one enrolment and nothing else.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from portal.auth import services as auth_services
from portal.auth.models import Role, User
from portal.clubs import queries, services
from portal.clubs.forms import ClubDeclineForm, ConfirmForm, SignInLinkForm, StopForm, WaitlistForm
from portal.db import utcnow
from portal.enrolments import services as enrolments
from portal.enrolments.models import Enrolment
from portal.extensions import db, limiter
from portal.i18n import current_locale
from portal.workflow import Actor, EnrolmentAction, EnrolmentStatus

bp = Blueprint("clubs", __name__, url_prefix="/<lang:lang>/club")

#: The club's list, headed as the club sees it (the family reads "waiting for the club").
CLUB_HEADINGS = {
    EnrolmentStatus.PENDING: _l("Waiting for your answer"),
    EnrolmentStatus.TRIAL: _l("Trying the activity"),
    EnrolmentStatus.WAITLISTED: _l("On your waiting list"),
    EnrolmentStatus.CONFIRMED: _l("Started"),
    EnrolmentStatus.DECLINED: _l("You said no"),
    EnrolmentStatus.STOPPED: _l("Stopped"),
}

COOKIE = "portal_club"
F = TypeVar("F")


# Who is here --------------------------------------------------------------------------------


def _session_days() -> int:
    return int(current_app.config["CLUB_SESSION_DAYS"])


def signed_in_contact() -> User | None:
    """The club contact whose phone this is, if signed in (and still a contact)."""
    if "club_contact" not in g:
        found = auth_services.current(
            request.cookies.get(COOKIE), utcnow(), idle=timedelta(days=_session_days())
        )
        user = found.user if found else None
        if user is not None and (user.role is not Role.ASSOCIATION or not user.association_id):
            user = None
        g.club_contact = user
    return cast(User | None, g.club_contact)


def contact_required(view: F) -> F:
    @wraps(view)  # type: ignore[arg-type]
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if signed_in_contact() is None:
            return redirect(url_for(".sign_in", next=request.path), code=303)
        return view(*args, **kwargs)  # type: ignore[operator]

    return cast(F, wrapper)


@bp.app_context_processor
def _club_context() -> dict[str, Any]:
    from flask import has_request_context

    if not has_request_context() or request.blueprint != "clubs":
        return {}
    return {"contact": signed_in_contact()}


# Signing in ---------------------------------------------------------------------------------


def _sign_in_limit() -> str:
    return str(current_app.config["CLUB_SIGN_IN_RATE_LIMIT"])


@bp.get("/sign-in")
def sign_in() -> ResponseReturnValue:
    if signed_in_contact() is not None:
        return redirect(url_for(".home"), code=303)
    return render_template("clubs/sign_in.html", form=SignInLinkForm(formdata=None))


@bp.post("/sign-in")
@limiter.limit(_sign_in_limit)
def send_link() -> ResponseReturnValue:
    form = SignInLinkForm()
    if not form.validate():
        return render_template("clubs/sign_in.html", form=form), 422
    services.send_sign_in_links(form.contact.data, utcnow())
    return render_template("clubs/link_sent.html")


@bp.get("/sign-in/<token>")
def sign_in_link(token: str) -> ResponseReturnValue:
    """The link from the message. It only shows a button: phones and mail scanners open links
    to preview them, and that must not spend it."""
    found = services.sign_in_link(token, utcnow())
    if isinstance(found, services.LinkProblem):
        return _link_problem(found)
    user = db.session.get(User, found.user_id)
    return render_template("clubs/sign_in_link.html", token=token, user=user)


@bp.post("/sign-in/<token>")
def use_sign_in_link(token: str) -> ResponseReturnValue:
    opened = services.use_sign_in_link(token, utcnow())
    if isinstance(opened, services.LinkProblem):
        return _link_problem(opened)
    response = make_response(redirect(url_for(".home"), code=303))
    response.set_cookie(
        COOKIE,
        opened,
        max_age=_session_days() * 24 * 3600,
        httponly=True,
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        samesite="Lax",
        path="/",
    )
    return response


def _link_problem(problem: services.LinkProblem) -> ResponseReturnValue:
    status = 404 if problem is services.LinkProblem.UNKNOWN else 410
    return render_template(
        "clubs/link_problem.html", problem=problem.value, form=SignInLinkForm(formdata=None)
    ), status


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    auth_services.close_session(request.cookies.get(COOKIE), utcnow())
    response = make_response(redirect(url_for(".sign_in", signed_out=1), code=303))
    response.delete_cookie(COOKIE, path="/")
    return response


# The association's members ------------------------------------------------------------------


@bp.get("/")
@contact_required
def home() -> ResponseReturnValue:
    contact = signed_in_contact()
    assert contact is not None and contact.association_id is not None  # noqa: S101
    return render_template(
        "clubs/home.html",
        association=contact.association,
        members=queries.members(contact.association_id, current_locale()),
        labels=CLUB_HEADINGS,
    )


# One enrolment: from the message's link, or from the list -----------------------------------


def _enrolment(enrolment_id: int) -> tuple[Enrolment, User, str | None]:
    """The enrolment, the contact answering, and the message link's token to carry along.
    404 for anyone else: another club's contact, a forged or old link, no link at all."""
    signed = request.values.get("t")
    contact = signed_in_contact()
    if contact is not None and contact.association_id is not None:
        found = queries.enrolment_of_club(enrolment_id, contact.association_id)
        if found is not None:
            return found, contact, signed
    enrolment = db.session.get(Enrolment, enrolment_id)
    holder = services.check_enrolment_link(enrolment, signed) if enrolment else None
    if enrolment is None or holder is None:
        abort(404)
    return enrolment, holder.user, signed


def _page(
    enrolment: Enrolment,
    signed: str | None,
    *,
    confirm_form: ConfirmForm | None = None,
    waitlist_form: WaitlistForm | None = None,
    decline_form: ClubDeclineForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    locale = current_locale()
    if confirm_form is None:
        confirm_form = ConfirmForm(formdata=None)
        confirm_form.start_on.data = max(enrolment.desired_start_on or date.min, utcnow().date())
    decline_form = decline_form or ClubDeclineForm(formdata=None)
    decline_form.reason.choices = [
        SelectChoice(value, label) for value, label in queries.decline_reasons(locale)
    ]
    return render_template(
        "clubs/enrolment.html",
        enrolment=enrolment,
        member=queries.member(enrolment, locale),
        signed=signed,
        label=CLUB_HEADINGS[enrolment.status],
        can=lambda action: enrolments.allowed(enrolment, EnrolmentAction(action)),
        confirm_form=confirm_form,
        waitlist_form=waitlist_form or WaitlistForm(formdata=None),
        decline_form=decline_form,
        stop_form=StopForm(formdata=None),
    ), status


@bp.get("/enrolments/<int:enrolment_id>")
def enrolment(enrolment_id: int) -> ResponseReturnValue:
    found, _contact, signed = _enrolment(enrolment_id)
    return _page(found, signed)


def _done(found: Enrolment, signed: str | None, outcome: enrolments.Outcome) -> ResponseReturnValue:
    answer = "done" if isinstance(outcome, enrolments.Answered) else "already"
    return redirect(url_for(".enrolment", enrolment_id=found.id, t=signed, answer=answer), code=303)


@bp.post("/enrolments/<int:enrolment_id>/confirm")
def confirm(enrolment_id: int) -> ResponseReturnValue:
    found, contact, signed = _enrolment(enrolment_id)
    form = ConfirmForm()
    if not form.validate() or form.start_on.data is None:
        return _page(found, signed, confirm_form=form, status=422)
    outcome = enrolments.confirm(
        found,
        form.start_on.data,
        actor=Actor.ASSOCIATION,
        user_id=contact.id,
        trial_until=form.trial_until.data if form.trial.data else None,
    )
    return _done(found, signed, outcome)


@bp.post("/enrolments/<int:enrolment_id>/waitlist")
def waitlist(enrolment_id: int) -> ResponseReturnValue:
    found, contact, signed = _enrolment(enrolment_id)
    form = WaitlistForm()
    if not form.validate():
        return _page(found, signed, waitlist_form=form, status=422)
    outcome = enrolments.waitlist(
        found, form.expected_on.data, actor=Actor.ASSOCIATION, user_id=contact.id
    )
    return _done(found, signed, outcome)


@bp.post("/enrolments/<int:enrolment_id>/decline")
def decline(enrolment_id: int) -> ResponseReturnValue:
    found, contact, signed = _enrolment(enrolment_id)
    form = ClubDeclineForm()
    form.reason.choices = [
        SelectChoice(value, label) for value, label in queries.decline_reasons(current_locale())
    ]
    reason = queries.decline_reason(int(form.reason.data)) if form.validate() else None
    if reason is None:
        return _page(found, signed, decline_form=form, status=422)
    outcome = enrolments.decline(found, reason, actor=Actor.ASSOCIATION, user_id=contact.id)
    return _done(found, signed, outcome)


@bp.post("/enrolments/<int:enrolment_id>/stop")
def stop(enrolment_id: int) -> ResponseReturnValue:
    found, contact, signed = _enrolment(enrolment_id)
    outcome = enrolments.stop(found, actor=Actor.ASSOCIATION, user_id=contact.id)
    return _done(found, signed, outcome)
