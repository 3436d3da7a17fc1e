"""The administrators' forms. A text a family reads (a reason, a scheme's name) is asked for in
every language the portal offers, and each one is required."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Regexp

from portal.forms import (
    MESSAGE_MAX,
    LocalisedIntegerField,
    PortalForm,
    kroner_field,
    naming_the_language,
    text_field,
)
from portal.i18n import locale_info
from portal.schemes.models import SchemeKind


def _budget_fields() -> tuple[LocalisedIntegerField, LocalisedIntegerField]:
    """The pool and the cap per person (new fields each call: a form lists its fields in the
    order they were made, so a longer form can put them last)."""
    pool = kroner_field(
        _l("Pool for the year, in kroner"),
        required=_l("Write the pool."),
        least=0,
        most=100_000_000,
    )
    cap = kroner_field(_l("Most per person in the year, in kroner"), required=_l("Write the cap."))
    return pool, cap


class PoolForm(PortalForm):
    """A scheme's budget for a year: the pool and the cap per person."""

    pool_kr, cap_per_person_kr = _budget_fields()


def _in_every_language(
    form: type[PortalForm],
    name: str,
    locales: Sequence[str],
    message: LazyString,
    most: int,
) -> None:
    """One required text field per language (``<name>_<locale>``), labelled in that language."""
    for code in locales:
        required = naming_the_language(message, code)
        field = text_field(locale_info(code).endonym, most=most, required=required, area=True)
        setattr(form, f"{name}_{code}", field)


def reason_form(locales: Sequence[str]) -> type[PortalForm]:
    """A new decline reason, with its text in every language the portal offers (each one
    required: a family must get the reason in its own language)."""

    class ReasonForm(PortalForm):
        pass

    _in_every_language(
        ReasonForm,
        "text",
        locales,
        _l("Write the reason in %(language)s too."),
        MESSAGE_MAX,
    )
    return ReasonForm


def criterion_form(locales: Sequence[str]) -> type[PortalForm]:
    """A scheme's success criterion: how many persons it should help in the year, and the
    sentence the report shows, in every language (the committee's report is in Danish; a guide
    may read the portal in Arabic or English)."""

    class CriterionForm(PortalForm):
        target_people = LocalisedIntegerField(
            _l("Persons to help in the year"),
            description=_l("The number the report counts against: persons, not applications."),
            validators=[
                InputRequired(message=_l("Write how many persons.")),
                NumberRange(min=1, max=1_000_000, message=_l("Write a whole number of persons.")),
            ],
            invalid_message=_l("Write a whole number of persons."),
        )

    _in_every_language(
        CriterionForm,
        "criterion",
        locales,
        _l("Write the success criterion in %(language)s too."),
        300,
    )
    return CriterionForm


SCHEME_KIND_LABELS = {
    SchemeKind.LEISURE_PASS: _l("Leisure pass (a club's membership fee)"),
    SchemeKind.EQUIPMENT: _l("Equipment"),
    SchemeKind.TARGETED_ACTIVITY: _l("Activity the municipality co-funds"),
}


def scheme_form(locales: Sequence[str]) -> type[PortalForm]:
    """A new scheme: its kind, the letters its references start with, its name and description
    in every language, and this year's pool and cap."""

    class SchemeForm(PortalForm):
        kind = SelectField(
            _l("Kind of support"),
            choices=[SelectChoice(kind.value, label) for kind, label in SCHEME_KIND_LABELS.items()],
            validators=[DataRequired(message=_l("Choose the kind of support."))],
        )
        prefix = StringField(
            _l("Two letters the references start with"),
            description=_l("For example FP for leisure pass: FP-7K3Q-92."),
            filters=[lambda value: (value or "").strip().upper()],
            validators=[
                DataRequired(message=_l("Write two letters.")),
                Regexp(r"^[A-Z]{2}$", message=_l("Write two letters from A to Z.")),
            ],
        )

    _in_every_language(
        SchemeForm,
        "name",
        locales,
        _l("Write the name in %(language)s too."),
        160,
    )
    _in_every_language(
        SchemeForm,
        "description",
        locales,
        _l("Write the description in %(language)s too."),
        MESSAGE_MAX,
    )
    SchemeForm.pool_kr, SchemeForm.cap_per_person_kr = _budget_fields()
    return SchemeForm
