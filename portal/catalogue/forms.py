"""The catalogue's filter form (a GET form: shareable, works without JavaScript)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectChoice, SelectField, SelectMultipleField
from wtforms.validators import NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.catalogue.models import Audience
from portal.forms import LocalisedIntegerField, TranslatedMeta

#: Who the family is looking for; "anyone" activities match every choice.
WHO_CHOICES = [
    SelectChoice("", _l("Everyone")),
    SelectChoice(Audience.GIRLS.value, _l("A girl")),
    SelectChoice(Audience.BOYS.value, _l("A boy")),
    SelectChoice(Audience.WOMEN.value, _l("A woman")),
    SelectChoice(Audience.MEN.value, _l("A man")),
]


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

    class Meta(TranslatedMeta):
        pass
