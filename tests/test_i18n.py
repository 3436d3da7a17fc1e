"""Languages: locale negotiation, <html lang dir>, the switcher, and complete catalogues."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from tests.factories import make_activity
from tests.pages import get_page

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = sorted(ROOT.glob("portal/translations/*/LC_MESSAGES/messages.po"))
PAGES = ["/{lang}/", "/{lang}/activities", "/{lang}/accessibility", "/{lang}/privacy"]


@pytest.mark.parametrize("lang, direction", [("da", "ltr"), ("ar", "rtl"), ("en", "ltr")])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_lang_and_dir(
    client: FlaskClient, path: str, lang: str, direction: str
) -> None:
    """A11Y-10: ``<html lang dir>`` is right on every page; Arabic is right-to-left."""
    page = get_page(client, path.format(lang=lang))
    assert (page.root.get("lang"), page.root.get("dir")) == (lang, direction)


def test_root_redirects_to_remembered_language_then_browser_then_danish(
    client: FlaskClient,
) -> None:
    assert client.get("/").headers["Location"] == "/da/"
    assert client.get("/", headers={"Accept-Language": "ar,en;q=0.5"}).headers["Location"] == "/ar/"
    assert (
        client.get("/", headers={"Accept-Language": "fr, en;q=0.4"}).headers["Location"] == "/en/"
    )
    assert client.get("/", headers={"Accept-Language": "fr"}).headers["Location"] == "/da/"

    client.get("/en/activities")  # visiting a page in English remembers the choice
    cookie = client.get_cookie("portal_lang")
    assert cookie is not None and cookie.value == "en"
    assert client.get("/", headers={"Accept-Language": "ar"}).headers["Location"] == "/en/"


def test_language_cookie_is_not_readable_by_scripts(client: FlaskClient) -> None:
    set_cookie = client.get("/ar/").headers["Set-Cookie"]
    assert "portal_lang=ar" in set_cookie
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie


def test_unknown_language_is_not_found_in_the_negotiated_language(client: FlaskClient) -> None:
    page = get_page(client, "/fr/activities", status=404, headers={"Accept-Language": "ar"})
    assert page.root.get("lang") == "ar"
    assert page.h1 == "الصفحة غير موجودة"


def test_switcher_keeps_the_page_and_the_filters(client: FlaskClient, app_context: None) -> None:
    activity = make_activity()
    page = get_page(client, "/da/activities?age=11&day=1&day=3")
    links = {a.get("lang"): a for a in page.findall(".//nav[@class='languages']//a")}
    assert links["ar"].get("href") == "/ar/activities?age=11&day=1&day=3"
    assert links["ar"].get("hreflang") == "ar"
    assert page.text(links["ar"]) == "العربية"
    assert links["da"].get("aria-current") == "true"

    detail = get_page(client, f"/en/activities/{activity.slug}")
    hrefs = [a.get("href") for a in detail.findall(".//nav[@class='languages']//a")]
    assert hrefs == [f"/{code}/activities/{activity.slug}" for code in ("da", "ar", "en")]


@pytest.mark.parametrize(
    "query", ["_anchor=x", "_scheme=https", "_method=POST", "_external=1", "_anchor=%23x"]
)
def test_url_for_s_own_words_in_a_query_are_just_a_query(
    client: FlaskClient, app_context: None, query: str
) -> None:
    """SEC-23 (issue 13, defect 2): a visitor's ``?_anchor=``, ``?_external=1`` … on any page
    with the switcher answered 500 or linked to the host the request named."""
    make_activity()
    for path in ("/da/", "/da/activities"):
        response = client.get(f"{path}?{query}", headers={"Host": "evil.example"})
        assert response.status_code == 200, (path, query)
        html = response.get_data(as_text=True)
        assert "evil.example" not in html
        page = get_page(client, f"{path}?{query}")
        links = {
            a.get("lang"): a.get("href") for a in page.findall(".//nav[@class='languages']//a")
        }
        assert links["ar"].startswith("/ar/")


def test_switcher_on_an_error_page_leads_to_the_front_page(client: FlaskClient) -> None:
    page = get_page(client, "/da/no-such-page", status=404)
    hrefs = [a.get("href") for a in page.findall(".//nav[@class='languages']//a")]
    assert hrefs == ["/da/", "/ar/", "/en/"]


def test_a_fourth_language_is_one_line_of_configuration(make_app: Callable[..., Flask]) -> None:
    """Adding a language: a catalogue plus PORTAL_LOCALES; without a catalogue it shows English
    msgids, but the URL, the switcher and <html lang dir> already work."""
    app = make_app(LOCALES="da,ar,en,uk")
    client = app.test_client()
    page = get_page(client, "/uk/accessibility", lang=None)
    assert (page.root.get("lang"), page.root.get("dir")) == ("uk", "ltr")
    labels = [page.text(a) for a in page.findall(".//nav[@class='languages']//a")]
    assert labels == ["Dansk", "العربية", "English", "Українська"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_catalogue_is_complete_and_not_fuzzy(path: Path) -> None:
    """Every message translated in every plural form; nothing fuzzy (QUALITY.md)."""
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings) or len(strings) not in (1, catalogue.num_plurals):
            problems.append(message.id)
    assert not problems, f"{path}: untranslated or fuzzy: {problems}"


def test_catalogues_hold_the_same_messages_as_the_template() -> None:
    with (ROOT / "portal/translations/messages.pot").open("rb") as handle:
        template = {
            (m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle)
        }
    for path in CATALOGUES:
        with path.open("rb") as handle:
            ids = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in read_po(handle)}
        assert ids == template, path


def test_message_template_is_current(tmp_path: Path) -> None:
    """The committed .pot is what extraction gives today (a string added without
    `make translations` fails here)."""
    out = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "_ln:1,2", "-k", "lazy_pgettext:1c,2", "-k", "_lp:1c,2",
         "--add-comments=Translators:",
         "--no-location", "--sort-output", "--omit-header", "-o", str(out), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    assert out.read_text() == (ROOT / "portal/translations/messages.pot").read_text()


def test_lazy_labels_follow_the_request_locale(app: Flask) -> None:
    from portal.catalogue.models import Audience
    from portal.catalogue.views import audience_label

    with app.test_request_context("/ar/activities"):
        app.preprocess_request()
        assert audience_label(Audience.GIRLS) == "الفتيات"
    with app.test_request_context("/da/activities"):
        app.preprocess_request()
        assert audience_label(Audience.GIRLS) == "Piger"


def test_phone_numbers_are_grouped_for_reading(client: FlaskClient, app_context: None) -> None:
    activity = make_activity()
    page = get_page(client, f"/da/activities/{activity.slug}")
    link = page.find(".//a[@href='tel:+4570000000']")
    assert page.text(link) == "+45 70 00 00 00"
    assert link.get("dir") == "ltr"


def test_a_missing_page_answers_in_the_language_of_its_url(client: FlaskClient) -> None:
    client.get("/ar/")  # remembers Arabic
    page = get_page(client, "/da/no-such-page", status=404)
    assert page.h1 == "Siden findes ikke"


def test_contact_details_in_arabic_sentences_stay_left_to_right(
    client: FlaskClient, app_context: None
) -> None:
    """A phone number's digit groups would show in reverse order in right-to-left text."""
    from portal.demo import load_demo_data

    load_demo_data()
    page = get_page(client, "/ar/accessibility")
    isolated = {page.text(el) for el in page.findall(".//bdi[@dir='ltr']")}
    assert {"+45 70 00 00 00", "fritid@demo-kommune.example"} <= isolated
    privacy = get_page(client, "/ar/privacy")
    assert privacy.find(".//bdi[@dir='ltr']").text == "fritid@demo-kommune.example"


#: Placeholders that are amounts (``format_money``): in Danish they end in "kr." already.
MONEY_PLACEHOLDERS = ("amount", "reserved", "paid", "total", "cap", "fee", "left", "price")


def test_an_amount_never_gets_a_second_full_stop_in_danish() -> None:
    """Issue 13, defect 9: "Kommunen betaler 0 kr.." — Danish amounts end with "kr.", so a
    sentence that ends on one takes no full stop of its own."""
    from babel.messages.pofile import read_po

    with (ROOT / "portal" / "translations" / "da" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    doubled = []
    for message in catalogue:
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            filled = text
            for name in MONEY_PLACEHOLDERS:
                filled = filled.replace(f"%({name})s", "2.000 kr.")
            if "kr.." in filled:
                doubled.append(text)
    assert doubled == []
