"""The clubs' forms (few fields, each one tap on a phone) and the staff's forms for adding an
association and its contacts."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.applications.forms import TEXT_FILTERS, PortalForm, checked_email, checked_phone
from portal.auth.forms import email_field
from portal.i18n import locale_info, supported_locales


class SignInLinkForm(PortalForm):
    contact = StringField(
        _l("Your mobile number or e-mail"),
        description=_l("The one the municipality has for you. We send the link there."),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write your mobile number or e-mail.")),
            Length(max=254, message=_l("Write at most 254 characters.")),
        ],
    )


class ConfirmForm(PortalForm):
    """ "Yes, they can start": the date (filled in), and a trial period if the club has one."""

    start_on = DateField(
        _l("Start date"), validators=[DataRequired(message=_l("Write the start date."))]
    )
    trial = BooleanField(_l("They try first, before they become a member"))
    trial_until = DateField(_l("Trying until"), validators=[Optional()])

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        if self.trial.data:
            if not self.trial_until.data:
                self.trial_until.errors.append(_l("Write the last day of the trial."))
                return False
            if self.start_on.data and self.trial_until.data < self.start_on.data:
                self.trial_until.errors.append(_l("The trial ends after the start date."))
                return False
        return ok


class WaitlistForm(PortalForm):
    expected_on = DateField(
        _l("When do you expect a place? (if you know)"), validators=[Optional()]
    )


class ClubDeclineForm(PortalForm):
    reason = RadioField(
        _l("Why not?"),
        choices=[],  # the short list of club reasons, set by the view
        validators=[DataRequired(message=_l("Choose a reason."))],
    )


class StopForm(PortalForm):
    """The child stopped coming (no fields: the button is the answer)."""


# Staff: associations and their contacts ---------------------------------------------------------


class AssociationForm(PortalForm):
    name = StringField(
        _l("Name of the association"),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write the name.")),
            Length(max=160, message=_l("Write at most 160 characters.")),
        ],
    )
    cvr = StringField(
        _l("CVR number"),
        description=_l("8 digits. Payments to the club use it."),
        filters=[lambda value: "".join((value or "").split())],
        validators=[
            DataRequired(message=_l("Write the CVR number.")),
            Regexp(r"^\d{8}$", message=_l("A CVR number has 8 digits.")),
        ],
    )
    address = StringField(
        _l("Address"),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write the address.")),
            Length(max=200, message=_l("Write at most 200 characters.")),
        ],
    )
    postcode = StringField(
        _l("Postcode"),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write the postcode.")),
            Regexp(r"^\d{4}$", message=_l("Write the 4 digits of the postcode.")),
        ],
    )
    city = StringField(
        _l("Town"),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write the town.")),
            Length(max=80, message=_l("Write at most 80 characters.")),
        ],
    )
    email = StringField(
        _l("The club's e-mail (optional)"),
        filters=TEXT_FILTERS,
        validators=[Length(max=254, message=_l("Write at most 254 characters."))],
    )
    phone = StringField(
        _l("The club's phone (optional)"),
        filters=TEXT_FILTERS,
        validators=[Length(max=40, message=_l("Write at most 40 characters."))],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        return checked_email(self.email) and ok


class ClubContactForm(PortalForm):
    name = StringField(
        _l("Name"),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write the name.")),
            Length(max=120, message=_l("Write at most 120 characters.")),
        ],
    )
    email = email_field()
    phone = StringField(
        _l("Mobile number (for links by SMS)"),
        filters=TEXT_FILTERS,
        validators=[Length(max=40, message=_l("Write at most 40 characters."))],
    )
    language = RadioField(
        _l("Which language should we write in?"),
        choices=[],
        validators=[DataRequired(message=_l("Choose a language."))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [
            SelectChoice(code, locale_info(code).endonym) for code in supported_locales()
        ]
        self.normalised_phone: str | None = None

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        ok = checked_email(self.email) and ok
        self.normalised_phone = checked_phone(self.phone)
        if self.phone.data and self.normalised_phone is None:
            ok = False
        return ok
