"""The application's questions, one class each, in the order they are asked (``QUESTIONS``).

A question is the form on its page, and it describes itself: its ``name`` (the URL part), the
kinds of application that ask it and when it is ``needed``; when it is ``answered``; its
``heading``; how its ``answer`` reads on "check your answers", on the consent page and on the
case; how it fills itself from a draft (``load``) and writes its answer back (``save``); and its
hooks around a POST (``prepare`` before validation, ``check`` after it, ``extras`` for the
page). Adding a question is one class here, its line in ``QUESTIONS``, and its template
``templates/applications/questions/_<name>.html``.

The flow over them (which to ask next, "check your answers") is :mod:`portal.applications.steps`;
the services decide when an answer may be saved and commit.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from babel.dates import get_month_names
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from markupsafe import Markup, escape
from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)

from portal.applications import queries, rules
from portal.applications.models import (
    GENDER_LABELS,
    RELATION_LABELS,
    Applicant,
    Application,
    EquipmentItem,
    Gender,
    Participant,
    Relation,
)
from portal.applications.queries import Answer
from portal.catalogue.models import Activity, Audience
from portal.forms import (
    MESSAGE_MAX,
    NAME_MAX,
    TEXT_FILTERS,
    LocalisedIntegerField,
    PortalForm,
    ascii_digits,
    checked_contact,
    chosen_files,
    cpr_field,
    email_field,
    language_choices,
    language_field,
    phone_field,
    text_field,
)
from portal.i18n import (
    bdi,
    current_locale,
    format_day,
    format_money,
    format_phone,
    language_name,
)
from portal.people import cpr, names
from portal.workflow import ApplicationKind

_ALL = frozenset(ApplicationKind)
_PLACES = frozenset({ApplicationKind.LEISURE_PASS, ApplicationKind.ACTIVITY_PLACE})
_EQUIPMENT = frozenset({ApplicationKind.EQUIPMENT})

#: A question in the asked-anyway state: the family may send it although a rule does not fit.
ASK_ANYWAY = _l("Send the application anyway. A guide will look at it.")


class Question(PortalForm):
    """One question page. Subclasses set the class attributes and override what they need."""

    #: The URL part, and the name "check your answers" links to.
    name: ClassVar[str]
    #: The kinds of application that ask it.
    kinds: ClassVar[frozenset[ApplicationKind]]
    #: The page's question, its <h1>: ``%(name)s`` is the participant's first name and
    #: ``%(activity)s`` the activity's name (both isolated with <bdi>).
    question: ClassVar[LazyString]
    #: The page; a question with more than one form on it (a list to add to) has its own.
    template: ClassVar[str] = "applications/question.html"
    #: What htmx swaps after a POST that stays on the page (``None``: the whole page).
    fragment: ClassVar[str | None] = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: After "Add" or "Remove" the family stays on the page.
        self.stay = False
        #: The age or gender rule does not fit: offer "send it anyway".
        self.show_ask_anyway = False

    # Who is asked, and when it is answered -------------------------------------------------

    @classmethod
    def needed(cls, application: Application) -> bool:
        """Does this application need the question at all? (Its kind is checked already.)"""
        return True

    @classmethod
    def answered(cls, application: Application) -> bool:
        """Is it answered? By default: once the family has been past it."""
        from portal.applications.steps import reached

        return reached(application, cls.name)

    # What the family and the guide read ----------------------------------------------------

    @classmethod
    def heading_text(cls, application: Application) -> LazyString:
        return cls.question

    @classmethod
    def heading(cls, application: Application) -> Markup:
        """The page's question, with the participant's and the activity's names where it helps."""
        participant, activity = application.participant, application.activity
        return escape(str(cls.heading_text(application))) % {
            "name": bdi(participant.first_name if participant else ""),
            "activity": bdi(activity.text(current_locale()).name if activity else ""),
        }

    @classmethod
    def answer(cls, application: Application) -> Answer | None:
        """Its row on "check your answers" and on the case (``None``: nothing to show)."""
        return None

    @classmethod
    def extras(cls, application: Application) -> dict[str, Any]:
        """More for the page's template."""
        return {}

    # A POST ---------------------------------------------------------------------------------

    def prepare(self, application: Application) -> None:
        """What the question needs to know of the draft before it validates."""

    def check(self, application: Application) -> bool:
        """After validation: the rules that need the draft (errors go on the fields)."""
        return True

    def load(self, application: Application) -> None:
        """Fill the fields from the draft (only when the page is first shown)."""

    def save(self, application: Application) -> None:
        """Write the valid answer to the draft."""
        raise NotImplementedError


def _row(question: type[Question], label: str, text: str | Markup) -> Answer:
    return Answer(label, text, question.name)


def participant_of(application: Application) -> Participant:
    """The participant; the flow never asks about them before their name."""
    if application.participant is None:
        raise LookupError("the participant's name comes before this question")
    return application.participant


class ActivityQuestion(Question):
    """Which activity (from the catalogue, or a club that is not in it yet)."""

    name = "activity"
    kinds = _PLACES
    question = _l("Which activity should the leisure pass pay for?")
    PLACE_QUESTION = _l("Which activity do you want a place in?")
    OTHER = "other"

    activity = SelectField(
        _l("Activity"),
        validators=[DataRequired(message=_l("Choose the activity."))],
        choices=[],  # set by prepare(): the catalogue in the page's language
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

    @classmethod
    def answered(cls, application: Application) -> bool:
        return application.activity is not None or bool(application.other_club_name)

    @classmethod
    def heading_text(cls, application: Application) -> LazyString:
        if application.kind is ApplicationKind.ACTIVITY_PLACE:
            return cls.PLACE_QUESTION
        return cls.question

    @classmethod
    def answer(cls, application: Application) -> Answer:
        text = queries.activity_label(application, current_locale())
        if application.activity is None and application.other_fee_kr:
            text += " – " + _("%(amount)s a year", amount=format_money(application.other_fee_kr))
        return _row(cls, _("Activity"), text)

    def prepare(self, application: Application) -> None:
        catalogue = queries.activity_choices(application.kind, current_locale())
        self.activity.choices = [
            SelectChoice("", _l("Choose an activity")),
            *(SelectChoice(slug, label) for slug, label in catalogue),
        ]
        if application.kind is ApplicationKind.LEISURE_PASS:
            self.activity.choices.append(
                SelectChoice(self.OTHER, _l("The club is not in the list"))
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
        if self.activity.data == self.OTHER:
            application.activity = None
            application.other_club_name = self.other_club_name.data
            application.other_activity_name = self.other_activity_name.data
            application.other_fee_kr = self.other_fee_kr.data
        else:
            application.activity = queries.activity_by_slug(self.activity.data)
            application.other_club_name = None
            application.other_activity_name = None
            application.other_fee_kr = None


class EligibilityQuestion(Question):
    """Equipment support is for people who hold a leisure pass or take part in a municipal
    activity."""

    name = "eligibility"
    kinds = _EQUIPMENT
    question = _l("Does the person have a leisure pass?")

    has_pass = RadioField(
        _l("Does the person have a leisure pass, or an activity the municipality pays for?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=[InputRequired(message=_l("Choose yes or no."))],
    )

    @classmethod
    def answer(cls, application: Application) -> Answer:
        return _row(cls, _("Has a leisure pass"), _("Yes"))

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


class ParticipantQuestion(Question):
    name = "participant"
    kinds = _ALL
    question = _l("Who is the application for?")

    first_name = text_field(_l("First name"), most=NAME_MAX, required=_l("Write the first name."))
    last_name = text_field(_l("Last name"), most=NAME_MAX, required=_l("Write the last name."))

    @classmethod
    def answered(cls, application: Application) -> bool:
        return application.participant is not None and bool(application.participant.first_name)

    @classmethod
    def answer(cls, application: Application) -> Answer | None:
        participant = application.participant
        if participant is None:
            return None
        return _row(cls, _("Name"), bdi(f"{participant.first_name} {participant.last_name}"))

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
        if (participant.first_name, participant.last_name) != (
            self.first_name.data,
            self.last_name.data,
        ):
            # Another name: its Latin spelling is asked again (when it is not in Latin letters).
            participant.latin_first_name = participant.latin_last_name = None
        participant.first_name = self.first_name.data
        participant.last_name = self.last_name.data


def _in_latin_letters(form: Any, field: Any) -> None:
    if field.data and not names.is_latin(field.data):
        raise StopValidation(_l("Use Latin letters (A to Z), as on the health card."))


class LatinNameQuestion(Question):
    """The name in Latin letters, asked only when it is written in another script: clubs,
    finance and the guides' search use it. The portal's transliteration is a suggestion."""

    name = "latin-name"
    kinds = _ALL
    question = _l("How is %(name)s spelled in Latin letters?")

    latin_first_name = text_field(
        _l("First name in Latin letters"),
        most=NAME_MAX,
        required=_l("Write the first name in Latin letters."),
        validators=[_in_latin_letters],
    )
    latin_last_name = text_field(
        _l("Last name in Latin letters"),
        most=NAME_MAX,
        required=_l("Write the last name in Latin letters."),
        validators=[_in_latin_letters],
    )

    @classmethod
    def needed(cls, application: Application) -> bool:
        participant = application.participant
        return participant is not None and not names.is_latin(participant.name)

    @classmethod
    def answered(cls, application: Application) -> bool:
        participant = application.participant
        return bool(participant and participant.latin_first_name and participant.latin_last_name)

    @classmethod
    def answer(cls, application: Application) -> Answer | None:
        participant = application.participant
        if participant is None or not participant.latin_first_name:
            return None
        return _row(cls, _("Name in Latin letters"), bdi(participant.latin_name))

    def load(self, application: Application) -> None:
        participant = participant_of(application)
        self.latin_first_name.data = participant.latin_first_name or names.latin_suggestion(
            participant.first_name
        )
        self.latin_last_name.data = participant.latin_last_name or names.latin_suggestion(
            participant.last_name
        )

    def save(self, application: Application) -> None:
        participant = participant_of(application)
        participant.latin_first_name = self.latin_first_name.data
        participant.latin_last_name = self.latin_last_name.data


def month_choices() -> list[SelectChoice]:
    names = get_month_names("wide", context="stand-alone", locale=current_locale())
    return [SelectChoice("", _l("Month"))] + [
        SelectChoice(str(n), str(names[n])[:1].upper() + str(names[n])[1:]) for n in range(1, 13)
    ]


def age_rule_message(activity: Activity, born: date) -> str:
    name = activity.text(current_locale()).name
    age = rules.age_on(born, date.today())
    if activity.max_age >= 99:
        return str(
            _(
                "%(activity)s is for people aged %(min)s and over. By this date of birth, the "
                "person is %(age)s.",
                activity=name,
                min=activity.min_age,
                age=age,
            )
        )
    return str(
        _(
            "%(activity)s is for ages %(min)s to %(max)s. By this date of birth, the person is "
            "%(age)s.",
            activity=name,
            min=activity.min_age,
            max=activity.max_age,
            age=age,
        )
    )


def _ask_anyway(form: Question, fits: bool, field: Any, message: str) -> bool:
    """A rule that does not fit is an error, unless the family ticked "send it anyway"."""
    if fits:
        form.ask_anyway.data = False
        return True
    form.show_ask_anyway = True
    if form.ask_anyway.data:
        return True
    field.errors.append(message)
    return False


class BirthDateQuestion(Question):
    """Three fields (day, month by name, year): easier on a phone than a date picker."""

    name = "birth-date"
    kinds = _ALL
    question = _l("When was %(name)s born?")

    day = LocalisedIntegerField(
        _l("Day"), validators=[Optional()], invalid_message=_l("Write the day as a number.")
    )
    month = SelectField(_l("Month"), choices=[], validators=[Optional()])
    year = LocalisedIntegerField(
        _l("Year"), validators=[Optional()], invalid_message=_l("Write the year as a number.")
    )
    #: Shown only when the age does not fit the activity.
    ask_anyway = BooleanField(ASK_ANYWAY)
    #: Optional: it finds the child's earlier applications for certain. Kept only as a hash.
    cpr_number = cpr_field(
        _l("CPR number (you can leave it out)"),
        description=_l("It helps us find the child's earlier applications. 10 digits."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.month.choices = month_choices()
        self.birth_on: date | None = None
        self.cpr: cpr.Cpr | None = None

    @classmethod
    def answered(cls, application: Application) -> bool:
        """Answered, and either the age fits the activity or the family chose to ask anyway
        (after a change of activity the question is asked again)."""
        participant, activity = application.participant, application.activity
        if participant is None or participant.birth_on is None:
            return False
        return (
            activity is None
            or application.age_exception
            or rules.age_fits(activity, participant.birth_on)
        )

    @classmethod
    def answer(cls, application: Application) -> Answer | None:
        participant = application.participant
        if participant is None or participant.birth_on is None:
            return None
        text = format_day(participant.birth_on)
        if application.age_exception:
            text += " – " + _("the age does not fit; a guide will look at it")
        if participant.cpr_birth:
            text += " – " + _("CPR number %(masked)s", masked=cpr.masked(participant.cpr_birth))
        return _row(cls, _("Date of birth"), text)

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
        if self.cpr_number.data:
            self.cpr = cpr.parse(self.cpr_number.data)
            if self.cpr is None or not cpr.fits(self.cpr, born):
                self.cpr_number.errors.append(
                    _l("The first 6 digits must be the date of birth (day, month, year).")
                )
                return False
        return True

    def check(self, application: Application) -> bool:
        """The activity's age rule; the family may ask anyway (the guide decides)."""
        activity = application.activity
        if activity is None or self.birth_on is None:
            return True
        fits = rules.age_fits(activity, self.birth_on)
        return _ask_anyway(self, fits, self.day, age_rule_message(activity, self.birth_on))

    def load(self, application: Application) -> None:
        if application.participant is not None and application.participant.birth_on:
            born = application.participant.birth_on
            self.day.data, self.month.data, self.year.data = born.day, str(born.month), born.year
            self.ask_anyway.data = application.age_exception
            self.show_ask_anyway = bool(self.ask_anyway.data)

    def save(self, application: Application) -> None:
        participant = participant_of(application)
        if participant.birth_on != self.birth_on and self.cpr is None:
            participant.cpr_hash = participant.cpr_birth = None  # it was another date's number
        participant.birth_on = self.birth_on
        if self.cpr is not None:
            participant.cpr_hash, participant.cpr_birth = self.cpr.hashed(), self.cpr.birth_part
        application.age_exception = bool(self.ask_anyway.data)


class GenderQuestion(Question):
    """Asked only for an activity that is for girls, boys, women or men."""

    name = "gender"
    kinds = _PLACES
    question = _l("Is %(name)s a girl or woman, or a boy or man?")

    gender = RadioField(
        _l("Gender"),
        choices=[SelectChoice(gender.value, label) for gender, label in GENDER_LABELS.items()],
        validators=[InputRequired(message=_l("Choose one of the options."))],
    )
    ask_anyway = BooleanField(ASK_ANYWAY)

    @classmethod
    def needed(cls, application: Application) -> bool:
        activity = application.activity
        return activity is not None and activity.audience is not Audience.ANYONE

    @classmethod
    def answered(cls, application: Application) -> bool:
        participant, activity = application.participant, application.activity
        if participant is None or participant.gender is None:
            return False
        return (
            activity is None
            or application.gender_exception
            or rules.gender_fits(activity, participant.gender)
        )

    @classmethod
    def answer(cls, application: Application) -> Answer | None:
        participant = application.participant
        if participant is None or participant.gender is None:
            return None
        return _row(cls, _("Gender"), str(GENDER_LABELS[participant.gender]))

    def check(self, application: Application) -> bool:
        """The activity's audience; the family may ask anyway (the guide decides)."""
        activity = application.activity
        if activity is None or not self.gender.data:
            return True
        fits = rules.gender_fits(activity, Gender(self.gender.data))
        if activity.audience in (Audience.GIRLS, Audience.WOMEN):
            message = _("%(activity)s is for girls and women.", activity=_name(activity))
        else:
            message = _("%(activity)s is for boys and men.", activity=_name(activity))
        return _ask_anyway(self, fits, self.gender, str(message))

    def load(self, application: Application) -> None:
        if application.participant is not None and application.participant.gender:
            self.gender.data = application.participant.gender.value
            self.ask_anyway.data = application.gender_exception
            self.show_ask_anyway = bool(self.ask_anyway.data)

    def save(self, application: Application) -> None:
        participant_of(application).gender = Gender(self.gender.data)
        application.gender_exception = bool(self.ask_anyway.data)


def _name(activity: Activity) -> str:
    return activity.text(current_locale()).name


class WaitingListQuestion(Question):
    """Asked only when the activity is full: the family accepts a place on its waiting list."""

    name = "waiting-list"
    kinds = _PLACES
    question = _l("%(activity)s is full right now")

    accept = BooleanField(
        _l("Yes, put us on the waiting list"),
        validators=[InputRequired(message=_l("Tick the box to go on the waiting list."))],
    )

    @classmethod
    def needed(cls, application: Application) -> bool:
        return application.activity is not None and rules.activity_is_full(application.activity)

    @classmethod
    def answered(cls, application: Application) -> bool:
        return application.waiting_list_ok

    @classmethod
    def answer(cls, application: Application) -> Answer:
        return _row(cls, _("Waiting list"), _("Yes, put us on the waiting list"))

    def load(self, application: Application) -> None:
        self.accept.data = application.waiting_list_ok

    def save(self, application: Application) -> None:
        application.waiting_list_ok = True


#: Things on one equipment application.
MAX_ITEMS = 10


class ItemsQuestion(Question):
    """The things to buy, added one at a time: "Add to the list", then "Continue".

    "Continue" with nothing on the list is an error, and an item typed but not added is added
    on the way.
    """

    name = "items"
    kinds = _EQUIPMENT
    question = _l("What does %(name)s need?")
    template = "applications/items.html"
    ADD, CONTINUE = "add", "continue"

    description = text_field(
        _l("What is it?"),
        most=160,
        description=_l("For example football boots, a cricket bat or a headset."),
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

    @classmethod
    def answered(cls, application: Application) -> bool:
        return bool(application.items)

    @classmethod
    def answer(cls, application: Application) -> Answer | None:
        if not application.items:
            return None
        return _row(cls, _("What you need"), _items_answer(application))

    @classmethod
    def extras(cls, application: Application) -> dict[str, Any]:
        return {
            "total": queries.equipment_total(application),
            "cap": queries.equipment_cap(),
        }

    def prepare(self, application: Application) -> None:
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


def _items_answer(application: Application) -> Markup:
    """Each thing and its price, then the total (and what the cap leaves of it)."""
    lines = [
        Markup("<bdi>{}</bdi>: {}").format(item.description, format_money(item.price_kr))
        for item in application.items
    ]
    total, cap = queries.equipment_total(application), queries.equipment_cap()
    lines.append(
        Markup("<strong>{}</strong>").format(_("Total: %(amount)s", amount=format_money(total)))
    )
    if cap is not None and total > cap:
        lines.append(
            Markup("{}").format(_("You can get at most %(amount)s", amount=format_money(cap)))
        )
    return Markup("<br>").join(lines)


class PaidQuestion(Question):
    name = "paid"
    kinds = _EQUIPMENT
    question = _l("Have you already bought it?")

    already_paid = RadioField(
        _l("Have you already bought it?"),
        choices=[
            SelectChoice("paid", _l("Yes, I have paid. I want the money back.")),
            SelectChoice("help", _l("No, I need help to buy it.")),
        ],
        validators=[InputRequired(message=_l("Choose one of the options."))],
    )

    @classmethod
    def answered(cls, application: Application) -> bool:
        return application.already_paid is not None

    @classmethod
    def answer(cls, application: Application) -> Answer | None:
        if application.already_paid is None:
            return None
        text = (
            _("Already paid: you want the money back")
            if application.already_paid
            else _("Not bought yet: you need help to buy it")
        )
        return _row(cls, _("Paid"), text)

    def load(self, application: Application) -> None:
        if application.already_paid is not None:
            self.already_paid.data = "paid" if application.already_paid else "help"

    def save(self, application: Application) -> None:
        application.already_paid = self.already_paid.data == "paid"


class ReceiptsQuestion(Question):
    """Photos of the receipt (a refund needs one) or of the price; several at once. After a
    photo is chosen, htmx sends it at once and swaps in the list with its preview."""

    name = "receipts"
    kinds = _EQUIPMENT
    question = _l("Add a photo of the receipt")
    PRICE_QUESTION = _l("Add a photo of the price (if you have one)")
    template = "applications/receipts.html"
    fragment = "applications/questions/_receipts_list.html"
    UPLOAD, CONTINUE = "upload", "continue"

    files = MultipleFileField(_l("Choose photos or PDF files"))
    action = HiddenField()
    remove = HiddenField()  # an upload's token, from its own small "Remove" form

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs_receipt = False
        self.uploads_count = 0

    @classmethod
    def answered(cls, application: Application) -> bool:
        """A refund needs a photo of the receipt; for help to buy, a photo of the price is
        welcome but not needed (answered once the family has been past the page)."""
        if application.already_paid:
            return bool(application.uploads)
        return super().answered(application)

    @classmethod
    def heading_text(cls, application: Application) -> LazyString:
        return cls.question if application.already_paid else cls.PRICE_QUESTION

    @classmethod
    def answer(cls, application: Application) -> Answer:
        names = [Markup("<bdi>{}</bdi>").format(u.original_name) for u in application.uploads]
        text = Markup("<br>").join(names) if names else _("No photos")
        return _row(cls, _("Photos and files"), text)

    @property
    def chosen(self) -> list[Any]:
        return chosen_files(self.files)

    def prepare(self, application: Application) -> None:
        self.needs_receipt = bool(application.already_paid)
        self.uploads_count = len(application.uploads)

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

    def check(self, application: Application) -> bool:
        """The photos chosen are kept at once; a refused one is an error on the field."""
        from portal.applications import services, uploads  # (services use the flow)

        if self.remove.data:
            services.remove_upload(application, self.remove.data)
        refused = services.add_uploads(application, self.chosen)
        for file, error in refused:
            self.files.errors.append(uploads.error_message(error, file.filename))
        self.prepare(application)
        return not refused

    def save(self, application: Application) -> None:
        """The files are stored by ``check``; nothing else to keep."""


class RelationQuestion(Question):
    name = "relation"
    kinds = _ALL
    question = _l("Who are you to %(name)s?")

    relation = RadioField(
        _l("Who are you?"),
        choices=[
            SelectChoice(relation.value, label) for relation, label in RELATION_LABELS.items()
        ],
        validators=[InputRequired(message=_l("Choose one of the options."))],
    )

    @classmethod
    def answered(cls, application: Application) -> bool:
        return application.relation is not None

    @classmethod
    def answer(cls, application: Application) -> Answer | None:
        if application.relation is None:
            return None
        return _row(cls, _("Who you are"), str(RELATION_LABELS[application.relation]))

    def load(self, application: Application) -> None:
        if application.relation is not None:
            self.relation.data = application.relation.value

    def save(self, application: Application) -> None:
        application.relation = Relation(self.relation.data)


class ContactQuestion(Question):
    """A phone number or an e-mail (the first one given gets the resume link), the language
    of the messages, and for a club place whether the club may call about the start."""

    name = "contact"
    kinds = _ALL
    question = _l("How can we reach you?")

    phone = phone_field(_l("Mobile number"), _l("For example 20 12 34 56 or +45 20 12 34 56."))
    email = email_field(required=False)
    language = language_field(_l("Which language should we write to you in?"))
    #: Asked for a club place only: the club sees the number only if the family says yes.
    share_with_club = BooleanField(_l("The club may call this number about the start"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()
        self.normalised_phone: str | None = None
        self.asks_about_club = False

    @classmethod
    def answered(cls, application: Application) -> bool:
        applicant = application.applicant
        return applicant is not None and bool(applicant.phone or applicant.email)

    @classmethod
    def answer(cls, application: Application) -> Answer | None:
        applicant = application.applicant
        if applicant is None:
            return None
        parts = [
            Markup('<span dir="ltr">{}</span>').format(value)
            for value in (format_phone(applicant.phone), applicant.email)
            if value
        ]
        language = language_name(applicant.preferred_locale)
        lines = [*parts, Markup("{}: {}").format(_("Messages in"), language)]
        if application.share_contact_with_club:
            lines.append(_("The club may call about the start"))
        return _row(cls, _("Contact"), Markup("<br>").join(lines))

    def prepare(self, application: Application) -> None:
        self.asks_about_club = application.kind is not ApplicationKind.EQUIPMENT

    def validate(self, extra_validators: Any = None) -> bool:
        ok: bool = super().validate(extra_validators)
        ok = checked_contact(self) and ok
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


class PostcodeQuestion(Question):
    name = "postcode"
    kinds = _ALL
    question = _l("What is your postcode?")

    postcode = StringField(
        _l("Postcode"),
        description=_l("4 digits, for example 7100."),
        filters=TEXT_FILTERS,
        validators=[DataRequired(message=_l("Write your postcode."))],
    )

    @classmethod
    def answered(cls, application: Application) -> bool:
        return bool(application.household.postcode)

    @classmethod
    def answer(cls, application: Application) -> Answer:
        return _row(cls, _("Postcode"), application.household.postcode or "")

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


class MessageQuestion(Question):
    name = "message"
    kinds = _ALL
    question = _l("Is there anything the guide should know?")

    message = text_field(
        _l("Anything the guide should know? (optional)"),
        most=MESSAGE_MAX,
        description=_l("For example what your child likes to do, or if you need an interpreter."),
        area=True,
    )

    @classmethod
    def answer(cls, application: Application) -> Answer:
        return _row(cls, _("Message to the guide"), application.message_to_guide or _("No message"))

    def load(self, application: Application) -> None:
        self.message.data = application.message_to_guide or ""

    def save(self, application: Application) -> None:
        application.message_to_guide = self.message.data or None


#: Every question, in the order asked. The three kinds share one flow; a question is asked only
#: when the decision needs it (gender only for an activity for girls, boys, women or men; the
#: waiting list only when it is full).
QUESTIONS: tuple[type[Question], ...] = (
    ActivityQuestion,
    EligibilityQuestion,
    ParticipantQuestion,
    LatinNameQuestion,
    BirthDateQuestion,
    GenderQuestion,
    WaitingListQuestion,
    ItemsQuestion,
    PaidQuestion,
    ReceiptsQuestion,
    RelationQuestion,
    ContactQuestion,
    PostcodeQuestion,
    MessageQuestion,
)
