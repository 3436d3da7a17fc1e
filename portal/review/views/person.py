"""The person on a case: whether an earlier application is the same person (merge, split),
and a CPR number from the health card. Each is one POST and back to the case."""

from __future__ import annotations

from flask import abort, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from portal.auth.access import staff_id, staff_required
from portal.extensions import db
from portal.people import cpr, matching
from portal.people.models import PersonMatch
from portal.review.forms import CprForm
from portal.review.views import bp
from portal.review.views.cases import _case, _case_page, _done


@bp.post("/cases/<reference>/matches/<int:match_id>")
@staff_required()
def decide_match(reference: str, match_id: int) -> ResponseReturnValue:
    """ "Same person" (merge: the money counts together) or "not the same" (split)."""
    application = _case(reference)
    match = db.session.execute(
        select(PersonMatch).where(
            PersonMatch.id == match_id,
            PersonMatch.participant_id == application.participant_id,
        )
    ).scalar_one_or_none()
    choice = request.form.get("same", "")
    if match is None or choice not in ("yes", "no"):
        abort(404 if match is None else 400)
    matching.decide(match, choice == "yes", by=staff_id(), application=application)
    db.session.commit()
    return _done(reference, anchor="#panel-person")


@bp.post("/cases/<reference>/cpr")
@staff_required()
def add_cpr(reference: str) -> ResponseReturnValue:
    application, form = _case(reference), CprForm()
    participant = application.participant
    if participant is None:
        abort(404)
    number = cpr.parse(form.cpr.data or "") if form.validate() else None
    if number is not None and participant.birth_on and not cpr.fits(number, participant.birth_on):
        form.cpr.errors = [
            _("The first 6 digits are not the date of birth on the application (DDMMYY).")
        ]
        number = None
    if number is None:
        return _case_page(application, sent=("cpr", form), status=422)
    matching.add_cpr(
        participant, number.hashed(), number.birth_part, by=staff_id(), application=application
    )
    db.session.commit()
    return _done(reference, anchor="#panel-person")
