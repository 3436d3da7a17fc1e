"""Languages: the locale in the URL, negotiation for ``/``, ``<html lang dir>`` and formatting.

Every citizen page lives under ``/<lang>/``. For URLs without a language (``/``, errors on unknown
paths) the locale is the remembered choice (a cookie set when a language-prefixed page is shown),
then the browser's ``Accept-Language``, then the default locale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale, support
from babel.dates import format_date, format_time, get_day_names
from babel.numbers import parse_pattern
from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, get_translations, refresh
from markupsafe import Markup
from werkzeug.routing import BaseConverter, Map

from portal.extensions import babel

LANG_COOKIE = "portal_lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class LocaleInfo:
    """What a template needs to know about a locale."""

    code: str
    #: BCP 47 tag for ``lang``/``hreflang`` attributes.
    language_tag: str
    #: ``ltr`` or ``rtl``, from CLDR through Babel.
    text_direction: str
    #: The language's name in itself, as the switcher shows it.
    endonym: str


@cache
def locale_info(code: str) -> LocaleInfo:
    loc = Locale.parse(code)
    return LocaleInfo(
        code=code,
        language_tag=code.replace("_", "-"),
        text_direction=loc.text_direction,
        endonym=(loc.display_name or code)[:1].upper() + (loc.display_name or code)[1:],
    )


def supported_locales() -> tuple[str, ...]:
    locales: tuple[str, ...] = current_app.config["LOCALES"]
    return locales


def current_locale() -> str:
    """The code of the page's locale (``da``, ``ar``, ``en``…)."""
    locale = get_locale()
    return _code(locale) if locale is not None else str(current_app.config["DEFAULT_LOCALE"])


@cache
def _code(locale: Locale) -> str:
    return str(locale)  # Babel builds the identifier anew on every str()


def translations() -> support.NullTranslations:
    """The page's catalogue. Flask-Babel finds it anew for every string (the context, the
    locale, the cache key: about 8 µs, and a catalogue page has some 250 strings); here it is
    found once per request and locale. The locale Flask-Babel settled on (including inside
    ``force_locale``) is the key, so a changed locale is never served the old catalogue."""
    try:
        state = g._get_current_object()
    except RuntimeError:  # no application context: Flask-Babel's answer (no translation)
        untranslated: support.NullTranslations = get_translations()
        return untranslated
    babel_state = state.__dict__.get("_flask_babel")
    locale = getattr(babel_state, "babel_locale", None)
    found = state.__dict__.get("_portal_translations")
    if locale is not None and found is not None and found[0] is locale:
        return found[1]  # type: ignore[no-any-return]
    catalogue: support.NullTranslations = get_translations()
    state._portal_translations = (get_locale(), catalogue)
    return catalogue


def select_locale() -> str:
    """Flask-Babel's locale selector: URL, remembered choice, the browser, the default."""
    lang = g.get("lang")
    if lang:
        return str(lang)
    locales = supported_locales()
    # A URL that matched no page (a 404) may still say its language: /da/no-such-page.
    prefix = request.path.split("/")[1]
    if prefix in locales:
        return prefix
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in locales:
        return str(remembered)
    return request.accept_languages.best_match(locales) or current_app.config["DEFAULT_LOCALE"]


def make_lang_converter(locales: tuple[str, ...]) -> type[BaseConverter]:
    """A URL converter matching only the configured locales, so ``/xx/…`` is a plain 404."""
    pattern = "|".join(sorted(locales, key=len, reverse=True))

    class LangConverter(BaseConverter):
        def __init__(self, url_map: Map) -> None:
            super().__init__(url_map)
            self.regex = f"(?:{pattern})"

    return LangConverter


def _pull_lang(endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Take ``lang`` out of the view arguments; it decides the request's locale."""
    lang = values.pop("lang", None) if values else None
    # Flask-Babel caches the locale on the app context, which a test (or a CLI command) may
    # share between requests: start each request from scratch.
    refresh()
    g.lang = lang
    if lang is not None and lang not in supported_locales():
        abort(404)


def _add_lang(endpoint: str, values: dict[str, Any]) -> None:
    if "lang" in values or not current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        return
    values["lang"] = g.get("lang") or current_locale()


def _remember_lang(response: Any) -> Any:
    lang = g.get("lang")
    if lang and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(
            LANG_COOKIE,
            lang,
            max_age=LANG_COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


def url_with_query(endpoint: str, query: Any = (), **values: Any) -> str:
    """``url_for(endpoint, **values)`` with a visitor's query appended as it was parsed (a
    MultiDict or pairs). Never hand a visitor's query to ``url_for`` itself: its keys could be
    url_for's own arguments (``_anchor``, ``_external``, ``_scheme``, ``_method``) and make the
    page answer 500 or link to another host (SEC-23)."""
    pairs = list(query.items(multi=True)) if hasattr(query, "items") else list(query)
    path = url_for(endpoint, **values)
    return f"{path}?{urlencode(pairs)}" if pairs else path


def switch_language_url(code: str) -> str:
    """The current page in another language, with its query string kept.

    The query is appended as it was parsed, never handed to ``url_for``: a visitor's
    ``?_anchor=…``, ``?_external=1`` or ``?_scheme=…`` are url_for's own arguments, and would
    make every page answer 500 or link to whatever host the request named (SEC-23)."""
    endpoint = request.endpoint
    if (
        endpoint
        and request.url_rule is not None
        and current_app.url_map.is_endpoint_expecting(endpoint, "lang")
    ):
        return url_with_query(endpoint, request.args, **{**(request.view_args or {}), "lang": code})
    return url_for("main.home", lang=code)


def root_redirect() -> ResponseReturnValue:
    """``/``: send the visitor to the home page in the best language we know for them."""
    return redirect(url_for("main.home", lang=select_locale()), code=302)


# Formatting -------------------------------------------------------------------------------


@cache
def _whole_kroner_pattern(code: str) -> Any:
    pattern = parse_pattern(Locale.parse(code).currency_formats["standard"].pattern)
    pattern.frac_prec = (0, 0)
    return pattern


# Babel parses the locale and the pattern on every call (about 12 µs for a clock time, and a
# catalogue page shows 70): the few values a page shows are formatted once per locale.


def format_money(amount_kr: int | None) -> str:
    """Whole Danish kroner in the page's locale: ``2.000 kr.``, ``‏2,000 DKK``, ``DKK 2,000``."""
    if amount_kr is None:
        return ""
    return _money(current_locale(), amount_kr)


@lru_cache(maxsize=4096)
def _money(code: str, amount_kr: int) -> str:
    result: str = _whole_kroner_pattern(code).apply(
        amount_kr, Locale.parse(code), currency="DKK", currency_digits=False
    )
    return result


def format_day(value: date) -> str:
    return _day(current_locale(), value)


@lru_cache(maxsize=4096)
def _day(code: str, value: date) -> str:
    return str(format_date(value, format="long", locale=code))


def format_clock(value: time) -> str:
    return _clock(current_locale(), value)


@lru_cache(maxsize=4096)
def _clock(code: str, value: time) -> str:
    return str(format_time(value, format="short", locale=code))


def format_moment(value: datetime) -> str:
    """A point in time (stored in UTC) as the municipality's clock shows it: date and time."""
    local = value.astimezone(ZoneInfo(current_app.config["TIMEZONE"]))
    return f"{format_day(local.date())} {format_clock(local.time())}"


def language_name(code: str, reader: str | None = None) -> str:
    """A language named in the reader's (the page's) language: ``ar`` is "arabisk" on a Danish
    page (issue 18: staff read "Beskeder på: arabisk", not a name they may not be able to read)."""
    return _language_name(reader or current_locale(), code)


@lru_cache(maxsize=256)
def _language_name(reader: str, code: str) -> str:
    try:
        return Locale.parse(code).get_display_name(reader) or code
    except (ValueError, LookupError):
        return code


def weekday_name(weekday: int) -> str:
    """0 is Monday, as in Python's ``date.weekday()``."""
    return _weekday(current_locale(), weekday)


@cache
def _weekday(code: str, weekday: int) -> str:
    name = str(get_day_names("wide", context="stand-alone", locale=code)[weekday])
    return name[:1].upper() + name[1:]


def format_phone(number: str | None) -> str:
    """A phone number grouped for reading: ``+4575110011`` → ``+45 75 11 00 11``."""
    if not number:
        return ""
    digits = number.replace(" ", "")
    if digits.startswith("+45") and len(digits) == 11 and digits[3:].isdigit():
        rest = digits[3:]
        return "+45 " + " ".join(rest[i : i + 2] for i in range(0, 8, 2))
    return number


def ltr(value: object) -> Markup:
    """A phone number or e-mail inside a sentence: always left to right, even in Arabic
    (otherwise "+45 70 00 00 00" shows its digit groups in reverse order)."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(value)


def bdi(value: object) -> Markup:
    """A name or other text of unknown direction inside a translated sentence."""
    return Markup("<bdi>{}</bdi>").format(value)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_timezone=app.config["TIMEZONE"])
    app.url_map.converters["lang"] = make_lang_converter(app.config["LOCALES"])
    app.url_value_preprocessor(_pull_lang)
    app.url_defaults(_add_lang)
    app.after_request(_remember_lang)
    app.add_url_rule("/", "root", root_redirect)
    # The same whitespace rule as extraction (babel.cfg), or multi-line {% trans %} blocks
    # would look up a different msgid than the one translated.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.filters.update(
        money=format_money,
        day=format_day,
        clock=format_clock,
        moment=format_moment,
        weekday=weekday_name,
        language=language_name,
        phone=format_phone,
        ltr=ltr,
        bdi=bdi,
    )

    @app.context_processor
    def _locale_context() -> dict[str, Any]:
        code = current_locale()
        return {
            "locale_info": locale_info(code),
            "languages": [locale_info(c) for c in supported_locales()],
            "switch_language_url": switch_language_url,
            "url_with_query": url_with_query,
        }
