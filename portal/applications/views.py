"""The family's side: start, one question per page, check, submit, follow, withdraw, resume.

A draft opens only in a browser that started it or followed its resume link (the session holds
its token). The status page opens from the link in every message: its token is the key.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload

from portal.applications import queries, services, steps, uploads
from portal.applications.forms import AnswerForm, ResumeCodeForm, ResumeRequestForm, StartForm
from portal.applications.models import Application
from portal.applications.questions import Question
from portal.auth.access import signed_in
from portal.catalogue.models import Activity
from portal.extensions import db, rate_limited
from portal.htmx import render_page_or_fragment, wants_fragment
from portal.i18n import current_locale
from portal.workflow import WITHDRAWABLE, ApplicationKind, ApplicationStatus

bp = Blueprint("applications", __name__, url_prefix="/<lang:lang>")

#: How many applications one browser keeps open (a family applying for several children).
REMEMBERED = 20


@bp.context_processor
def _helpers() -> dict[str, Any]:
    return {
        "status_label": queries.status_label,
        "activity_label": lambda application: queries.activity_label(application, current_locale()),
    }


# The browser's open drafts --------------------------------------------------------------------


def remember(application: Application) -> None:
    """This browser may open the draft (also the guide's, filling it in with a family)."""
    tokens = [t for t in session.get("applications", []) if t != application.token]
    session["applications"] = [*tokens, application.token][-REMEMBERED:]


def forget(application: Application) -> None:
    session["applications"] = [t for t in session.get("applications", []) if t != application.token]


def _opened_here(application: Application) -> bool:
    return application.token in session.get("applications", [])


#: The application with what every page of it shows (the child, the parent, the activity in
#: each language and its club) in two statements, not six lazy loads; built once.
_FIND = (
    select(Application)
    .where(Application.token == bindparam("token"))
    .options(
        joinedload(Application.participant),
        joinedload(Application.applicant),
        joinedload(Application.household),
        joinedload(Application.activity).options(
            joinedload(Activity.association), selectinload(Activity.translations)
        ),
    )
)


def _find(token: str) -> Application | None:
    return db.session.execute(_FIND, {"token": token}).scalar_one_or_none()


def _application(token: str) -> Application:
    application = _find(token)
    if application is None:
        abort(404)
    return application


def _draft(token: str) -> Application | ResponseReturnValue:
    """The draft, or the page to show instead (not open in this browser; already sent)."""
    application = _application(token)
    if not _opened_here(application):
        return _not_open_here()
    if application.status is not ApplicationStatus.DRAFT:
        return redirect(url_for(".sent", token=token), code=303)
    return application


def _continue_forms() -> dict[str, Any]:
    """The two empty forms back into a draft: the code, and "send me a new link"."""
    return {
        "request_form": ResumeRequestForm(formdata=None),
        "code_form": ResumeCodeForm(formdata=None),
    }


def _next_question_url(application: Application) -> str:
    """The first question not answered yet, or "check your answers" when all are."""
    missing = steps.first_unanswered(application)
    if missing is None:
        return url_for(".check", token=application.token)
    return url_for(".question", token=application.token, step=missing.name)


def _not_open_here() -> ResponseReturnValue:
    return (
        render_template(
            "applications/not_open_here.html",
            **_continue_forms(),
        ),
        403,
    )


# A form sent with an old or missing safety token (SEC-11) ---------------------------------------


@bp.errorhandler(CSRFError)
def _expired_form(error: CSRFError) -> ResponseReturnValue:
    """The page was open so long that its token no longer counts (or the session is gone).
    Nothing typed is lost: the same form comes back with the answer in it and a new token."""
    g.form_expired = True
    args = request.view_args or {}
    application = _find(args["token"]) if "token" in args else None
    if application is not None and request.endpoint == "applications.question":
        current = steps.BY_NAME.get(args["step"])
        if (
            current in steps.steps_for(application)
            and _opened_here(application)
            and application.status is ApplicationStatus.DRAFT
        ):
            form = current(meta={"csrf": False})
            form.prepare(application)
            return _question_page(application, current, form, 400)
    if (
        application is not None
        and request.endpoint == "applications.answer"
        and application.status is ApplicationStatus.NEEDS_INFO
    ):
        return _status_page(application, AnswerForm(meta={"csrf": False})), 400
    g.form_expired = False
    return render_template("errors/400.html", code=400), 400


# Start ----------------------------------------------------------------------------------------


@bp.get("/apply")
def start() -> ResponseReturnValue:
    """ "What do you need help with?", or "Apply for <activity>" from an activity's page."""
    activity = queries.activity_by_slug(request.args.get("activity", ""))
    form = StartForm(formdata=None)
    if activity is not None:
        form.activity.data = activity.slug
    return render_template(
        "applications/start.html",
        form=form,
        activity=activity,
        kind=queries.kind_for(activity) if activity else None,
        **_continue_forms(),
    )


@bp.post("/apply")
def create() -> ResponseReturnValue:
    form = StartForm()
    activity = queries.activity_by_slug(form.activity.data or "")
    if activity is not None:
        kind = queries.kind_for(activity)
    elif form.validate():
        kind = ApplicationKind(form.kind.data)
    else:
        return (
            render_template(
                "applications/start.html",
                form=form,
                activity=None,
                kind=None,
                **_continue_forms(),
            ),
            422,
        )
    application = services.start_application(kind, activity)
    remember(application)
    return redirect(_next_question_url(application), code=303)


# One question per page ------------------------------------------------------------------------


def _after(application: Application, step: steps.Step) -> str:
    if request.args.get("change"):
        missing = steps.first_unanswered(application)
        if missing is None:
            return url_for(".check", token=application.token)
        return url_for(".question", token=application.token, step=missing.name, change=1)
    following = steps.step_after(application, step.name)
    if following is None:
        return url_for(".check", token=application.token)
    return url_for(".question", token=application.token, step=following.name)


@bp.route("/apply/<token>/<step>", methods=["GET", "POST"])
def question(token: str, step: str) -> ResponseReturnValue:
    found = _draft(token)
    if not isinstance(found, Application):
        return found
    application = found
    current = steps.BY_NAME.get(step)
    asked = steps.steps_for(application)
    if current is None or current not in asked:
        abort(404)
    missing = steps.first_unanswered(application)
    if missing is not None and asked.index(current) > asked.index(missing):
        # No skipping ahead: a later question may depend on this one.
        return redirect(url_for(".question", token=token, step=missing.name), code=303)
    form = current()
    form.prepare(application)
    if request.method == "GET":
        form.load(application)
        return _question_page(application, current, form, 200)
    if not (form.validate() and form.check(application)):
        return _question_page(application, current, form, 422)
    services.save_answer(application, current, form, done=not form.stay)
    if not form.stay:
        return redirect(_after(application, current), code=303)
    if not wants_fragment():
        # Back to the same page (an item added, a photo removed): a reload sends nothing.
        return redirect(request.full_path.rstrip("?"), code=303)
    form = current(formdata=None)
    form.prepare(application)
    return _question_page(application, current, form, 200)


def _question_page(
    application: Application, current: steps.Step, form: Question, status: int
) -> ResponseReturnValue:
    context = {
        "application": application,
        "step": current,
        "form": form,
        "progress": steps.progress(application, current),
        "back_url": _back_url(application, current),
        **current.extras(application),
    }
    if current.fragment is not None:
        # The list swapped in after a change that stays on the page (a photo sent at once).
        response = render_page_or_fragment(current.template, current.fragment, **context)
        response.status_code = status
        return response
    return render_template(current.template, **context), status


def _back_url(application: Application, step: steps.Step) -> str:
    if request.args.get("change"):
        return url_for(".check", token=application.token)
    previous = steps.step_before(application, step.name)
    if previous is None:
        return url_for(".start")
    return url_for(".question", token=application.token, step=previous.name)


# Check, submit, sent --------------------------------------------------------------------------


@bp.get("/apply/<token>/check")
def check(token: str) -> ResponseReturnValue:
    found = _draft(token)
    if not isinstance(found, Application):
        return found
    if steps.first_unanswered(found) is not None:
        return redirect(_next_question_url(found), code=303)
    return render_template(
        "applications/check.html",
        application=found,
        answers=steps.answers(found),
    )


@bp.post("/apply/<token>/check")
def submit(token: str) -> ResponseReturnValue:
    application = _application(token)
    if not _opened_here(application):
        return _not_open_here()
    consent_locale = None
    if application.made_by_guide_id is not None:
        if signed_in() is not None:
            # Made with a guide: only the family can say yes (the guide sends it the link).
            return redirect(url_for(".check", token=token), code=303)
        consent_locale = current_locale()
    result = services.submit_application(application, consent_locale=consent_locale)
    if result is services.SubmitResult.INCOMPLETE:
        return redirect(_next_question_url(application), code=303)
    return redirect(url_for(".sent", token=token), code=303)


@bp.get("/apply/<token>/sent")
def sent(token: str) -> ResponseReturnValue:
    application = _application(token)
    if not _opened_here(application):
        return redirect(url_for(".status", token=token), code=303)
    if application.status is ApplicationStatus.DRAFT:
        return redirect(url_for(".check", token=token), code=303)
    return render_template("applications/sent.html", application=application)


@bp.post("/apply/<token>/another")
def another(token: str) -> ResponseReturnValue:
    """Apply for another child of the same household: the family's answers are kept."""
    previous = _application(token)
    if not _opened_here(previous) or previous.status is ApplicationStatus.DRAFT:
        abort(403)
    application = services.start_application(previous.kind, previous.activity, copy_from=previous)
    remember(application)
    return redirect(_next_question_url(application), code=303)


# Status, answer, withdraw ---------------------------------------------------------------------


@bp.get("/applications/<token>")
def status(token: str) -> ResponseReturnValue:
    """Where the application stands: the link in every message opens this page."""
    application = _application(token)
    if application.status is ApplicationStatus.DRAFT:
        if _opened_here(application):
            return redirect(url_for(".check", token=token), code=303)
        abort(404)
    return _status_page(application, AnswerForm(formdata=None))


def _status_page(application: Application, answer_form: AnswerForm) -> str:
    return render_template(
        "applications/status.html",
        application=application,
        timeline=queries.timeline(application),
        answer_form=answer_form,
        can_withdraw=application.status in WITHDRAWABLE,
    )


@bp.post("/applications/<token>/answer")
def answer(token: str) -> ResponseReturnValue:
    application = _application(token)
    if application.status is not ApplicationStatus.NEEDS_INFO:
        return redirect(url_for(".status", token=token), code=303)
    form = AnswerForm()
    if form.validate():
        refused = services.answer_question(application, form.answer.data, form.chosen)
        if not refused:
            return redirect(url_for(".status", token=token, answered=1), code=303)
        for upload, error in refused:
            form.files.errors.append(uploads.error_message(error, upload.filename))
    return _status_page(application, form), 422


@bp.route("/applications/<token>/withdraw", methods=["GET", "POST"])
def withdraw(token: str) -> ResponseReturnValue:
    application = _application(token)
    if application.status not in WITHDRAWABLE or application.status is ApplicationStatus.DRAFT:
        return redirect(url_for(".status", token=token), code=303)
    if request.method == "POST":  # CSRFProtect has checked the token
        services.withdraw_application(application)
        return redirect(url_for(".status", token=token, withdrawn=1), code=303)
    return render_template("applications/withdraw.html", application=application)


# Photos and PDFs --------------------------------------------------------------------------------


@bp.get("/applications/<token>/files/<file_token>")
@bp.get("/applications/<token>/files/<file_token>/<any(preview):preview>")
def file(token: str, file_token: str, preview: str | None = None) -> ResponseReturnValue:
    """A photo or PDF of the application, or a photo's preview: for the browser that is
    filling in the draft, and after submission for whoever has the status link (the family).
    Never cached."""
    application = _application(token)
    if application.status is ApplicationStatus.DRAFT and not _opened_here(application):
        abort(404)
    found = next((upload for upload in application.uploads if upload.token == file_token), None)
    if found is None or (preview and found.content_type != "image/jpeg"):
        abort(404)
    # The preview is our own small JPEG; the file itself is always a download (SEC-32).
    return uploads.send_upload(found, preview=bool(preview))


# Resume -----------------------------------------------------------------------------------------


def _open(found: Application | services.ResumeError) -> ResponseReturnValue:
    if isinstance(found, Application):
        remember(found)
        return redirect(_next_question_url(found), code=303)
    return (
        render_template(
            "applications/resume_problem.html",
            problem=found,
            **_continue_forms(),
        ),
        404 if found is services.ResumeError.UNKNOWN else 410,
    )


@bp.get("/resume/<token>")
def resume(token: str) -> ResponseReturnValue:
    """The link in the resume message: opens the draft in this browser, on any device; once
    the application has been sent, its status page (an old link is no dead end)."""
    found = services.resume(token=token)
    if found is services.ResumeError.SUBMITTED:
        sent = services.sent_by_link(token)
        if sent is not None:
            return redirect(url_for(".status", token=sent.token), code=303)
    return _open(found)


def _resume_limit() -> str:
    return str(current_app.config["RESUME_RATE_LIMIT"])


@bp.post("/resume")
@rate_limited(_resume_limit)
def resume_with_code() -> ResponseReturnValue:
    form = ResumeCodeForm()
    if not form.validate():
        return _continue_page(code_form=form), 422
    return _open(services.resume(code=form.code.data))


@bp.post("/resume/new-link")
@rate_limited(_resume_limit)
def new_link() -> ResponseReturnValue:
    form = ResumeRequestForm()
    if not form.validate():
        return _continue_page(request_form=form), 422
    services.request_resume_links(form.contact.data)
    return render_template("applications/link_sent.html")


def _continue_page(**forms: Any) -> str:
    return render_template("applications/continue.html", **{**_continue_forms(), **forms})


@bp.get("/resume")
def continue_application() -> ResponseReturnValue:
    """ "I have started an application": enter the code, or ask for a new link."""
    return _continue_page()
