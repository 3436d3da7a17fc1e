"""The guides' pages. Every view is for signed-in staff only (``staff_required``)."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    has_request_context,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from wtforms import SelectChoice

from portal.applications import queries as application_queries
from portal.applications import steps
from portal.applications.models import Application
from portal.applications.uploads import send_upload
from portal.audit import services as audit
from portal.audit.models import AuditAction
from portal.auth.access import STAFF_BLUEPRINTS, signed_in, staff_id, staff_required, take_stash
from portal.auth.models import User
from portal.db import utcnow
from portal.enrolments import services as enrolments
from portal.extensions import db
from portal.htmx import render_page_or_fragment
from portal.i18n import current_locale, format_money, locale_info, supported_locales
from portal.review import exports as exports_
from portal.review import queries, services
from portal.review.forms import (
    AGE_BANDS,
    ApproveForm,
    AskForm,
    ConfirmStartForm,
    DeclineForm,
    NoteForm,
    PaymentForm,
    PeriodForm,
    QueueFilterForm,
)
from portal.schemes import ledger
from portal.schemes.models import PaymentMethod
from portal.workflow import (
    APPLICATION_STATUS_LABELS,
    ENROLMENT_STATUS_LABELS,
    LIFECYCLES,
    ApplicationStatus,
    StatusChange,
)

bp = Blueprint("review", __name__, url_prefix="/<lang:lang>/staff")


@bp.app_context_processor
def _staff_context() -> dict[str, Any]:
    """The signed-in member for the staff layout (looked up only on staff pages)."""
    if not has_request_context() or request.blueprint not in STAFF_BLUEPRINTS:
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
    me = staff_id()
    # Audited first: its commit would otherwise expire the rows loaded for the page.
    details = request.query_string.decode()[:500] or None
    audit.record_access(me, AuditAction.SEARCH, "queue", details=details)
    page = queries.search(filters, now, me=me, after=request.args.get("after"))
    response = render_page_or_fragment(
        "review/queue.html",
        "review/_queue_results.html",
        counts=queries.counts(now),
        form=form,
        results=page,
        filters=filters,
        next_url=_next_page_url(page),
        bulk_reasons=queries.decline_reasons(current_locale()),
        activity_label=lambda a: application_queries.activity_label(a, current_locale()),
        status_label=application_queries.status_label,
    )
    if filters.q:
        # Looking someone up: each family listed gets a row in its access log.
        audit.record_search_hits(me, page.rows, details)
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


def _case_page(
    application: Application,
    *,
    approve_form: ApproveForm | None = None,
    decline_form: DeclineForm | None = None,
    ask_form: AskForm | None = None,
    note_form: NoteForm | None = None,
    payment_form: PaymentForm | None = None,
    confirm_form: ConfirmStartForm | None = None,
    refused: ledger.Refused | None = None,
    already: services.AlreadyDecided | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    locale = current_locale()
    room = ledger.room(application)
    restored = take_stash(url_for(".case", reference=application.reference) + "/")
    if restored is not None:
        action, fields = restored
        kept = MultiDict(fields)
        form_for = {"approve": ApproveForm, "decline": DeclineForm, "ask": AskForm,
                    "notes": NoteForm, "payments": PaymentForm}  # fmt: skip
        if action in form_for:
            form = form_for[action](formdata=kept, meta={"csrf": False})
            approve_form = form if action == "approve" else approve_form
            decline_form = form if action == "decline" else decline_form
            ask_form = form if action == "ask" else ask_form
            note_form = form if action == "notes" else note_form
            payment_form = form if action == "payments" else payment_form
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
    made_by = (
        db.session.get(User, application.made_by_guide_id) if application.made_by_guide_id else None
    )
    return render_template(
        "review/case.html",
        application=application,
        answers=steps.answers(application),
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
        payment_form=payment_form or _payment_form(application),
        payments=application.payments,
        confirm_form=confirm_form or ConfirmStartForm(formdata=None),
        enrolment_label=(
            str(ENROLMENT_STATUS_LABELS[application.enrolment.status])
            if application.enrolment
            else None
        ),
        refused=refused,
        already=already,
        restored=restored is not None,
        decided_by=decided_by,
        made_by=made_by,
        consent_language=(
            locale_info(application.consent_locale).endonym if application.consent_locale else ""
        ),
        status_label=application_queries.status_label,
        status_name=_status_name,
        activity_label=lambda a: application_queries.activity_label(a, locale),
    ), status


def _status_name(change: StatusChange) -> str:
    return LIFECYCLES[change.subject].label(change.to_status)


@bp.get("/cases/<reference>")
@staff_required()
def case(reference: str) -> ResponseReturnValue:
    application = _case(reference)
    audit.record_access(staff_id(), AuditAction.VIEW, "case review", application=application)
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
    outcome = services.approve(application, amount, guide_id=staff_id())
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
        application, int(form.reason.data), guide_id=staff_id(), note=form.note.data or None
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
        application, services.ask(application, form.question.data, guide_id=staff_id())
    )


@bp.post("/cases/<reference>/take")
@staff_required()
def take(reference: str) -> ResponseReturnValue:
    application = _case(reference)
    services.take(application, guide_id=staff_id())
    return redirect(url_for(".case", reference=reference), code=303)


@bp.post("/cases/<reference>/notes")
@staff_required()
def add_note(reference: str) -> ResponseReturnValue:
    application = _case(reference)
    form = NoteForm()
    if not form.validate():
        return _case_page(application, note_form=form, status=422)
    services.add_note(application, form.body.data, guide_id=staff_id())
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
        audit.record_access(
            staff_id(),
            AuditAction.VIEW,
            "case review: file",
            application=application,
            details=found.original_name,
        )
    return send_upload(found, preview=bool(preview), inline=found.content_type == "image/jpeg")


# Payments and exports ---------------------------------------------------------------------------


def _payment_form(application: Application) -> PaymentForm:
    """Filled in from the case: the approved amount, the club and its CVR, today."""
    form = PaymentForm(formdata=None)
    asked = enrolments.open_request(application)
    form.amount_kr.data = asked.amount_kr if asked else ledger.reserved_for(application) or None
    form.paid_on.data = utcnow().date()
    activity = application.activity
    if activity is not None:
        form.method.data = PaymentMethod.TO_ASSOCIATION.value
        form.payee_name.data = activity.association.name
        form.payee_cvr.data = activity.association.cvr
    elif application.already_paid:
        form.method.data = PaymentMethod.REFUND_TO_APPLICANT.value
    else:
        form.method.data = PaymentMethod.PURCHASE.value
    return form


@bp.post("/cases/<reference>/payments")
@staff_required()
def record_payment(reference: str) -> ResponseReturnValue:
    application = _case(reference)
    form = PaymentForm()
    if not form.validate() or form.amount_kr.data is None or form.paid_on.data is None:
        return _case_page(application, payment_form=form, status=422)
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
        return redirect(url_for(".case", reference=reference, done="paid"), code=303)
    fresh = _case(reference)
    if isinstance(outcome, services.AlreadyDecided):
        return _case_page(fresh, already=outcome, status=409)
    if outcome.refusal is services.PaymentRefusal.NOT_STARTED:
        # The membership fee is paid for a member who has started.
        form.method.errors.append(
            _(
                "The club has not confirmed the start yet. Confirm it on the club's behalf "
                "after a call, or wait for the club."
            )
        )
    else:
        form.amount_kr.errors.append(
            _(
                "That is more than the %(amount)s approved.",
                amount=format_money(outcome.reserved_kr),
            )
        )
    return _case_page(fresh, payment_form=form, status=422)


PAYMENT_HEADER = ("Forening / modtager", "CVR", "Beløb (kr.)", "Reference", "Ordning",
                  "Betalt", "Betalingsmåde", "Økonomis reference")  # fmt: skip
QUEUE_HEADER = ("Reference", "Fornavn", "Efternavn", "Aktivitet", "Sendt", "Status", "Sprog")


def _download(data: bytes, name: str, fmt: str) -> ResponseReturnValue:
    mimetype = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = make_response(data)
    response.mimetype = mimetype
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/exports")
@staff_required()
def exports() -> ResponseReturnValue:
    """The payouts of a period, for finance (CSV or Excel)."""
    form = PeriodForm(request.args)
    today = utcnow().date()
    if not form.start.data:
        form.start.data = today.replace(day=1)
    if not form.end.data:
        form.end.data = today
    return render_template("review/exports.html", form=form)


@bp.get("/exports/payments.<any(csv, xlsx):fmt>")
@staff_required()
def export_payments(fmt: str) -> ResponseReturnValue:
    form = PeriodForm(request.args)
    today = utcnow().date()
    start = form.start.data if form.validate() and form.start.data else today.replace(day=1)
    end = form.end.data if form.end.data else today
    rows = [
        (payment.payee_name, payment.payee_cvr or "", payment.amount_kr, application.reference,
         scheme, payment.paid_on, payment.method.value, payment.reference or "")
        for payment, application, scheme in queries.payments_between(start, end)
    ]  # fmt: skip
    audit.record_access(
        staff_id(),
        AuditAction.EXPORT,
        "finance: payouts",
        details=f"{start}..{end}, {len(rows)} rows",
    )
    name = f"udbetalinger-{start}-{end}"
    if fmt == "csv":
        return _download(exports_.to_csv(PAYMENT_HEADER, rows), name, fmt)
    return _download(exports_.to_xlsx("Udbetalinger", PAYMENT_HEADER, rows), name, fmt)


REQUEST_HEADER = ("Forening", "CVR", "Beløb (kr.)", "Reference", "Ordning", "Anmodet")


@bp.get("/exports/requests.<any(csv, xlsx):fmt>")
@staff_required()
def export_requests(fmt: str) -> ResponseReturnValue:
    """The membership fees clubs have asked for and that are not paid yet: finance's to-do."""
    rows = [
        (payment.payee_name, payment.payee_cvr or "", payment.amount_kr, application.reference,
         scheme, payment.created_at.date())
        for payment, application, scheme in queries.open_requests()
    ]  # fmt: skip
    audit.record_access(
        staff_id(), AuditAction.EXPORT, "finance: requests", details=f"{len(rows)} rows"
    )
    if fmt == "csv":
        return _download(exports_.to_csv(REQUEST_HEADER, rows), "anmodninger", fmt)
    return _download(exports_.to_xlsx("Anmodninger", REQUEST_HEADER, rows), "anmodninger", fmt)


@bp.get("/exports/queue.<any(csv, xlsx):fmt>")
@staff_required()
def export_queue(fmt: str) -> ResponseReturnValue:
    """The queue as filtered on screen (every page of it, up to 10,000 rows)."""
    form = QueueFilterForm(request.args)
    _queue_choices(form)
    filters = _filters(form)
    me = staff_id()
    audit.record_access(
        me, AuditAction.EXPORT, "queue list", details=request.query_string.decode()[:500] or None
    )
    page = queries.search(filters, utcnow(), me=me, limit=10_000)
    rows = [_queue_row(application) for application in page.rows]
    if fmt == "csv":
        return _download(exports_.to_csv(QUEUE_HEADER, rows), "ko", fmt)
    return _download(exports_.to_xlsx("Kø", QUEUE_HEADER, rows), "ko", fmt)


def _queue_row(application: Application) -> tuple[object, ...]:
    participant, applicant = application.participant, application.applicant
    sent = application.submitted_at
    return (
        application.reference,
        participant.first_name if participant else "",
        participant.last_name if participant else "",
        application_queries.activity_label(application, "da"),
        sent.date() if sent else None,
        application.status.value,
        applicant.preferred_locale if applicant else "",
    )


# Administrators -------------------------------------------------------------------------------


@bp.post("/cases/<reference>/confirm-start")
@staff_required()
def confirm_start(reference: str) -> ResponseReturnValue:
    """Confirm the start on the club's behalf, after a phone call (recorded as such)."""
    application = _case(reference)
    form = ConfirmStartForm()
    if not form.validate() or form.start_on.data is None:
        return _case_page(application, confirm_form=form, status=422)
    outcome = services.confirm_start_for_club(application, form.start_on.data, guide_id=staff_id())
    if isinstance(outcome, services.AlreadyDecided):
        return redirect(url_for(".case", reference=reference), code=303)
    return redirect(url_for(".case", reference=reference, done="started"), code=303)


# Bulk decisions ---------------------------------------------------------------------------------


@bp.post("/bulk")
@staff_required()
def bulk() -> ResponseReturnValue:
    """Approve (the amount asked for) or decline the selected cases, each checked against the
    same rules as one at a time; the page says what happened to each."""
    action = request.form.get("action")
    references = request.form.getlist("references")[:200]
    reason_id = _number(request.form.get("reason"))
    valid_reasons = {int(value) for value, _label in queries.decline_reasons(current_locale())}
    if not references or action not in ("approve", "decline"):
        return redirect(url_for(".queue"), code=303)
    if action == "decline" and reason_id not in valid_reasons:
        problem = _("Nothing was changed: choose a reason for the decline, then try again.")
        return render_template("review/bulk.html", results=[], problem=problem), 422
    me = staff_id()
    results: list[tuple[str, str]] = []
    for reference in references:
        application = queries.case_by_reference(reference)
        if application is None or application.status is ApplicationStatus.DRAFT:
            results.append((reference, _("Not found")))
            continue
        if action == "approve":
            amount = application.amount_requested_kr
            if not amount:
                results.append((reference, _("No amount asked for: decide it on the case")))
                continue
            outcome: services.Outcome = services.approve(application, amount, guide_id=me)
        else:
            outcome = services.decline(application, reason_id or 0, guide_id=me)
        results.append((reference, _bulk_result(outcome)))
    return render_template("review/bulk.html", results=results)


def _bulk_result(outcome: services.Outcome) -> str:
    if isinstance(outcome, services.Decided):
        if outcome.amount_kr:
            return str(_("Approved: %(amount)s", amount=format_money(outcome.amount_kr)))
        return str(APPLICATION_STATUS_LABELS[outcome.status])
    if isinstance(outcome, ledger.Refused):
        left = format_money(outcome.remaining_kr)
        if outcome.limit is ledger.Limit.POOL:
            return str(_("Not approved: %(amount)s left in the pool", amount=left))
        if outcome.limit is ledger.Limit.PERSON:
            return str(_("Not approved: %(amount)s left under the person's cap", amount=left))
        return str(_("Not approved: no budget this year"))
    status = str(APPLICATION_STATUS_LABELS[outcome.status])
    return str(_("Already decided: %(status)s", status=status))
