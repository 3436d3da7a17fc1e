"""Form pieces every domain uses: numbers in any script, WTForms' own messages translated."""

from __future__ import annotations

import unicodedata
from typing import Any

from babel import Locale
from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.meta import DefaultMeta
from wtforms.validators import StopValidation


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


def ascii_digits(value: str) -> str:
    """``"٠٤٥"`` → ``"045"``; other characters are left as they are."""
    return "".join(str(int(ch)) if ch.isdecimal() and not ch.isascii() else ch for ch in value)


def language_name(code: str) -> LazyString:
    """``ar`` named in the page's language ("arabisk" on a Danish page), when shown."""
    from portal.i18n import current_locale

    return LazyString(lambda: Locale.parse(code).get_display_name(current_locale()) or code)


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
