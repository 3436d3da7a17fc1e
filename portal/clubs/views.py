"""The club contact's pages, made for a phone in the evening.

Two ways in: a one-time sign-in link (no password to forget), which keeps the phone signed in
while it is used (``CLUB_SESSION_DAYS``, in a cookie of its own); or the signed link in a "new
member" message, which opens that one enrolment and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from functools import wraps
from typing import Any, TypeVar, cast

from flask import (
    Blueprint,
    Response,
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
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from portal.auth import services as auth_services
from portal.auth.models import Role, User
from portal.catalogue import services as catalogue
from portal.catalogue.models import Activity, Association
from portal.clubs import queries, services
from portal.clubs.forms import (
    SESSION_ROWS,
    ClubDeclineForm,
    ConfirmForm,
    PaymentRequestForm,
    SignInLinkForm,
    StopForm,
    WaitlistForm,
    activity_form,
    check_activity,
    missing_languages,
)
from portal.db import utcnow
from portal.enrolments import services as enrolments
from portal.enrolments.models import Enrolment
from portal.extensions import db, limiter
from portal.i18n import current_locale, format_money, supported_locales
from portal.schemes import ledger
from portal.workflow import (
    Actor,
    ApplicationStatus,
    EnrolmentAction,
    EnrolmentStatus,
    PaymentStatus,
)

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


def _me() -> tuple[User, Association]:
    """The signed-in contact and their association (on a ``contact_required`` page)."""
    contact = signed_in_contact()
    if contact is None or contact.association is None:
        raise LookupError("contact_required has run: this is a bug, not a visitor")
    return contact, contact.association


def contact_required(view: F) -> F:
    @wraps(view)  # type: ignore[arg-type]
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if signed_in_contact() is None:
            return redirect(url_for(".sign_in", next=request.path), code=303)
        return view(*args, **kwargs)  # type: ignore[operator]

    return cast(F, wrapper)


def _set_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        max_age=_session_days() * 24 * 3600,
        httponly=True,
        secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
        samesite="Lax",
        path="/",
    )


@bp.after_request
def _keep_signed_in(response: Response) -> Response:
    """A phone in use stays signed in: each page a signed-in contact opens renews the cookie
    (the server-side session ends after ``CLUB_SESSION_DAYS`` without use, either way)."""
    token = request.cookies.get(COOKIE)
    if token and request.endpoint != "clubs.sign_out" and signed_in_contact() is not None:
        _set_cookie(response, token)
    return response


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
    _set_cookie(response, opened)
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
    _contact, association = _me()
    members = queries.members(association.id, current_locale())
    return render_template(
        "clubs/home.html",
        association=association,
        members=members,
        retention=queries.retention(members),
        activities=sorted(
            association.activities, key=lambda a: a.text(current_locale()).name.lower()
        ),
        labels=CLUB_HEADINGS,
    )


# One enrolment: from the message's link, or from the list -----------------------------------


def _answered_since(found: Enrolment) -> bool:
    """The page the answer came from showed an older state: someone answered in between (two
    contacts with the same message, a double tap). Their answer stands; this one is not
    applied on top of it."""
    seen = request.form.get("v", "")
    return seen.isdigit() and int(seen) != found.version


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
    payment_form: PaymentRequestForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    locale = current_locale()
    if confirm_form is None:
        confirm_form = ConfirmForm(formdata=None)
        confirm_form.start_on.data = max(enrolment.desired_start_on or date.min, utcnow().date())
    decline_form = decline_form or ClubDeclineForm(formdata=None)
    decline_form.reason.choices = _reason_choices()
    return render_template(
        "clubs/enrolment.html",
        enrolment=enrolment,
        member=queries.member(enrolment, locale),
        signed=signed,
        label=CLUB_HEADINGS[enrolment.status],
        can=lambda action: enrolments.allowed(
            enrolment, EnrolmentAction(action), Actor.ASSOCIATION
        ),
        confirm_form=confirm_form,
        waitlist_form=waitlist_form or WaitlistForm(formdata=None),
        decline_form=decline_form,
        stop_form=StopForm(formdata=None),
        payment_form=payment_form or _payment_form(enrolment),
        asked=enrolments.open_request(enrolment.application),
        paid=[p for p in enrolment.application.payments if p.status is PaymentStatus.PAID],
        can_ask=enrolment.status is EnrolmentStatus.CONFIRMED
        and enrolment.application.status is ApplicationStatus.APPROVED,
    ), status


def _payment_form(enrolment: Enrolment) -> PaymentRequestForm:
    form = PaymentRequestForm(formdata=None)
    form.amount_kr.data = ledger.reserved_for(enrolment.application) or None
    return form


@bp.get("/enrolments/<int:enrolment_id>")
def enrolment(enrolment_id: int) -> ResponseReturnValue:
    found, _contact, signed = _enrolment(enrolment_id)
    return _page(found, signed)


def _back(found: Enrolment, signed: str | None, answer: str) -> ResponseReturnValue:
    """To the enrolment's page (keeping the message link's token), saying what happened."""
    return redirect(url_for(".enrolment", enrolment_id=found.id, t=signed, answer=answer), code=303)


def _done(found: Enrolment, signed: str | None, outcome: enrolments.Outcome) -> ResponseReturnValue:
    return _back(found, signed, "done" if isinstance(outcome, enrolments.Answered) else "already")


_Answer = Callable[[Enrolment, User, "str | None"], ResponseReturnValue]


def _answer_view(view: _Answer) -> Callable[[int], ResponseReturnValue]:
    """A club's answer on an enrolment: found for this contact or link (404 otherwise), and
    not applied over an answer given since the page was shown."""

    @wraps(view)
    def wrapper(enrolment_id: int) -> ResponseReturnValue:
        found, contact, signed = _enrolment(enrolment_id)
        if _answered_since(found):
            return _done(found, signed, enrolments.AlreadyAnswered(found.status))
        return view(found, contact, signed)

    return wrapper


def _reason_choices() -> list[SelectChoice]:
    return [
        SelectChoice(value, label) for value, label in queries.decline_reasons(current_locale())
    ]


@bp.post("/enrolments/<int:enrolment_id>/confirm")
@_answer_view
def confirm(found: Enrolment, contact: User, signed: str | None) -> ResponseReturnValue:
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
@_answer_view
def waitlist(found: Enrolment, contact: User, signed: str | None) -> ResponseReturnValue:
    form = WaitlistForm()
    if not form.validate():
        return _page(found, signed, waitlist_form=form, status=422)
    outcome = enrolments.waitlist(
        found, form.expected_on.data, actor=Actor.ASSOCIATION, user_id=contact.id
    )
    return _done(found, signed, outcome)


@bp.post("/enrolments/<int:enrolment_id>/decline")
@_answer_view
def decline(found: Enrolment, contact: User, signed: str | None) -> ResponseReturnValue:
    form = ClubDeclineForm()
    form.reason.choices = _reason_choices()
    reason = queries.decline_reason(int(form.reason.data)) if form.validate() else None
    if reason is None:
        return _page(found, signed, decline_form=form, status=422)
    outcome = enrolments.decline(found, reason, actor=Actor.ASSOCIATION, user_id=contact.id)
    return _done(found, signed, outcome)


@bp.post("/enrolments/<int:enrolment_id>/stop")
@_answer_view
def stop(found: Enrolment, contact: User, signed: str | None) -> ResponseReturnValue:
    outcome = enrolments.stop(found, actor=Actor.ASSOCIATION, user_id=contact.id)
    return _done(found, signed, outcome)


@bp.post("/enrolments/<int:enrolment_id>/payment")
@_answer_view
def request_payment(found: Enrolment, contact: User, signed: str | None) -> ResponseReturnValue:
    """Ask for the membership fee of a member who has started."""
    form = PaymentRequestForm()
    if not form.validate() or form.amount_kr.data is None:
        return _page(found, signed, payment_form=form, status=422)
    outcome = enrolments.request_payment(found, form.amount_kr.data, user_id=contact.id)
    if outcome is enrolments.NoRequest.TOO_MUCH:
        form.amount_kr.errors.append(
            _(
                "At most %(amount)s: that is what the municipality approved.",
                amount=format_money(ledger.reserved_for(found.application)),
            )
        )
        return _page(found, signed, payment_form=form, status=422)
    return _back(found, signed, "already" if isinstance(outcome, enrolments.NoRequest) else "asked")


@bp.post("/enrolments/<int:enrolment_id>/season")
@_answer_view
def season_end(found: Enrolment, _contact: User, signed: str | None) -> ResponseReturnValue:
    """At the end of the season: is the member still coming? One tap, yes or no."""
    still = request.form.get("still_coming")
    if found.status is not EnrolmentStatus.CONFIRMED or still not in ("yes", "no"):
        abort(400)
    enrolments.mark_season_end(found, still == "yes")
    return _back(found, signed, "season")


# The club's own activities --------------------------------------------------------------------


def _own_activity(activity_id: int) -> Activity:
    contact = signed_in_contact()
    activity = db.session.get(Activity, activity_id)
    if activity is None or contact is None or activity.association_id != contact.association_id:
        abort(404)
    return activity


@bp.route("/activities/new", methods=["GET", "POST"])
@contact_required
def new_activity() -> ResponseReturnValue:
    return _activity_page(None)


@bp.route("/activities/<int:activity_id>", methods=["GET", "POST"])
@contact_required
def edit_activity(activity_id: int) -> ResponseReturnValue:
    return _activity_page(_own_activity(activity_id))


def _activity_page(activity: Activity | None) -> ResponseReturnValue:
    """Name and description in every language (the form says which are missing; showing it in
    the catalogue needs all), ages, who may join, days and times, place, fee and places."""
    contact, association = _me()
    locales = supported_locales()
    form_class = activity_form(locales)
    posted = request.method == "POST"
    if posted:
        form = form_class()
    elif activity is not None:
        form = form_class(data=catalogue.form_data(activity, locales, SESSION_ROWS))
    else:
        form = form_class(formdata=None, data={"is_open": True, "max_age": 99, "free_places": 0})
    valid = posted and form.validate()
    valid = posted and check_activity(form, locales) and valid  # every error shown at once
    if valid:
        saved = catalogue.save_activity(
            activity, association, form.data, locales, SESSION_ROWS, by=contact.id
        )
        return redirect(url_for(".edit_activity", activity_id=saved.id, saved=1), code=303)
    return render_template(
        "clubs/activity.html",
        activity=activity,
        form=form,
        locales=locales,
        rows=range(SESSION_ROWS),
        missing=missing_languages(form, locales),
    ), (422 if posted else 200)
