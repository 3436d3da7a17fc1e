"""The guide's side (start with a family; the list waiting for the family's yes; send the link)
and the family's side (the consent page the link opens)."""

from __future__ import annotations

from typing import Any

from babel import Locale
from flask import (
    Blueprint,
    abort,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from portal.applications import services as application_services
from portal.applications import steps
from portal.applications.forms import ResumeCodeForm, ResumeRequestForm
from portal.applications.models import Application
from portal.applications.views import forget, remember
from portal.assisted import services
from portal.assisted.forms import AssistStartForm, ConsentForm
from portal.auth.access import STAFF_ROLES, for_staff, signed_in, staff_id, staff_required
from portal.extensions import db
from portal.i18n import current_locale, locale_info, supported_locales
from portal.workflow import ApplicationKind, ApplicationStatus

bp = for_staff(Blueprint("assisted", __name__, url_prefix="/<lang:lang>"))


# The guide's side -----------------------------------------------------------------------------


@bp.route("/staff/on-behalf", methods=["GET", "POST"])
@staff_required()
def start() -> ResponseReturnValue:
    """Start an application with a family: its language and what it needs. The questions then
    come in the family's language, the same as the family's own flow."""
    posted = request.method == "POST"
    form = AssistStartForm() if posted else AssistStartForm(formdata=None)
    form.language.choices = [
        SelectChoice(code, locale_info(code).endonym) for code in supported_locales()
    ]
    if posted and form.validate():
        application = services.start_for_family(
            ApplicationKind(form.kind.data), guide_id=staff_id()
        )
        remember(application)
        first = steps.first_unanswered(application)
        return redirect(
            url_for(
                "applications.question",
                lang=form.language.data,
                token=application.token,
                step=first.name if first else "participant",
            ),
            code=303,
        )
    return render_template(
        "assisted/start.html",
        form=form,
        waiting=services.waiting_for_consent(),
        sent=request.args.get("sent"),
        locale_info=locale_info(current_locale()),
        endonym=lambda code: locale_info(code).endonym,
    ), (422 if posted else 200)


def _draft_made_with_a_guide(token: str) -> Application:
    application = db.session.execute(
        select(Application).where(Application.token == token)
    ).scalar_one_or_none()
    if application is None or application.made_by_guide_id is None:
        abort(404)
    return application


@bp.post("/staff/on-behalf/<token>/send")
@staff_required()
def send(token: str) -> ResponseReturnValue:
    """Send the consent link. The guide's browser lets go of the draft: what the family says
    yes to is what was filled in together."""
    application = _draft_made_with_a_guide(token)
    problem = services.request_consent(application, guide_id=staff_id())
    if problem is services.NotSent.INCOMPLETE:
        return redirect(url_for("applications.check", token=token), code=303)
    forget(application)
    staff = signed_in()
    lang = staff.user.preferred_locale if staff else current_locale()
    if lang not in supported_locales():
        lang = current_locale()
    return redirect(url_for(".start", lang=lang, sent=application.token), code=303)


@bp.post("/staff/on-behalf/<token>/open")
@staff_required()
def reopen(token: str) -> ResponseReturnValue:
    """Open a draft again to change it with the family (then send a new link)."""
    application = _draft_made_with_a_guide(token)
    if application.status is not ApplicationStatus.DRAFT:
        abort(404)
    remember(application)
    locale = application.applicant.preferred_locale if application.applicant else current_locale()
    return redirect(url_for("applications.check", lang=locale, token=token), code=303)


# On the family's pages while a guide fills them in ----------------------------------------------


@bp.app_context_processor
def _assisting() -> dict[str, Any]:
    """A bar in the guide's own language above the family's questions: whose application this
    is and how to go back. Only for signed-in staff on a draft made with a guide."""
    if not has_request_context() or request.blueprint != "applications":
        return {}  # (a message rendered for the outbox has no request)
    token = (request.view_args or {}).get("token")
    current = signed_in() if token else None
    if current is None or current.user.role not in STAFF_ROLES:
        return {}
    application = db.session.execute(
        select(Application).where(Application.token == token)
    ).scalar_one_or_none()
    if application is None or application.made_by_guide_id is None:
        return {}
    lang = current.user.preferred_locale
    if lang not in supported_locales():
        lang = "da"
    # The family's language named in the guide's: "Siden er på arabisk".
    page_language = Locale.parse(current_locale()).get_display_name(lang) or current_locale()
    with force_locale(lang):
        banner = {
            "lang": lang,
            "dir": locale_info(lang).text_direction,
            "text": _(
                "You are filling in an application with a family. The page is in %(language)s "
                "so that the family can read along.",
                language=page_language,
            ),
            "hint": (
                _("When all is right, the button at the bottom sends the link to the family.")
                if request.endpoint == "applications.check"
                else ""
            ),
            "link": url_for(".start", lang=lang),
            "link_text": _("Back to the staff pages"),
        }
    return {"assist_banner": banner}


# The family's side ------------------------------------------------------------------------------


def _consent_page(
    application: Application, token: str, *, changed: bool = False
) -> ResponseReturnValue:
    form = ConsentForm(formdata=None)
    form.seen.data = services.fingerprint(application)
    return render_template(
        "assisted/consent.html",
        application=application,
        answers=steps.answers(application),
        form=form,
        token=token,
        changed=changed,
    ), (409 if changed else 200)


def _open(token: str) -> Application | ResponseReturnValue:
    """The draft the link is for, or the page to show instead: the status once sent; why
    not, with a way to a new link, when the link is old or unknown."""
    found = services.by_consent_link(token)
    if isinstance(found, services.LinkProblem):
        return render_template(
            "applications/resume_problem.html",
            problem=found.value,
            request_form=ResumeRequestForm(formdata=None),
            code_form=ResumeCodeForm(formdata=None),
        ), (404 if found is services.LinkProblem.UNKNOWN else 410)
    if found.status is not ApplicationStatus.DRAFT:
        return redirect(url_for("applications.status", token=found.token), code=303)
    return found


@bp.get("/consent/<token>")
def consent(token: str) -> ResponseReturnValue:
    """What the guide filled in with the family; "yes, send it" or "something is wrong"."""
    found = _open(token)
    if not isinstance(found, Application):
        return found
    return _consent_page(found, token)


@bp.post("/consent/<token>")
def give_consent(token: str) -> ResponseReturnValue:
    found = _open(token)
    if not isinstance(found, Application):
        return found
    form = ConsentForm()
    if not form.validate() or form.seen.data != services.fingerprint(found):
        # Changed since the page was shown: the family says yes only to what it has seen.
        return _consent_page(found, token, changed=True)
    application_services.submit_application(found, consent_locale=current_locale())
    return redirect(url_for("applications.status", token=found.token, consented=1), code=303)


@bp.post("/consent/<token>/correct")
def correct(token: str) -> ResponseReturnValue:
    """ "Something is wrong": the family's browser opens the draft at "check your answers",
    where each answer has its "Change" link; sending it from there is the family's yes."""
    found = _open(token)
    if not isinstance(found, Application):
        return found
    remember(found)
    return redirect(url_for("applications.check", token=found.token), code=303)
