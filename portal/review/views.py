"""The guides' pages. Every view is for signed-in staff only (``staff_required``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, has_request_context, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from wtforms import SelectChoice

from portal.applications import queries as application_queries
from portal.applications.models import Application
from portal.applications.uploads import send_upload
from portal.audit.models import AuditAction
from portal.auth.access import signed_in, staff_required
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db
from portal.htmx import render_page_or_fragment
from portal.i18n import current_locale, locale_info, supported_locales
from portal.review import queries, services
from portal.review.forms import (
    AGE_BANDS,
    ApproveForm,
    AskForm,
    DeclineForm,
    NoteForm,
    QueueFilterForm,
)
from portal.schemes import ledger
from portal.workflow import APPLICATION_STATUS_LABELS, ApplicationStatus

bp = Blueprint("review", __name__, url_prefix="/<lang:lang>/staff")


@bp.app_context_processor
def _staff_context() -> dict[str, Any]:
    """The signed-in member for the staff layout (looked up only on staff pages)."""
    if not has_request_context() or request.blueprint not in ("staff", "review"):
        return {}  # messages rendered for the outbox, and the families' pages
    return {"staff": signed_in(), "now": utcnow}


@bp.get("/")
@staff_required()
def queue() -> ResponseReturnValue:
    """Everything that waits for a guide, with counts per kind; filters in a GET form. With
    htmx the form swaps only the list (and the address bar follows)."""
    now = utcnow()
    form = QueueFilterForm(request.args)
    _queue_choices(form)
    filters = _filters(form)
    me = _me()
    # Audited first: its commit would otherwise expire the rows loaded for the page.
    services.record_access(
        me, AuditAction.SEARCH, "queue", details=request.query_string.decode()[:500] or None
    )
    page = queries.search(filters, now, me=me, after=request.args.get("after"))
    response = render_page_or_fragment(
        "review/queue.html",
        "review/_queue_results.html",
        counts=queries.counts(now),
        form=form,
        results=page,
        filters=filters,
        next_url=_next_page_url(page),
        activity_label=lambda a: application_queries.activity_label(a, current_locale()),
        status_label=application_queries.status_label,
    )
    return response


def _next_page_url(page: queries.Page) -> str | None:
    if page.after is None:
        return None
    args: dict[str, Any] = {key: value for key, value in request.args.items() if key != "after"}
    args["after"] = page.after
    return url_for(".queue", **args)


def _choices(*pairs: tuple[str, str]) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _queue_choices(form: QueueFilterForm) -> None:
    locale = current_locale()
    every = ("", _("All"))
    form.waiting.choices = _choices(
        ("", _("Everything")),
        *((kind.value, str(queries.WAITING_LABELS[kind])) for kind in queries.Waiting),
    )
    form.status.choices = _choices(
        every,
        *(
            (status.value, str(APPLICATION_STATUS_LABELS[status]))
            for status in ApplicationStatus
            if status is not ApplicationStatus.DRAFT
        ),
    )
    form.scheme.choices = _choices(every, *queries.scheme_choices(locale))
    form.activity.choices = _choices(every, *queries.activity_filter_choices(locale))
    form.association.choices = _choices(every, *queries.association_choices())
    form.language.choices = _choices(
        every, *((code, locale_info(code).endonym) for code in supported_locales())
    )
    form.age.choices = _choices(every, *((band, band.replace("-", "–")) for band in AGE_BANDS))
    form.guide.choices = _choices(
        ("", _("Anyone")), ("me", _("Me")), ("nobody", _("Nobody yet")), *queries.guide_choices()
    )


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _filters(form: QueueFilterForm) -> queries.QueueFilters:
    """The form's values; an unknown value is ignored rather than refused."""

    def valid(field: Any) -> str | None:
        value = field.data or None
        return value if value in {choice.value for choice in field.choices} else None

    status = valid(form.status)
    waiting = valid(form.waiting) if "waiting" in request.args else queries.Waiting.NEW.value
    return queries.QueueFilters(
        waiting=queries.Waiting(waiting) if waiting and not status else None,
        status=ApplicationStatus(status) if status else None,
        scheme_id=_number(valid(form.scheme)),
        activity_id=_number(valid(form.activity)),
        association_id=_number(valid(form.association)),
        language=valid(form.language),
        age=AGE_BANDS.get(valid(form.age) or ""),
        guide=valid(form.guide),
        overdue=bool(form.overdue.data),
        q=(form.q.data or "").strip()[:100] or None,
        newest_first=form.sort.data == "newest",
    )


# The case ---------------------------------------------------------------------------------------


def _case(reference: str) -> Application:
    application = queries.case_by_reference(reference)
    if application is None or application.status is ApplicationStatus.DRAFT:
        abort(404)
    return application


def _me() -> int:
    current = signed_in()
    if current is None:  # staff_required has run; this is a bug, not a visitor
        raise LookupError("no signed-in staff member")
    return current.user.id


def _case_page(
    application: Application,
    *,
    approve_form: ApproveForm | None = None,
    decline_form: DeclineForm | None = None,
    ask_form: AskForm | None = None,
    note_form: NoteForm | None = None,
    refused: ledger.Refused | None = None,
    already: services.AlreadyDecided | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    locale = current_locale()
    room = ledger.room(application)
    if approve_form is None:
        approve_form = ApproveForm(formdata=None)
        requested = application.amount_requested_kr or 0
        approve_form.amount_kr.data = min(requested, room.most_kr) if room else requested
    if decline_form is None:
        decline_form = DeclineForm(formdata=None)
    decline_form.reason.choices = _choices(
        ("", _("Choose a reason")), *queries.decline_reasons(locale)
    )
    assigned = (
        db.session.get(User, application.assigned_guide_id)
        if application.assigned_guide_id
        else None
    )
    decided_by = db.session.get(User, already.by_id) if already and already.by_id else None
    return render_template(
        "review/case.html",
        application=application,
        answers=application_queries.answers(application),
        history=queries.history(application),
        notes=queries.notes(application),
        room=room,
        pool=ledger.scheme_year_for(application),
        support=queries.support_this_year(application, locale),
        others=queries.household_others(application),
        assigned=assigned,
        approve_form=approve_form,
        decline_form=decline_form,
        ask_form=ask_form or AskForm(formdata=None),
        note_form=note_form or NoteForm(formdata=None),
        refused=refused,
        already=already,
        decided_by=decided_by,
        status_label=application_queries.status_label,
        status_name=lambda value: str(APPLICATION_STATUS_LABELS[ApplicationStatus(value)]),
        activity_label=lambda a: application_queries.activity_label(a, locale),
    ), status


@bp.get("/cases/<reference>")
@staff_required()
def case(reference: str) -> ResponseReturnValue:
    application = _case(reference)
    services.record_access(_me(), AuditAction.VIEW, "case review", application=application)
    return _case_page(application)


def _after_decision(
    application: Application, outcome: services.Outcome, **forms: Any
) -> ResponseReturnValue:
    if isinstance(outcome, services.Decided):
        return redirect(
            url_for(".case", reference=application.reference, done=outcome.status.value), code=303
        )
    fresh = _case(application.reference or "")
    if isinstance(outcome, ledger.Refused):
        return _case_page(fresh, refused=outcome, status=409, **forms)
    return _case_page(fresh, already=outcome, status=409)


@bp.post("/cases/<reference>/approve")
@staff_required()
def approve(reference: str) -> ResponseReturnValue:
    application = _case(reference)
    form = ApproveForm()
    amount = form.amount_kr.data if form.validate() else None
    if amount is None:
        return _case_page(application, approve_form=form, status=422)
    outcome = services.approve(application, amount, guide_id=_me())
    return _after_decision(application, outcome, approve_form=form)


@bp.post("/cases/<reference>/decline")
@staff_required()
def decline(reference: str) -> ResponseReturnValue:
    application = _case(reference)
    form = DeclineForm()
    form.reason.choices = _choices(("", ""), *queries.decline_reasons(current_locale()))
    if not form.validate():
        return _case_page(application, decline_form=form, status=422)
    outcome = services.decline(
        application, int(form.reason.data), guide_id=_me(), note=form.note.data or None
    )
    return _after_decision(application, outcome)


@bp.post("/cases/<reference>/ask")
@staff_required()
def ask(reference: str) -> ResponseReturnValue:
    application = _case(reference)
    form = AskForm()
    if not form.validate():
        return _case_page(application, ask_form=form, status=422)
    return _after_decision(
        application, services.ask(application, form.question.data, guide_id=_me())
    )


@bp.post("/cases/<reference>/take")
@staff_required()
def take(reference: str) -> ResponseReturnValue:
    application = _case(reference)
    services.take(application, guide_id=_me())
    return redirect(url_for(".case", reference=reference), code=303)


@bp.post("/cases/<reference>/notes")
@staff_required()
def add_note(reference: str) -> ResponseReturnValue:
    application = _case(reference)
    form = NoteForm()
    if not form.validate():
        return _case_page(application, note_form=form, status=422)
    services.add_note(application, form.body.data, guide_id=_me())
    return redirect(url_for(".case", reference=reference) + "#notes", code=303)


@bp.get("/cases/<reference>/files/<file_token>")
@bp.get("/cases/<reference>/files/<file_token>/<any(preview):preview>")
@staff_required()
def case_file(reference: str, file_token: str, preview: str | None = None) -> ResponseReturnValue:
    """A family's photo (shown inline on the case) or PDF (a download), for staff."""
    application = _case(reference)
    found = next((u for u in application.uploads if u.token == file_token), None)
    if found is None or (preview and found.content_type != "image/jpeg"):
        abort(404)
    if not preview:
        services.record_access(
            _me(),
            AuditAction.VIEW,
            "case review: file",
            application=application,
            details=found.original_name,
        )
    return send_upload(found, preview=bool(preview), inline=found.content_type == "image/jpeg")
