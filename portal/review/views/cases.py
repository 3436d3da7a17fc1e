"""A case on one screen (:mod:`portal.review.case` loads it, in panels), and what a guide does
there: approve, decline, ask the family, take the case, add a note, confirm the start on the
club's behalf, record the payout. Each action is load → validate → one service → redirect; a
failed one re-renders its panel (htmx) or the page."""

from __future__ import annotations

from typing import Any

from flask import abort, make_response, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.applications import queries as application_queries
from portal.applications.models import Application
from portal.applications.uploads import send_upload
from portal.audit import services as audit
from portal.audit.models import AuditAction
from portal.auth.access import staff_id, staff_required
from portal.forms import PortalForm
from portal.htmx import redirect_after_post, render_page_or_fragment, whole_page
from portal.i18n import current_locale, format_money
from portal.review import case as case_
from portal.review import queries, services
from portal.review.case import ACTION_FORMS
from portal.review.forms import (
    ApproveForm,
    AskForm,
    ConfirmStartForm,
    DeclineForm,
    NoteForm,
    PaymentForm,
)
from portal.review.views import bp
from portal.schemes import ledger
from portal.schemes.models import PaymentMethod
from portal.workflow import LIFECYCLES, PAYMENTS, ApplicationStatus, StatusChange


def _case(reference: str) -> Application:
    application = queries.case_by_reference(reference)
    if application is None or application.status is ApplicationStatus.DRAFT:
        abort(404)
    return application


def _status_name(change: StatusChange) -> str:
    return LIFECYCLES[change.subject].label(change.to_status)


def _case_page(
    application: Application,
    *,
    sent: tuple[str, PortalForm] | None = None,
    status: int = 200,
    **state: Any,
) -> ResponseReturnValue:
    """The whole page; after a failed POST (``sent``), only that form's panel for htmx. A case
    that moved on meanwhile (``already``) is always shown whole: every panel is stale."""
    context = case_.load(application, sent=sent, **state).context()
    context.update(
        status_label=application_queries.status_label,
        status_name=_status_name,
        payment_status=lambda payment: PAYMENTS.label(payment.status),
        activity_label=lambda a: application_queries.activity_label(a, current_locale()),
    )
    if sent is not None and not state.get("already"):
        panel = ACTION_FORMS[sent[0]][1]
        response = render_page_or_fragment("review/case.html", panel.template, **context)
    else:
        response = whole_page(make_response(render_template("review/case.html", **context)))
    response.status_code = status
    return response


def _done(reference: str, done: str | None = None, anchor: str = "") -> ResponseReturnValue:
    return redirect_after_post(url_for(".case", reference=reference, done=done) + anchor)


@bp.get("/cases/<reference>")
@staff_required()
def case(reference: str) -> ResponseReturnValue:
    application = _case(reference)
    audit.record_access(staff_id(), AuditAction.VIEW, "case review", application=application)
    return _case_page(application)


def _after_decision(
    application: Application, outcome: services.Outcome, sent: tuple[str, PortalForm]
) -> ResponseReturnValue:
    if isinstance(outcome, services.Decided):
        return _done(application.reference or "", outcome.status.value)
    fresh = _case(application.reference or "")
    if isinstance(outcome, ledger.Refused):
        return _case_page(fresh, sent=sent, refused=outcome, status=409)
    return _case_page(fresh, already=outcome, status=409)


@bp.post("/cases/<reference>/approve")
@staff_required()
def approve(reference: str) -> ResponseReturnValue:
    application, form = _case(reference), ApproveForm()
    if not form.validate() or form.amount_kr.data is None:
        return _case_page(application, sent=("approve", form), status=422)
    outcome = services.approve(application, form.amount_kr.data, guide_id=staff_id())
    return _after_decision(application, outcome, ("approve", form))


@bp.post("/cases/<reference>/decline")
@staff_required()
def decline(reference: str) -> ResponseReturnValue:
    application, form = _case(reference), DeclineForm()
    form.reason.choices = case_.reason_choices()
    if not form.validate():
        return _case_page(application, sent=("decline", form), status=422)
    outcome = services.decline(
        application, int(form.reason.data), guide_id=staff_id(), note=form.note.data or None
    )
    return _after_decision(application, outcome, ("decline", form))


@bp.post("/cases/<reference>/ask")
@staff_required()
def ask(reference: str) -> ResponseReturnValue:
    application, form = _case(reference), AskForm()
    if not form.validate():
        return _case_page(application, sent=("ask", form), status=422)
    outcome = services.ask(application, form.question.data, guide_id=staff_id())
    return _after_decision(application, outcome, ("ask", form))


@bp.post("/cases/<reference>/take")
@staff_required()
def take(reference: str) -> ResponseReturnValue:
    services.take(_case(reference), guide_id=staff_id())
    return _done(reference)


@bp.post("/cases/<reference>/reached")
@staff_required()
def reached(reference: str) -> ResponseReturnValue:
    """The guide has reached the family by phone after a message failed."""
    services.mark_reached(_case(reference), guide_id=staff_id())
    return _done(reference)


@bp.post("/cases/<reference>/notes")
@staff_required()
def add_note(reference: str) -> ResponseReturnValue:
    application, form = _case(reference), NoteForm()
    if not form.validate():
        return _case_page(application, sent=("notes", form), status=422)
    services.add_note(application, form.body.data, guide_id=staff_id())
    return _done(reference, anchor="#notes")


@bp.post("/cases/<reference>/confirm-start")
@staff_required()
def confirm_start(reference: str) -> ResponseReturnValue:
    """Confirm the start on the club's behalf, after a phone call (recorded as such)."""
    application, form = _case(reference), ConfirmStartForm()
    if not form.validate() or form.start_on.data is None:
        return _case_page(application, sent=("confirm-start", form), status=422)
    outcome = services.confirm_start_for_club(application, form.start_on.data, guide_id=staff_id())
    if isinstance(outcome, services.AlreadyDecided):
        return _done(reference)
    return _done(reference, "started")


@bp.post("/cases/<reference>/payments")
@staff_required()
def record_payment(reference: str) -> ResponseReturnValue:
    application, form = _case(reference), PaymentForm()
    if not form.validate() or form.amount_kr.data is None or form.paid_on.data is None:
        return _case_page(application, sent=("payments", form), status=422)
    payout = services.Payout(
        method=PaymentMethod(form.method.data),
        amount_kr=form.amount_kr.data,
        payee_name=form.payee_name.data,
        payee_cvr=form.payee_cvr.data or None,
        reference=form.reference.data or None,
        paid_on=form.paid_on.data,
    )
    outcome = services.record_payment(application, payout, guide_id=staff_id())
    if isinstance(outcome, services.Paid):
        return _done(reference, "paid")
    fresh = _case(reference)
    if isinstance(outcome, services.AlreadyDecided):
        return _case_page(fresh, already=outcome, status=409)
    _payout_refused(form, outcome)
    return _case_page(fresh, sent=("payments", form), status=422)


def _payout_refused(form: PaymentForm, refused: services.PaymentRefused) -> None:
    """The service's refusal, beside the field it is about."""
    if refused.refusal is services.PaymentRefusal.NOT_STARTED:
        # The membership fee is paid for a member who has started.
        form.method.errors.append(
            _(
                "The club has not confirmed the start yet. Confirm it on the club's behalf "
                "after a call, or wait for the club."
            )
        )
    else:
        amount = format_money(refused.reserved_kr)
        form.amount_kr.errors.append(_("That is more than the %(amount)s approved.", amount=amount))


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
        audit.record_access(
            staff_id(),
            AuditAction.VIEW,
            "case review: file",
            application=application,
            details=found.original_name,
        )
    return send_upload(found, preview=bool(preview), inline=found.content_type == "image/jpeg")
