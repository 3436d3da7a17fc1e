"""The family's forms around the questions: what to apply for, resuming a draft, and the
answer to a guide's question. The questions themselves are :mod:`portal.applications.questions`;
the shared pieces are :mod:`portal.forms`.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, RadioField, SelectChoice
from wtforms.validators import InputRequired

from portal.forms import MESSAGE_MAX, PortalForm, chosen_files, contact_field, text_field
from portal.workflow import ApplicationKind

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

    contact = contact_field(required=_l("Write the mobile number or e-mail you gave us."))


class ResumeCodeForm(PortalForm):
    code = text_field(
        _l("Code from the message"),
        most=20,
        required=_l("Write the code from the message."),
        description=_l("8 letters and digits, for example K7Q3-92XM."),
    )


class AnswerForm(PortalForm):
    """The family's answer to a guide's question: words, photos, or both."""

    answer = text_field(_l("Your answer"), most=MESSAGE_MAX, area=True)
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
