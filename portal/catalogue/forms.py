"""The catalogue's filter form (a GET form: shareable, works without JavaScript)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Form, IntegerField, SelectChoice, SelectField, SelectMultipleField
from wtforms.validators import NumberRange, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from portal.catalogue.models import Audience

#: Who the family is looking for; "anyone" activities match every choice.
WHO_CHOICES = [
    SelectChoice("", _l("Everyone")),
    SelectChoice(Audience.GIRLS.value, _l("A girl")),
    SelectChoice(Audience.BOYS.value, _l("A boy")),
    SelectChoice(Audience.WOMEN.value, _l("A woman")),
    SelectChoice(Audience.MEN.value, _l("A man")),
]


class LocalisedIntegerField(IntegerField):
    """Whole numbers typed with Arabic-Indic digits or spaces are understood too."""

    def __init__(self, *args: Any, invalid_message: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Write a whole number, for example 11.")

    def pre_validate(self, form: Any) -> None:
        # A number we could not read has its message already; checking its range would add a
        # second, confusing one.
        if self.process_errors:
            raise StopValidation()

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist:
            valuelist = ["".join(str(valuelist[0]).split())]
            if not valuelist[0]:
                self.data = None
                return
            try:
                # int() reads any Unicode decimal digits. Nine digits is plenty for anything we
                # ask; longer numbers would overflow WTForms' NumberRange (it calls isnan).
                if len(valuelist[0].lstrip("+-")) > 9:
                    raise ValueError(valuelist[0])
                self.data = int(valuelist[0])
            except ValueError:
                self.data = None
                raise ValueError(str(self.invalid_message)) from None


class ActivityFilterForm(Form):
    """Filters for the activity list. Invalid values are reported and then ignored."""

    age = LocalisedIntegerField(
        _l("Age in years"),
        validators=[
            Optional(),
            NumberRange(min=0, max=120, message=_l("Write an age between 0 and 120.")),
        ],
        invalid_message=_l("Write the age as a whole number, for example 11."),
    )
    who = SelectField(_l("Who is it for?"), choices=WHO_CHOICES, default="")
    day = SelectMultipleField(
        _l("Days"),
        coerce=int,
        choices=[],  # weekday names in the page's language, set per request
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )
    area = SelectField(_l("Area"), default="")

    class Meta:
        def get_translations(self, form: Any) -> Any:
            return _Messages()


class _Messages:
    """WTForms has no Danish catalogue: its few built-in messages go through ours instead."""

    _known = {
        "Not a valid choice.": _l("Choose one of the options."),
        "Invalid choice(s): one or more data inputs could not be coerced.": _l(
            "Choose one of the options."
        ),
    }

    def gettext(self, string: str) -> str:
        return str(self._known.get(string, _l("Check this field.")))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)
