"""The sign-in forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from portal.applications.forms import TEXT_FILTERS, PortalForm


class SignInForm(PortalForm):
    email = StringField(
        _l("E-mail"),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write your e-mail address.")),
            Length(max=254, message=_l("Write at most 254 characters.")),
        ],
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Write your password.")),
            Length(max=1024, message=_l("Write at most 1024 characters.")),
        ],
    )
    next = HiddenField()


class CodeForm(PortalForm):
    code = StringField(
        _l("Code"),
        description=_l("The 6 digits from your authenticator app, or one of your recovery codes."),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write the code.")),
            Length(max=20, message=_l("The code has 6 digits, or 8 letters and digits.")),
        ],
    )


class SetupForm(PortalForm):
    code = StringField(
        _l("The 6 digits the app shows"),
        filters=TEXT_FILTERS,
        validators=[
            DataRequired(message=_l("Write the 6 digits from the app.")),
            Length(max=20, message=_l("The code has 6 digits.")),
        ],
    )
