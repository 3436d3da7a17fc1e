"""The guide's "apply with a family" form and the family's yes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField
from wtforms.validators import InputRequired

from portal.applications.forms import KIND_CHOICES
from portal.forms import PortalForm


class AssistStartForm(PortalForm):
    language = RadioField(
        _l("The family's language"),
        description=_l("The questions are shown in this language, and so are the messages."),
        choices=[],  # the portal's languages, set by the view
        validators=[InputRequired(message=_l("Choose the family's language."))],
    )
    kind = RadioField(
        _l("What does the family need help with?"),
        choices=KIND_CHOICES,
        validators=[InputRequired(message=_l("Choose what the family needs help with."))],
    )


class ConsentForm(PortalForm):
    #: The digest of the answers the family was shown (``services.fingerprint``).
    seen = HiddenField()
