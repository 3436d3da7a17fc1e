"""The sign-in forms, and the administrator's invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectChoice, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from portal.auth.models import Role
from portal.auth.services import MIN_PASSWORD
from portal.forms import PortalForm, contact_field, email_field, name_field, text_field, too_long


class SignInForm(PortalForm):
    email = email_field()
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(message=_l("Write your password.")),
            Length(max=1024, message=too_long(1024)),
        ],
    )
    next = HiddenField()


class CodeForm(PortalForm):
    code = text_field(
        _l("Code"),
        most=20,
        required=_l("Write the code."),
        description=_l("The 6 digits from your authenticator app, or one of your recovery codes."),
    )


class SetupForm(PortalForm):
    code = text_field(
        _l("The 6 digits the app shows"), most=20, required=_l("Write the 6 digits from the app.")
    )


class InviteForm(PortalForm):
    name = name_field()
    email = email_field()
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(Role.GUIDE.value, _l("Guide")),
            SelectChoice(Role.ADMIN.value, _l("Administrator")),
        ],
        validators=[DataRequired(message=_l("Choose a role."))],
    )


class NewPasswordForm(PortalForm):
    password = PasswordField(
        _l("Choose a password"),
        description=_l("At least 12 characters. A few words in a row are easy to remember."),
        validators=[
            DataRequired(message=_l("Write a password.")),
            Length(min=MIN_PASSWORD, max=1024, message=_l("Write at least 12 characters.")),
        ],
    )
    repeat = PasswordField(
        _l("The same password again"),
        validators=[EqualTo("password", message=_l("The two passwords are not the same."))],
    )


class SignInLinkForm(PortalForm):
    """A club contact asks for a sign-in link."""

    contact = contact_field(
        required=_l("Write your mobile number or e-mail."),
        description=_l("The one the municipality has for you. We send the link there."),
    )
