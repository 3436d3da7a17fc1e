"""Files for finance and the committee: payouts, open requests from clubs, the queue."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale

from portal.applications import queries as application_queries
from portal.applications.models import Application
from portal.audit import services as audit
from portal.audit.models import AuditAction
from portal.auth.access import staff_id, staff_required
from portal.db import utcnow
from portal.i18n import language_name
from portal.review import queries
from portal.review.forms import PeriodForm, QueueFilterForm
from portal.review.views import bp
from portal.review.views.queue import _filters, _queue_choices
from portal.schemes.models import PAYMENT_METHOD_LABELS
from portal.spreadsheets import download, to_csv, to_xlsx

PAYMENT_HEADER = ("Forening / modtager", "CVR", "Beløb (kr.)", "Reference", "Ordning",
                  "Betalt", "Betalingsmåde", "Økonomis reference")  # fmt: skip
#: The names in Latin letters (as on the health card), and as the family wrote them.
QUEUE_HEADER = ("Reference", "Fornavn", "Efternavn", "Navn som skrevet", "Aktivitet", "Sendt",
                "Status", "Sprog")  # fmt: skip


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
    with force_locale("da"):  # finance's file is in Danish: words, not codes (issue 18, item 10)
        rows = [
            (payment.payee_name, payment.payee_cvr or "", payment.amount_kr, application.reference,
             scheme, payment.paid_on, str(PAYMENT_METHOD_LABELS[payment.method]),
             payment.reference or "")
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
        return download(to_csv(PAYMENT_HEADER, rows), name, fmt)
    return download(to_xlsx("Udbetalinger", PAYMENT_HEADER, rows), name, fmt)


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
        return download(to_csv(REQUEST_HEADER, rows), "anmodninger", fmt)
    return download(to_xlsx("Anmodninger", REQUEST_HEADER, rows), "anmodninger", fmt)


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
    with force_locale("da"):  # the headers are Danish; so are the statuses and languages
        rows = [_queue_row(application) for application in page.rows]
    if fmt == "csv":
        return download(to_csv(QUEUE_HEADER, rows), "ko", fmt)
    return download(to_xlsx("Kø", QUEUE_HEADER, rows), "ko", fmt)


def _queue_row(application: Application) -> tuple[object, ...]:
    participant, applicant = application.participant, application.applicant
    sent = application.submitted_at
    return (
        application.reference,
        (participant.latin_first_name or participant.first_name) if participant else "",
        (participant.latin_last_name or participant.last_name) if participant else "",
        participant.name if participant else "",
        application_queries.activity_label(application, "da"),
        sent.date() if sent else None,
        str(application.status.label),
        language_name(applicant.preferred_locale, "da") if applicant else "",
    )
