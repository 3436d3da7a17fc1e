"""The club contact's pages, made for a phone in the evening.

Two ways in: signed in (:mod:`portal.auth.contacts`: a one-time link, and the phone stays signed
in while it is used); or the signed link in a "new member" message, which opens that one
enrolment and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from portal.associations import queries, services
from portal.associations.forms import (
    SESSION_ROWS,
    ClubDeclineForm,
    ConfirmForm,
    PaymentRequestForm,
    StopForm,
    WaitlistForm,
    activity_form,
    check_activity,
    missing_languages,
)
from portal.auth.contacts import contact_required, keep_signed_in, signed_in_contact
from portal.auth.models import User
from portal.catalogue import services as catalogue
from portal.catalogue.models import Activity, Association
from portal.enrolments import services as enrolments
from portal.enrolments.models import Enrolment
from portal.extensions import db
from portal.i18n import current_locale, format_money, supported_locales
from portal.schemes import ledger
from portal.workflow import (
    Actor,
    ApplicationStatus,
    EnrolmentAction,
    EnrolmentStatus,
    PaymentStatus,
)

bp = Blueprint("associations", __name__, url_prefix="/<lang:lang>/club")

#: The club's list, headed as the club sees it (the family reads "waiting for the club").
CLUB_HEADINGS = {
    EnrolmentStatus.PENDING: _l("Waiting for your answer"),
    EnrolmentStatus.TRIAL: _l("Trying the activity"),
    EnrolmentStatus.WAITLISTED: _l("On your waiting list"),
    EnrolmentStatus.CONFIRMED: _l("Started"),
    EnrolmentStatus.DECLINED: _l("You said no"),
    EnrolmentStatus.STOPPED: _l("Stopped"),
}

bp.after_request(keep_signed_in)


def _me() -> tuple[User, Association]:
    """The signed-in contact and their association (on a ``contact_required`` page)."""
    contact = signed_in_contact()
    if contact is None or contact.association is None:
        raise LookupError("contact_required has run: this is a bug, not a visitor")
    return contact, contact.association


@bp.app_context_processor
def _club_context() -> dict[str, Any]:
    from flask import has_request_context

    if not has_request_context() or request.blueprint not in ("associations", "auth_contacts"):
        return {}
    return {"contact": signed_in_contact()}


# The association's members ------------------------------------------------------------------


@bp.get("/")
@contact_required
def home() -> ResponseReturnValue:
    _contact, association = _me()
    members = queries.members(association.id, current_locale())
    return render_template(
        "associations/home.html",
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
    asking_to_stop: bool = False,
    status: int = 200,
) -> ResponseReturnValue:
    locale = current_locale()
    if confirm_form is None:
        confirm_form = ConfirmForm(formdata=None)
        # The activity's first session from the day the family asked for, or from today (not
        # today itself, a Monday, when the team trains Tuesdays: issue 18).
        earliest = max(enrolment.desired_start_on or date.min, _local_today())
        confirm_form.start_on.data = enrolment.activity.next_session_on(earliest)
    decline_form = decline_form or ClubDeclineForm(formdata=None)
    decline_form.reason.choices = _reason_choices()
    return render_template(
        "associations/enrolment.html",
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
        asking_to_stop=asking_to_stop,
        season_marks=season_marks_open(_local_today()),
        payment_form=payment_form or _payment_form(enrolment),
        asked=enrolments.open_request(enrolment.application),
        paid=[p for p in enrolment.application.payments if p.status is PaymentStatus.PAID],
        can_ask=enrolment.status is EnrolmentStatus.CONFIRMED
        and enrolment.application.status is ApplicationStatus.APPROVED,
    ), status


def season_marks_open(today: date) -> bool:
    """Whether a club may mark who is still coming: only near the season's end (config)."""
    config = current_app.config
    day = f"{today.month:02d}-{today.day:02d}"
    return bool(config["SEASON_MARKS_FROM"] <= day <= config["SEASON_MARKS_UNTIL"])


def _local_today() -> date:
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()


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
    """A stop ends the membership and returns unpaid money to the pool: asked once more first
    (issue 18: one slip on a phone must not end a membership)."""
    if request.form.get("sure") != "yes":
        return _page(found, signed, asking_to_stop=True)
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
    if not season_marks_open(_local_today()):
        return _back(found, signed, "season-closed")
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
        "associations/activity.html",
        activity=activity,
        form=form,
        locales=locales,
        rows=range(SESSION_ROWS),
        missing=missing_languages(form, locales),
    ), (422 if posted else 200)
