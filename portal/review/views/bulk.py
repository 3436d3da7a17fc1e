"""Decisions on many cases at once, each held to the same rules as one at a time."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from portal.auth.access import staff_id, staff_required
from portal.i18n import current_locale, format_money
from portal.review import queries, services
from portal.review.views import bp
from portal.review.views.queue import _number
from portal.schemes import ledger
from portal.workflow import ApplicationStatus


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
        return str(outcome.status.label)
    if isinstance(outcome, ledger.Refused):
        left = format_money(outcome.remaining_kr)
        if outcome.limit is ledger.Limit.POOL:
            return str(_("Not approved: %(amount)s left in the pool", amount=left))
        if outcome.limit is ledger.Limit.PERSON:
            return str(_("Not approved: %(amount)s left under the person's cap", amount=left))
        if outcome.limit is ledger.Limit.SAME_PERSON:
            return str(_("Not approved: maybe the same person as an earlier application"))
        return str(_("Not approved: no budget this year"))
    status = str(outcome.status.label)
    return str(_("Already decided: %(status)s", status=status))
