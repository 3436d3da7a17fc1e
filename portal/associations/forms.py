"""The clubs' forms (few fields, each one tap on a phone) and the staff's forms for adding an
association and its contacts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional, Regexp

from portal.catalogue.models import AUDIENCE_LABELS
from portal.forms import (
    TEXT_FILTERS,
    LocalisedIntegerField,
    PortalForm,
    checked_contact,
    checked_email,
    email_field,
    kroner_field,
    language_choices,
    language_field,
    name_field,
    naming_the_language,
    phone_field,
    text_field,
)
from portal.i18n import locale_info, weekday_name


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


class PaymentRequestForm(PortalForm):
    amount_kr = kroner_field(
        _l("Amount, in kroner"),
        description=_l(
            "The membership fee for the season, at most what the municipality approved."
        ),
    )


# Staff: associations and their contacts ---------------------------------------------------------


class AssociationForm(PortalForm):
    name = text_field(_l("Name of the association"), most=160, required=_l("Write the name."))
    cvr = StringField(
        _l("CVR number"),
        description=_l("8 digits. Payments to the club use it."),
        filters=[lambda value: "".join((value or "").split())],
        validators=[
            DataRequired(message=_l("Write the CVR number.")),
            Regexp(r"^\d{8}$", message=_l("A CVR number has 8 digits.")),
        ],
    )
    address = text_field(_l("Address"), most=200, required=_l("Write the address."))
    postcode = StringField(
        _l("Postcode"),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write the postcode.")),
            Regexp(r"^\d{4}$", message=_l("Write the 4 digits of the postcode.")),
        ],
    )
    city = text_field(_l("Town"), most=80, required=_l("Write the town."))
    email = email_field(_l("The club's e-mail (optional)"), required=False)
    phone = phone_field(_l("The club's phone (optional)"))

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        return checked_email(self.email) and ok


class ClubContactForm(PortalForm):
    name = name_field()
    email = email_field()
    phone = phone_field(_l("Mobile number (for links by SMS)"))
    language = language_field(_l("Which language should we write in?"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()
        self.normalised_phone: str | None = None

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        return checked_contact(self) and ok


# A club's own activities ------------------------------------------------------------------------

#: Weekly times a form offers (most activities meet once or twice a week).
SESSION_ROWS = 3
WEEKDAYS = range(7)


def activity_form(locales: Sequence[str]) -> type[PortalForm]:
    """An activity as its club keeps it. The name and description in every language are
    needed to publish it (a family reads them); a draft needs only the Danish name."""

    class ActivityForm(PortalForm):
        pass

    form = ActivityForm
    _add_texts(form, locales)
    age = NumberRange(min=0, max=99, message=_l("Write an age from 0 to 99."))
    form.min_age = LocalisedIntegerField(_l("From age"), validators=[Optional(), age])
    form.max_age = LocalisedIntegerField(
        _l("To age"), description=_l("99 if there is no upper limit."), validators=[Optional(), age]
    )
    form.audience = SelectField(
        _l("Who may join"),
        choices=[SelectChoice(a.value, label) for a, label in AUDIENCE_LABELS.items()],
    )
    _add_sessions(form)
    for name, label in (("place", _l("Place")), ("address", _l("Address")), ("city", _l("Town"))):
        setattr(form, name, text_field(label, most=160, required=_l("Write where it is.")))
    form.postcode = StringField(
        _l("Postcode"),
        filters=TEXT_FILTERS,
        validators=[Regexp(r"^\d{4}$", message=_l("Write the 4 digits of the postcode."))],
    )
    for name, label, message in (
        ("fee_kr", _l("Membership fee a year, in kroner"), _l("Write the fee (0 if free).")),
        ("capacity", _l("Places in all"), _l("Write how many can join.")),
        ("free_places", _l("Free places now"), _l("Write how many places are free.")),
    ):
        setattr(form, name, LocalisedIntegerField(label, validators=[
            InputRequired(message=message),
            NumberRange(min=0, max=100_000, message=_l("Write a whole number."))]))  # fmt: skip
    form.is_open = BooleanField(_l("Taking new members now"))
    form.publish = BooleanField(_l("Show it in the catalogue"))
    return form


def _add_texts(form: type[PortalForm], locales: Sequence[str]) -> None:
    """The name and description in each language (a draft needs only the first name)."""
    name_message = _l("Write the name in %(language)s.")
    for code in locales:
        required = naming_the_language(name_message, code) if code == locales[0] else None
        label = locale_info(code).endonym
        setattr(form, f"name_{code}", text_field(label, most=160, required=required))
        setattr(form, f"description_{code}", text_field(label, most=2000, area=True))


def _add_sessions(form: type[PortalForm]) -> None:
    """``SESSION_ROWS`` weekly times: a day, from, to."""
    days = [
        SelectChoice("", _l("No day")),
        *(SelectChoice(str(d), weekday_name(d)) for d in WEEKDAYS),
    ]
    for row in range(SESSION_ROWS):
        setattr(form, f"weekday_{row}", SelectField(_l("Day"), choices=days))
        setattr(form, f"start_{row}", TimeField(_l("From"), validators=[Optional()]))
        setattr(form, f"end_{row}", TimeField(_l("To"), validators=[Optional()]))


def check_activity(form: PortalForm, locales: Sequence[str]) -> bool:
    """The rules across fields: ages, places, times, and every language before publishing."""
    ok = True
    data = form.data
    if data["min_age"] is None:
        form["min_age"].errors.append(_l("Write the youngest age."))
        ok = False
    if data["max_age"] is None:
        form["max_age"].errors.append(_l("Write the oldest age (99 if there is no upper limit)."))
        ok = False
    if ok and data["max_age"] < data["min_age"]:
        form["max_age"].errors.append(_l("The oldest age must be at least the youngest."))
        ok = False
    if (data["free_places"] or 0) > (data["capacity"] or 0):
        form["free_places"].errors.append(_l("There cannot be more free places than places."))
        ok = False
    for row in range(SESSION_ROWS):
        day, start, end = data[f"weekday_{row}"], data[f"start_{row}"], data[f"end_{row}"]
        if day and (start is None or end is None):
            form[f"start_{row}"].errors.append(_l("Write when it starts and ends."))
            ok = False
        elif day and end <= start:
            form[f"end_{row}"].errors.append(_l("It must end after it starts."))
            ok = False
    if data["publish"]:
        for code in locales:
            for part, message in (
                ("name", _l("To show it, write the name in %(language)s too.")),
                ("description", _l("To show it, write the description in %(language)s too.")),
            ):
                if not data[f"{part}_{code}"]:
                    form[f"{part}_{code}"].errors.append(naming_the_language(message, code))
                    ok = False
    return ok


def missing_languages(form: PortalForm, locales: Sequence[str]) -> list[str]:
    """The languages without a name or a description yet (shown above the form)."""
    return [
        code for code in locales
        if not form[f"name_{code}"].data or not form[f"description_{code}"].data
    ]  # fmt: skip
