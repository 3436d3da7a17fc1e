"""The staff side's forms: the case, the queue's filters, payments, and the administrators' own."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    Form,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Optional, Regexp

from portal.forms import (
    MESSAGE_MAX,
    TEXT_FILTERS,
    PortalForm,
    TranslatedMeta,
    cpr_field,
    kroner_field,
    text_field,
)
from portal.schemes.models import PAYMENT_METHOD_LABELS


class ApproveForm(PortalForm):
    #: 0 kr for a free place (the club still hears of the new member).
    amount_kr = kroner_field(_l("Amount to approve, in kroner"), least=0)


class CprForm(PortalForm):
    """A guide who has seen the health card adds the number (kept only as a keyed hash)."""

    cpr = cpr_field(
        _l("CPR number from the health card"),
        required=_l("Write the CPR number."),
        description=_l("10 digits. Only the date part is shown afterwards."),
    )


class DeclineForm(PortalForm):
    reason = SelectField(
        _l("Reason (the family gets it in its language and in Danish)"),
        choices=[],  # the active templates, set by the view
        validators=[DataRequired(message=_l("Choose a reason."))],
    )
    note = text_field(
        _l("Internal note (optional, never shown to the family)"), most=MESSAGE_MAX, area=True
    )


class AskForm(PortalForm):
    question = text_field(
        _l("Your question to the family"),
        most=MESSAGE_MAX,
        required=_l("Write the question."),
        description=_l("Short sentences and plain words: it may be read with a translation app."),
        area=True,
    )


class NoteForm(PortalForm):
    body = text_field(
        _l("Internal note"), most=MESSAGE_MAX, required=_l("Write the note."), area=True
    )


AGE_BANDS: dict[str, tuple[int, int]] = {
    "0-9": (0, 9),
    "10-13": (10, 13),
    "14-17": (14, 17),
    "18-": (18, 150),
}


class QueueFilterForm(Form):
    """The queue's filters: a GET form (a shareable URL; works without JavaScript). Choices
    are filled per request; an unknown value is simply ignored."""

    class Meta(TranslatedMeta):
        pass

    q = StringField(
        _l("Search"),
        description=_l("Reference, name, phone number or e-mail."),
        filters=TEXT_FILTERS,
    )
    waiting = SelectField(_l("Waiting"), choices=[], default="new")
    status = SelectField(_l("Status"), choices=[], default="")
    scheme = SelectField(_l("Scheme"), choices=[], default="")
    activity = SelectField(_l("Activity"), choices=[], default="")
    association = SelectField(_l("Association"), choices=[], default="")
    language = SelectField(_l("Family's language"), choices=[], default="")
    age = SelectField(_l("Age"), choices=[], default="")
    guide = SelectField(_l("Guide"), choices=[], default="")
    overdue = BooleanField(_l("Only overdue"))
    sort = SelectField(
        _l("Order"),
        choices=[
            SelectChoice("oldest", _l("Oldest first")),
            SelectChoice("newest", _l("Newest first")),
        ],
        default="oldest",
    )


class PaymentForm(PortalForm):
    method = SelectField(
        _l("Paid how"),
        choices=[
            SelectChoice(method.value, label) for method, label in PAYMENT_METHOD_LABELS.items()
        ],
        validators=[DataRequired(message=_l("Choose how it was paid."))],
    )
    amount_kr = kroner_field(_l("Amount paid, in kroner"))
    payee_name = text_field(_l("Paid to"), most=160, required=_l("Write who was paid."))
    payee_cvr = StringField(
        _l("CVR number (for an association)"),
        filters=TEXT_FILTERS,
        validators=[Optional(), Regexp(r"^\d{8}$", message=_l("A CVR number has 8 digits."))],
    )
    reference = text_field(_l("Finance's reference (optional)"), most=64)
    paid_on = DateField(
        _l("Paid on"), validators=[DataRequired(message=_l("Write the date it was paid."))]
    )


class PeriodForm(Form):
    """The payouts export's period (a GET form)."""

    class Meta(TranslatedMeta):
        pass

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])


class ConfirmStartForm(PortalForm):
    start_on = DateField(
        _l("Start date the club gave on the phone"),
        validators=[DataRequired(message=_l("Write the start date."))],
    )
