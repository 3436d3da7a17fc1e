"""The form kit every domain uses: the base form, text filters, checked phone numbers and
e-mail addresses, whole kroner, names and languages — numbers in any script, and WTForms' own
messages translated. A domain's ``forms.py`` builds its forms from these pieces."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import Field, IntegerField, RadioField, SelectChoice, StringField, TextAreaField
from wtforms.meta import DefaultMeta
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    StopValidation,
    ValidationError,
)

#: Longest names and free text we keep (the columns are this long).
NAME_MAX = 80
MESSAGE_MAX = 1000
#: Something that looks like an e-mail address; the real test is that the message arrives.
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def _shown(ch: str) -> bool:
    code = ord(ch)
    if ch in "\t\n":
        return True
    if unicodedata.category(ch) in ("Cc", "Cs"):  # C0/C1 controls, lone surrogates
        return False
    return not (0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE)  # noncharacters


def printable(value: str) -> str:
    """``value`` without NUL, other control characters and Unicode noncharacters (tabs and
    newlines stay): they have no place in a form answer, and HTML cannot show them."""
    return "".join(ch for ch in value if _shown(ch))


def unprintable(value: str, *, lines: bool = False) -> bool:
    """``value`` holds a character no visitor types: NUL and other controls, a lone surrogate,
    a noncharacter (with ``lines``, tabs and newlines are allowed: a text area's)."""
    breaks = "\t\n\r"  # (browsers send a text area's line breaks as CR LF)
    return any((ch not in breaks or not lines) and (not _shown(ch) or ch in breaks) for ch in value)


#: Bidirectional overrides and isolates: in a name they could reorder a staff page (SEC-31).
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def one_line(value: Any) -> Any:
    """A one-line field's answer with its tabs and line breaks (a paste) folded into spaces,
    and without bidirectional controls (SEC-31)."""
    return " ".join(value.translate(BIDI_CONTROLS).split()) if isinstance(value, str) else value


def ascii_digits(value: str) -> str:
    """``"٠٤٥"`` → ``"045"``; other characters are left as they are."""
    return "".join(str(int(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in value)


def language_name(code: str) -> LazyString:
    """``ar`` named in the page's language ("arabisk" on a Danish page), when shown."""
    from portal import i18n

    return LazyString(lambda: i18n.language_name(code))


def naming_the_language(message: LazyString, code: str) -> LazyString:
    """``message`` with its ``%(language)s`` filled in with ``code``'s name, when shown."""
    return LazyString(lambda: str(message) % {"language": language_name(code)})


class LocalisedIntegerField(IntegerField):
    """Whole numbers typed with Arabic-Indic digits or spaces are understood too."""

    def __init__(self, *args: Any, invalid_message: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invalid_message = invalid_message or _l("Write a whole number, for example 11.")

    def _value(self) -> str:
        # What the family typed is shown again with the error, minus control characters.
        return printable(str(super()._value()))

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


class TranslatedMeta(DefaultMeta):
    """Use as (or subclass into) a form's ``Meta`` so built-in messages are in our catalogue."""

    def get_translations(self, form: Any) -> Any:
        return _Messages()


class PortalForm(FlaskForm):
    """A posted form: CSRF from Flask-WTF, WTForms' own messages from our catalogues."""

    class Meta(TranslatedMeta):
        pass


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _no_control_characters(value: Any) -> Any:
    return printable(value) if isinstance(value, str) else value


#: Every text field's filters: no control characters, no surrounding spaces.
TEXT_FILTERS = (_no_control_characters, _strip)


def chosen_files(field: MultipleFileField) -> list[Any]:
    """The files sent with this request (an empty file input sends one nameless part)."""
    return [file for file in field.data or [] if getattr(file, "filename", None)]


# Text ---------------------------------------------------------------------------------------


def too_long(most: int) -> LazyString:
    """ "Write at most N characters.", in the page's language (with the plural N needs)."""
    return _ln("Write at most %(num)s character.", "Write at most %(num)s characters.", most)


def text_field(
    label: Any,
    *,
    most: int,
    required: Any = None,
    description: Any = None,
    area: bool = False,
    validators: tuple[Any, ...] | list[Any] = (),
) -> StringField:
    """A line of text (``area``: several lines) of at most ``most`` characters, filtered;
    ``required`` is the message when it is left empty (else it is optional); ``validators``
    check it after that."""
    length = Length(max=most, message=too_long(most)) if area else TrimmedTo(most)
    checks: list[Any] = [length, *validators]
    if required is not None:
        checks.insert(0, DataRequired(message=required))
    if area:
        return TextAreaField(
            label, description=description, filters=TEXT_FILTERS, validators=checks
        )
    return StringField(
        label, description=description, filters=(*TEXT_FILTERS, one_line), validators=checks
    )


class TrimmedTo(Length):
    """A line longer than ``most`` is refused with "Write at most N characters" and comes back
    cut to N, so the field holds what would be accepted (a text area keeps all of it: there
    the rest of what was written must not be lost)."""

    def __init__(self, most: int) -> None:
        super().__init__(max=most, message=too_long(most))

    def __call__(self, form: Any, field: Any) -> None:
        try:
            super().__call__(form, field)
        except ValidationError:
            field.data = (field.data or "")[: self.max]
            raise


# Phone numbers and e-mail addresses ---------------------------------------------------------


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


def checked_contact(form: Any) -> bool:
    """A form's ``email`` and ``phone`` fields checked; the number, as E.164, is kept in
    ``form.normalised_phone``."""
    ok = checked_email(form.email)
    form.normalised_phone = checked_phone(form.phone)
    return ok and not (form.phone.data and form.normalised_phone is None)


def phone_field(label: Any, description: Any = None) -> StringField:
    """A mobile number (optional; read by ``checked_phone``)."""
    return text_field(label, most=40, description=description)


def email_field(label: Any = None, *, required: bool = True) -> StringField:
    """An e-mail address (read by ``checked_email``); required unless told otherwise."""
    message = _l("Write your e-mail address.") if required else None
    return text_field(label or _l("E-mail"), most=254, required=message)


def name_field() -> StringField:
    """A person's name, as staff type it (a guide, a club's contact)."""
    return text_field(_l("Name"), most=120, required=_l("Write the name."))


def contact_field(*, required: Any, description: Any = None) -> StringField:
    """ "Your mobile number or e-mail", in one field (to send a link to)."""
    label = _l("Your mobile number or e-mail")
    return text_field(label, most=254, required=required, description=description)


def language_field(label: Any) -> RadioField:
    """Which language we write to someone in: choices from ``language_choices()``."""
    return RadioField(
        label, choices=[], validators=[InputRequired(message=_l("Choose a language."))]
    )


def language_choices() -> list[SelectChoice]:
    """The portal's languages, each named in itself."""
    from portal.i18n import locale_info, supported_locales

    return [SelectChoice(code, locale_info(code).endonym) for code in supported_locales()]


# Money --------------------------------------------------------------------------------------


def kroner_field(
    label: Any,
    *,
    required: Any = None,
    least: int = 1,
    most: int = 1_000_000,
    description: Any = None,
) -> LocalisedIntegerField:
    """Whole kroner between ``least`` and ``most``; ``required`` is the message when empty."""
    whole = _l("Write a whole number of kroner.")
    return LocalisedIntegerField(
        label,
        description=description,
        validators=[
            # (InputRequired, not DataRequired: 0 is an amount.)
            InputRequired(message=required or _l("Write the amount.")),
            NumberRange(min=least, max=most, message=whole),
        ],
        invalid_message=whole,
    )


# CPR numbers ----------------------------------------------------------------------------------


def _cpr_shape(form: Any, field: Field) -> None:
    """Ten digits (in any script; a hyphen or space after six is fine), the first six a date."""
    from portal.people import cpr

    if not field.data:
        return
    field.data = ascii_digits(field.data)
    if cpr.parse(field.data) is None:
        raise StopValidation(
            _l(
                "Write the CPR number as 10 digits, like 140315-1234. "
                "The first 6 are the birth date."
            )
        )


def cpr_field(label: Any, *, required: Any = None, description: Any = None) -> StringField:
    """An optional CPR number (read with ``portal.people.cpr.parse``); never shown again once
    it is kept, only masked."""
    return text_field(
        label, most=20, required=required, description=description, validators=[_cpr_shape]
    )
