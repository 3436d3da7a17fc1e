"""One form per question of the application (one question per page).

Each form knows how to fill itself from a draft (``load``) and how to write its answer back
(``save``); the services decide when that is allowed and commit.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from babel.dates import get_month_names
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    Field,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.applications.models import (
    GENDER_LABELS,
    RELATION_LABELS,
    Application,
    EquipmentItem,
    Gender,
    Participant,
    Relation,
)
from portal.forms import LocalisedIntegerField, TranslatedMeta, ascii_digits, printable
from portal.i18n import current_locale
from portal.workflow import ApplicationKind

#: Longest text we keep for names and free text (the columns are this long).
NAME_MAX = 80
#: Things on one equipment application.
MAX_ITEMS = 10
MESSAGE_MAX = 1000

#: Something that looks like an e-mail address; the real test is that the message arrives.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _no_control_characters(value: Any) -> Any:
    return printable(value) if isinstance(value, str) else value


TEXT_FILTERS = (_no_control_characters, _strip)


class PortalForm(FlaskForm):
    """A posted form: CSRF from Flask-WTF, WTForms' own messages from our catalogues."""

    class Meta(TranslatedMeta):
        pass


class StepForm(PortalForm):
    """A question page. ``load`` shows the saved answer; ``save`` stores the new one."""

    def for_application(self, application: Application) -> None:
        """What the question needs to know of the draft before it validates (most need nothing)."""

    def load(self, application: Application) -> None:
        """Fill the fields from the draft (only when the page is first shown)."""

    def save(self, application: Application) -> None:
        """Write the valid answer to the draft."""
        raise NotImplementedError


def participant_of(application: Application) -> Participant:
    """The participant; the flow never asks about them before their name."""
    if application.participant is None:
        raise LookupError("the participant's name comes before this question")
    return application.participant


def checked_phone(field: Field) -> str | None:
    """A typed mobile number as E.164, or None (with an error on the field if one was typed
    that is not a number)."""
    if not field.data:
        return None
    phone = normalise_phone(field.data)
    if phone is None:
        field.errors.append(
            _l("Write a mobile number with 8 digits, or with + and the country code.")
        )
    return phone


def checked_email(field: Field) -> bool:
    """An empty field, or an address that looks like one (else an error on the field)."""
    if field.data and not EMAIL_PATTERN.match(field.data):
        field.errors.append(_l("Write an e-mail address like name@example.dk."))
        return False
    return True


def normalise_phone(value: str) -> str | None:
    """``+45 12 34 56 78``, ``0045…``, ``12345678`` or the same in Arabic-Indic digits →
    ``+4512345678``. Foreign numbers must start with + or 00. ``None`` when it is not a number."""
    raw = ascii_digits(value)
    compact = re.sub(r"[\s\-().\u200e\u200f]", "", raw)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+"):
        digits = compact[1:]
        if not digits.isdigit() or not 8 <= len(digits) <= 15:
            return None
        if digits.startswith("45") and len(digits) != 10:
            return None
        return "+" + digits
    if compact.isdigit() and len(compact) == 8:
        return "+45" + compact
    return None


class ActivityChoiceForm(StepForm):
    """Which activity (from the catalogue, or a club that is not in it yet)."""

    OTHER = "other"

    activity = SelectField(
        _l("Activity"),
        validators=[DataRequired(message=_l("Choose the activity."))],
        choices=[],  # set by the view: the catalogue in the page's language
    )
    other_club_name = StringField(
        _l("Name of the club"), filters=TEXT_FILTERS, validators=[Length(max=160)]
    )
    other_activity_name = StringField(
        _l("Activity, for example football"), filters=TEXT_FILTERS, validators=[Length(max=160)]
    )
    other_fee_kr = LocalisedIntegerField(
        _l("Membership fee per year, in kroner"),
        validators=[
            Optional(),
            NumberRange(min=1, max=100_000, message=_l("Write the fee in whole kroner.")),
        ],
        invalid_message=_l("Write the fee in whole kroner, for example 1200."),
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        if self.activity.data == self.OTHER:
            for field, message in (
                (self.other_club_name, _l("Write the name of the club.")),
                (self.other_activity_name, _l("Write what the activity is.")),
                (self.other_fee_kr, _l("Write the membership fee per year.")),
            ):
                if not field.data and not field.errors:
                    field.errors.append(message)
                    ok = False
        return ok

    def load(self, application: Application) -> None:
        if application.activity is not None:
            self.activity.data = application.activity.slug
        elif application.other_club_name:
            self.activity.data = self.OTHER
            self.other_club_name.data = application.other_club_name
            self.other_activity_name.data = application.other_activity_name
            self.other_fee_kr.data = application.other_fee_kr

    def save(self, application: Application) -> None:
        # The view resolves the slug to an activity; here only the "other club" answers are kept.
        if self.activity.data == self.OTHER:
            application.activity = None
            application.other_club_name = self.other_club_name.data
            application.other_activity_name = self.other_activity_name.data
            application.other_fee_kr = self.other_fee_kr.data
        else:
            application.other_club_name = None
            application.other_activity_name = None
            application.other_fee_kr = None


class EligibilityForm(StepForm):
    """Equipment support is for people who hold a leisure pass or take part in a municipal
    activity."""

    has_pass = RadioField(
        _l("Does the person have a leisure pass, or an activity the municipality pays for?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=[InputRequired(message=_l("Choose yes or no."))],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        if ok and self.has_pass.data == "no":
            self.has_pass.errors.append(
                _l(
                    "Equipment support is for people with a leisure pass. "
                    "Apply for a leisure pass first – you can apply for equipment at the same time."
                )
            )
            ok = False
        return ok

    def load(self, application: Application) -> None:
        if application.current_step is not None:
            self.has_pass.data = "yes"

    def save(self, application: Application) -> None:
        pass  # the answer "yes" is the only one that lets the family go on


def chosen_files(field: MultipleFileField) -> list[Any]:
    """The files sent with this request (an empty file input sends one nameless part)."""
    return [file for file in field.data or [] if getattr(file, "filename", None)]


class ItemsForm(StepForm):
    """The things to buy, added one at a time: "Add to the list", then "Continue".

    The view gives the form its application (``for_application``): "Continue" with nothing on
    the list is an error, and an item typed but not added is added on the way.
    """

    ADD, CONTINUE = "add", "continue"

    description = StringField(
        _l("What is it?"),
        description=_l("For example football boots, a cricket bat or a headset."),
        filters=TEXT_FILTERS,
        validators=[Length(max=160, message=_l("Write at most 160 characters."))],
    )
    price_kr = LocalisedIntegerField(
        _l("Price in kroner"),
        validators=[
            Optional(),
            NumberRange(min=1, max=100_000, message=_l("Write the price in whole kroner.")),
        ],
        invalid_message=_l("Write the price in whole kroner, for example 450."),
    )
    action = HiddenField()  # the button pressed: add or continue
    remove = HiddenField()  # an item's number, from its own small "Remove" form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items_count = 0
        #: After "Add" or "Remove" the family stays on the page.
        self.stay = False

    def for_application(self, application: Application) -> None:
        self.items_count = len(application.items)

    def validate(self, extra_validators: Any = None) -> bool:
        if self.remove.data:
            self.stay = True
            return True
        ok: bool = super().validate(extra_validators)
        typed = bool(self.description.data) or self.price_kr.data is not None
        adding = self.action.data == self.ADD
        if adding or typed:
            if not self.description.data:
                self.description.errors.append(_l("Write what you need to buy."))
                ok = False
            if self.price_kr.data is None and not self.price_kr.errors:
                self.price_kr.errors.append(_l("Write the price."))
                ok = False
            if self.items_count >= MAX_ITEMS:
                self.description.errors.append(_l("You can add at most 10 things."))
                ok = False
        elif self.items_count == 0:
            self.description.errors.append(_l("Write what you need to buy, and the price."))
            ok = False
        self.stay = adding
        return ok

    def save(self, application: Application) -> None:
        if self.remove.data:
            kept = [item for item in application.items if str(item.id) != self.remove.data]
            application.items[:] = kept
            return
        if self.description.data and self.price_kr.data is not None:
            application.items.append(
                EquipmentItem(description=self.description.data, price_kr=self.price_kr.data)
            )


class PaidForm(StepForm):
    already_paid = RadioField(
        _l("Have you already bought it?"),
        choices=[
            SelectChoice("paid", _l("Yes, I have paid. I want the money back.")),
            SelectChoice("help", _l("No, I need help to buy it.")),
        ],
        validators=[InputRequired(message=_l("Choose one of the options."))],
    )

    def load(self, application: Application) -> None:
        if application.already_paid is not None:
            self.already_paid.data = "paid" if application.already_paid else "help"

    def save(self, application: Application) -> None:
        application.already_paid = self.already_paid.data == "paid"


class ReceiptsForm(StepForm):
    """Photos of the receipt (a refund needs one) or of the price; several at once."""

    UPLOAD, CONTINUE = "upload", "continue"

    files = MultipleFileField(_l("Choose photos or PDF files"))
    action = HiddenField()
    remove = HiddenField()  # an upload's token, from its own small "Remove" form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stay = False
        self.needs_receipt = False
        self.uploads_count = 0

    def for_application(self, application: Application) -> None:
        self.needs_receipt = bool(application.already_paid)
        self.uploads_count = len(application.uploads)

    @property
    def chosen(self) -> list[Any]:
        return chosen_files(self.files)

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        self.stay = bool(self.remove.data) or self.action.data != self.CONTINUE
        if self.action.data == self.UPLOAD and not self.chosen and not self.remove.data:
            self.files.errors.append(_l("Choose a photo or a PDF file first."))
            ok = False
        if (
            self.action.data == self.CONTINUE
            and self.needs_receipt
            and not self.chosen
            and self.uploads_count == 0
        ):
            self.files.errors.append(
                _l("Add a photo of the receipt. We need it to pay the money back.")
            )
            ok = False
        return ok

    def save(self, application: Application) -> None:
        """Files are stored by the view (see ``services.add_uploads``); nothing else to keep."""


class ParticipantForm(StepForm):
    first_name = StringField(
        _l("First name"),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write the first name.")),
            Length(max=NAME_MAX, message=_l("Write at most 80 characters.")),
        ],
    )
    last_name = StringField(
        _l("Last name"),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write the last name.")),
            Length(max=NAME_MAX, message=_l("Write at most 80 characters.")),
        ],
    )

    def load(self, application: Application) -> None:
        if application.participant is not None:
            self.first_name.data = application.participant.first_name
            self.last_name.data = application.participant.last_name

    def save(self, application: Application) -> None:
        participant = application.participant
        if participant is None:
            participant = Participant(
                household=application.household, birth_on=None, first_name="", last_name=""
            )
            application.participant = participant
        participant.first_name = self.first_name.data
        participant.last_name = self.last_name.data


def month_choices() -> list[SelectChoice]:
    names = get_month_names("wide", context="stand-alone", locale=current_locale())
    return [SelectChoice("", _l("Month"))] + [
        SelectChoice(str(n), str(names[n])[:1].upper() + str(names[n])[1:]) for n in range(1, 13)
    ]


class BirthDateForm(StepForm):
    """Three fields (day, month by name, year): easier on a phone than a date picker."""

    day = LocalisedIntegerField(
        _l("Day"), validators=[Optional()], invalid_message=_l("Write the day as a number.")
    )
    month = SelectField(_l("Month"), choices=[], validators=[Optional()])
    year = LocalisedIntegerField(
        _l("Year"), validators=[Optional()], invalid_message=_l("Write the year as a number.")
    )
    #: Shown only when the age does not fit the activity.
    ask_anyway = BooleanField(_l("Send the application anyway. A guide will look at it."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.month.choices = month_choices()
        self.birth_on: date | None = None

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        if not ok:
            return False
        if self.day.data is None or not self.month.data or self.year.data is None:
            self.day.errors.append(_l("Write the whole date of birth: day, month and year."))
            return False
        try:
            born = date(int(self.year.data), int(self.month.data), int(self.day.data))
        except (ValueError, OverflowError):
            self.day.errors.append(_l("That date does not exist. Check the day and the month."))
            return False
        today = date.today()
        if born > today:
            self.year.errors.append(_l("The date of birth must be in the past."))
            return False
        if today.year - born.year > 120:
            self.year.errors.append(_l("Check the year. Write it with four digits, like 2014."))
            return False
        self.birth_on = born
        return True

    def load(self, application: Application) -> None:
        if application.participant is not None and application.participant.birth_on:
            born = application.participant.birth_on
            self.day.data, self.month.data, self.year.data = born.day, str(born.month), born.year
            self.ask_anyway.data = application.age_exception

    def save(self, application: Application) -> None:
        participant_of(application).birth_on = self.birth_on
        application.age_exception = bool(self.ask_anyway.data)


class GenderForm(StepForm):
    gender = RadioField(
        _l("Gender"),
        choices=[SelectChoice(gender.value, label) for gender, label in GENDER_LABELS.items()],
        validators=[InputRequired(message=_l("Choose one of the options."))],
    )
    ask_anyway = BooleanField(_l("Send the application anyway. A guide will look at it."))

    def load(self, application: Application) -> None:
        if application.participant is not None and application.participant.gender:
            self.gender.data = application.participant.gender.value
            self.ask_anyway.data = application.gender_exception

    def save(self, application: Application) -> None:
        participant_of(application).gender = Gender(self.gender.data)
        application.gender_exception = bool(self.ask_anyway.data)


class WaitingListForm(StepForm):
    accept = BooleanField(
        _l("Yes, put us on the waiting list"),
        validators=[InputRequired(message=_l("Tick the box to go on the waiting list."))],
    )

    def load(self, application: Application) -> None:
        self.accept.data = application.waiting_list_ok

    def save(self, application: Application) -> None:
        application.waiting_list_ok = True


class RelationForm(StepForm):
    relation = RadioField(
        _l("Who are you?"),
        choices=[
            SelectChoice(relation.value, label) for relation, label in RELATION_LABELS.items()
        ],
        validators=[InputRequired(message=_l("Choose one of the options."))],
    )

    def load(self, application: Application) -> None:
        if application.relation is not None:
            self.relation.data = application.relation.value

    def save(self, application: Application) -> None:
        application.relation = Relation(self.relation.data)


class ContactForm(StepForm):
    phone = StringField(
        _l("Mobile number"),
        description=_l("For example 20 12 34 56 or +45 20 12 34 56."),
        filters=TEXT_FILTERS,
        validators=[Length(max=40, message=_l("Write at most 40 characters."))],
    )
    email = StringField(
        _l("E-mail"),
        filters=TEXT_FILTERS,
        validators=[Length(max=254, message=_l("Write at most 254 characters."))],
    )
    language = RadioField(
        _l("Which language should we write to you in?"),
        choices=[],  # the portal's languages, each named in itself (set in __init__)
        validators=[InputRequired(message=_l("Choose a language."))],
    )
    #: Asked for a club place only: the club sees the number only if the family says yes.
    share_with_club = BooleanField(_l("The club may call this number about the start"))

    def for_application(self, application: Application) -> None:
        self.asks_about_club = application.kind is not ApplicationKind.EQUIPMENT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from portal.i18n import locale_info, supported_locales

        super().__init__(*args, **kwargs)
        self.language.choices = [
            SelectChoice(code, locale_info(code).endonym) for code in supported_locales()
        ]
        self.normalised_phone: str | None = None

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        self.normalised_phone = checked_phone(self.phone)
        if self.phone.data and self.normalised_phone is None:
            ok = False
        ok = checked_email(self.email) and ok
        if not self.phone.data and not self.email.data:
            self.phone.errors.append(_l("Write a mobile number or an e-mail address, or both."))
            ok = False
        return ok

    def load(self, application: Application) -> None:
        applicant = application.applicant
        if applicant is not None:
            self.phone.data = applicant.phone or ""
            self.email.data = applicant.email or ""
            self.language.data = applicant.preferred_locale
        else:
            self.language.data = current_locale()
        self.share_with_club.data = application.share_contact_with_club

    def save(self, application: Application) -> None:
        from portal.applications.models import Applicant

        applicant = application.applicant
        if applicant is None:
            applicant = Applicant(household=application.household)
            application.applicant = applicant
        applicant.phone = self.normalised_phone
        applicant.email = self.email.data.lower() if self.email.data else None
        applicant.preferred_locale = self.language.data
        application.share_contact_with_club = bool(
            self.share_with_club.data
            and applicant.phone
            and application.kind is not ApplicationKind.EQUIPMENT
        )


class PostcodeForm(StepForm):
    postcode = StringField(
        _l("Postcode"),
        description=_l("4 digits, for example 7100."),
        filters=TEXT_FILTERS,
        validators=[DataRequired(message=_l("Write your postcode."))],
    )

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        if ok:
            value = ascii_digits("".join(self.postcode.data.split()))
            if not (len(value) == 4 and value.isdigit() and value.isascii()):
                self.postcode.errors.append(_l("Write the postcode with 4 digits."))
                return False
            self.postcode.data = value
        return ok

    def load(self, application: Application) -> None:
        self.postcode.data = application.household.postcode or ""

    def save(self, application: Application) -> None:
        application.household.postcode = self.postcode.data


class MessageForm(StepForm):
    message = TextAreaField(
        _l("Anything the guide should know? (optional)"),
        description=_l("For example what your child likes to do, or if you need an interpreter."),
        filters=TEXT_FILTERS,
        validators=[
            Length(max=MESSAGE_MAX, message=_l("Write at most 1000 characters.")),
        ],
    )

    def load(self, application: Application) -> None:
        self.message.data = application.message_to_guide or ""

    def save(self, application: Application) -> None:
        application.message_to_guide = self.message.data or None


#: The three kinds of application, as the family (or a guide with the family) chooses them.
KIND_CHOICES = [
    SelectChoice(
        ApplicationKind.LEISURE_PASS.value,
        _l("A leisure pass: the municipality pays the membership fee of a club"),
    ),
    SelectChoice(
        ApplicationKind.EQUIPMENT.value,
        _l("Equipment: help to buy boots, a bat or other things the activity needs"),
    ),
    SelectChoice(
        ApplicationKind.ACTIVITY_PLACE.value,
        _l("A place in an activity for girls, women or young people"),
    ),
]


class StartForm(PortalForm):
    """ "What do you need help with?" (or, from an activity's page, just that activity)."""

    kind = RadioField(
        _l("What do you need help with?"),
        choices=KIND_CHOICES,
        validators=[InputRequired(message=_l("Choose what you need help with."))],
    )
    activity = HiddenField()


class ResumeRequestForm(PortalForm):
    """ "I started an application": a new link to the phone number or e-mail given."""

    contact = StringField(
        _l("Your mobile number or e-mail"),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write the mobile number or e-mail you gave us.")),
            Length(max=254, message=_l("Write at most 254 characters.")),
        ],
    )


class ResumeCodeForm(PortalForm):
    code = StringField(
        _l("Code from the message"),
        description=_l("8 letters and digits, for example K7Q3-92XM."),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write the code from the message.")),
            Length(max=20, message=_l("The code has 8 letters and digits.")),
        ],
    )


class AnswerForm(PortalForm):
    """The family's answer to a guide's question: words, photos, or both."""

    answer = TextAreaField(
        _l("Your answer"),
        filters=TEXT_FILTERS,
        validators=[Length(max=MESSAGE_MAX, message=_l("Write at most 1000 characters."))],
    )
    files = MultipleFileField(
        _l("Photos or PDF files (if the guide asked for them)"),
        description=_l("You can choose several at once. At most 10 MB each."),
    )

    @property
    def chosen(self) -> list[Any]:
        return chosen_files(self.files)

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        if ok and not self.answer.data and not self.chosen:
            self.answer.errors.append(_l("Write your answer, or add a photo."))
            ok = False
        return ok
