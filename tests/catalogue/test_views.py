"""The public catalogue: list, filters (with and without htmx) and the activity page."""

from __future__ import annotations

from datetime import time

from flask.testing import FlaskClient

from portal.catalogue.models import Audience
from tests.factories import make_activity
from tests.pages import Page, get_page


def names(page: Page) -> list[str]:
    return [page.text(h2) for h2 in page.findall(".//li[@class='card']/h2")]


def test_lists_every_published_activity_with_its_facts(
    client: FlaskClient, app_context: None
) -> None:
    make_activity(
        names={"da": "Pigecricket", "ar": "كريكيت للفتيات", "en": "Girls' cricket"},
        min_age=9,
        max_age=16,
        audience=Audience.GIRLS,
        fee_kr=2000,
        free_places=3,
        sessions=((1, time(17), time(18, 30)),),
    )
    make_activity(names={"da": "Skjult", "ar": "مخفي", "en": "Hidden"}, is_published=False)

    page = get_page(client, "/da/activities")

    assert names(page) == ["Pigecricket"]
    card = page.text(page.find(".//li[@class='card']"))
    assert "9–16 år" in card
    assert "Hvem Piger" in card
    assert "Tirsdag 17.00–18.30" in card
    assert "2.000 kr. om året" in card
    assert "3 ledige pladser" in card
    assert page.text(page.by_id("result-count")) == "1 aktivitet fundet"


def test_amounts_and_days_are_formatted_for_each_locale(
    client: FlaskClient, app_context: None
) -> None:
    make_activity(fee_kr=12500, sessions=((0, time(16), time(17)),))

    # Exactly what Babel writes, no-break space and Arabic right-to-left mark included.
    assert "12.500\xa0kr. om året" in client.get("/da/activities").get_data(as_text=True)
    assert "DKK12,500 a year" in client.get("/en/activities").get_data(as_text=True)
    arabic = client.get("/ar/activities").get_data(as_text=True)
    assert "\u200f12,500\xa0DKK في السنة" in arabic
    assert "الاثنين" in arabic  # Monday


def test_activities_are_sorted_by_their_name_in_the_page_language(
    client: FlaskClient, app_context: None
) -> None:
    make_activity(names={"da": "Æbleløb", "ar": "ب", "en": "Apple race"})
    make_activity(names={"da": "Badminton", "ar": "أ", "en": "Badminton"})

    assert names(get_page(client, "/en/activities")) == ["Apple race", "Badminton"]
    assert names(get_page(client, "/ar/activities")) == ["أ", "ب"]


def test_filter_by_age_gender_day_and_area(client: FlaskClient, app_context: None) -> None:
    make_activity(names={"da": "Pigecricket"}, min_age=9, max_age=16, audience=Audience.GIRLS,
                  sessions=((1, time(17), time(18)), (3, time(17), time(18))))  # fmt: skip
    make_activity(names={"da": "Drengefodbold"}, min_age=10, max_age=14, audience=Audience.BOYS,
                  sessions=((2, time(17), time(18)),))  # fmt: skip
    make_activity(names={"da": "Skak"}, min_age=8, max_age=99, postcode="7300", city="Jelling",
                  sessions=((3, time(19), time(21)),))  # fmt: skip
    make_activity(names={"da": "Kvindemotion"}, min_age=18, max_age=99, audience=Audience.WOMEN,
                  sessions=((5, time(10), time(11)),))  # fmt: skip

    def found(query: str) -> list[str]:
        return sorted(names(get_page(client, "/da/activities?" + query)))

    assert found("age=11") == ["Drengefodbold", "Pigecricket", "Skak"]
    assert found("age=11&who=girls") == ["Pigecricket", "Skak"]
    assert found("who=women") == ["Kvindemotion", "Skak"]
    assert found("day=1") == ["Pigecricket"]
    assert found("day=2&day=5") == ["Drengefodbold", "Kvindemotion"]
    assert found("area=7300") == ["Skak"]
    assert found("age=40&day=3") == ["Skak"]


def test_what_is_made_for_the_child_comes_first_and_says_so(
    client: FlaskClient, app_context: None
) -> None:
    """Issue 18: with "11, a girl" chosen, girls' cricket was result 12 of 13 (alphabetical).
    Now what is made for girls comes first, then what is open to everyone, a narrower age range
    before a wider one; the card says who it is made for."""
    make_activity(names={"da": "Atletik", "ar": "ألعاب القوى"}, min_age=6, max_age=99)
    make_activity(names={"da": "Badminton", "ar": "ريشة"}, min_age=8, max_age=14)
    make_activity(names={"da": "Pigecricket", "ar": "كريكيت للبنات"}, min_age=9, max_age=16,
                  audience=Audience.GIRLS)  # fmt: skip
    make_activity(names={"da": "Pigefodbold", "ar": "كرة قدم للبنات"}, min_age=10, max_age=12,
                  audience=Audience.GIRLS)  # fmt: skip

    assert names(get_page(client, "/da/activities?age=11&who=girls")) == [
        "Pigefodbold",  # girls, 10-12
        "Pigecricket",  # girls, 9-16
        "Badminton",  # everyone, 8-14
        "Atletik",  # everyone, from 6
    ]
    assert names(get_page(client, "/da/activities?who=girls")) == [
        "Pigecricket",
        "Pigefodbold",
        "Atletik",
        "Badminton",
    ]
    assert names(get_page(client, "/da/activities")) == [  # no choice: by name, as before
        "Atletik",
        "Badminton",
        "Pigecricket",
        "Pigefodbold",
    ]
    page = get_page(client, "/da/activities?age=11&who=girls")
    fits = [page.text(p) for p in page.findall(".//p[@class='card__fit']")]
    assert fits == ["Lavet til piger, 10–12 år", "Lavet til piger, 9–16 år"]
    arabic = get_page(client, "/ar/activities?age=11&who=girls")
    assert [arabic.text(p) for p in arabic.findall(".//p[@class='card__fit']")] == [
        "مخصص للفتيات، من 10 إلى 12 سنة",
        "مخصص للفتيات، من 9 إلى 16 سنة",
    ]
    assert get_page(client, "/da/activities?age=11").findall(".//p[@class='card__fit']") == []


def test_the_filter_form_keeps_the_choices(client: FlaskClient, app_context: None) -> None:
    make_activity(postcode="7300", city="Jelling")

    page = get_page(client, "/da/activities?age=11&who=girls&day=1&day=3&area=7300")

    assert page.by_id("age").get("value") == "11"
    assert page.find(".//select[@id='who']/option[@selected]").get("value") == "girls"
    assert page.find(".//select[@id='area']/option[@selected]").get("value") == "7300"
    checked = [el.get("value") for el in page.findall(".//input[@name='day'][@checked]")]
    assert checked == ["1", "3"]
    form = page.find(".//form")
    assert (form.get("method"), form.get("action")) == ("get", "/da/activities")


def test_age_typed_with_arabic_indic_digits_is_understood(
    client: FlaskClient, app_context: None
) -> None:
    make_activity(names={"da": "Børn"}, min_age=5, max_age=9)
    make_activity(names={"da": "Unge"}, min_age=13, max_age=17)

    assert names(get_page(client, "/ar/activities?age=١٥")) == ["Unge"]
    assert names(get_page(client, "/da/activities?age=+15+")) == ["Unge"]


def test_an_invalid_age_is_explained_in_the_page_language_and_ignored(
    client: FlaskClient, app_context: None
) -> None:
    make_activity(names={"da": "Pigecricket"}, audience=Audience.GIRLS)
    make_activity(names={"da": "Drengefodbold"}, audience=Audience.BOYS)

    page = get_page(client, "/da/activities?age=elleve&who=girls")

    summary = page.by_id("error-summary")
    # One message, not also "between 0 and 120" for a number we could not read.
    assert page.text(summary) == "Der er et problem Skriv alderen som et helt tal, for eksempel 11."
    assert summary.find(".//a").get("href") == "#age"
    age = page.by_id("age")
    assert age.get("aria-invalid") == "true"
    assert "age-error" in age.get("aria-describedby", "")
    assert age.get("value") == "elleve"  # the input is kept
    assert names(page) == ["Pigecricket"]  # the other filter still applies

    arabic = get_page(client, "/ar/activities?age=999")
    assert "اكتب عمرًا بين 0 و120." in arabic.text(arabic.by_id("error-summary"))

    # Found by Hypothesis: a 400-digit age once overflowed WTForms' NumberRange.
    huge = get_page(client, "/en/activities?age=" + "9" * 400)
    assert "Write the age as a whole number" in huge.text(huge.by_id("error-summary"))


def test_unknown_choices_are_refused_politely(client: FlaskClient, app_context: None) -> None:
    make_activity()
    page = get_page(client, "/en/activities?who=aliens&day=9&area=0000")
    assert "Choose one of the options." in page.text(page.by_id("error-summary"))
    assert len(names(page)) == 1


def test_no_match_says_what_to_do(client: FlaskClient, app_context: None) -> None:
    make_activity(min_age=6, max_age=9)
    page = get_page(client, "/da/activities?age=50")
    assert names(page) == []
    assert "Ingen aktiviteter passer til alle dine valg" in page.text()
    assert page.text(page.by_id("result-count")) == "0 aktiviteter fundet"


def test_htmx_gets_only_the_list_and_the_count(
    client: FlaskClient, app_context: None, htmx_headers: dict[str, str]
) -> None:
    make_activity(names={"da": "Pigecricket"}, min_age=9, max_age=16)
    make_activity(names={"da": "Voksenskak"}, min_age=18, max_age=99)

    response = client.get("/da/activities?age=11", headers=htmx_headers)

    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    html = response.get_data(as_text=True)
    assert "<html" not in html and "<form" not in html
    assert "Pigecricket" in html and "Voksenskak" not in html
    assert 'id="result-count" hx-swap-oob="innerHTML"' in html
    assert "1 aktivitet fundet" in html


def test_htmx_history_restore_and_boosted_requests_get_the_whole_page(
    client: FlaskClient, app_context: None
) -> None:
    make_activity()
    for extra in ({"HX-History-Restore-Request": "true"}, {"HX-Boosted": "true"}):
        response = client.get("/da/activities?age=11", headers={"HX-Request": "true", **extra})
        assert "<html" in response.get_data(as_text=True)
        assert "HX-Request" in response.headers["Vary"]


def test_activity_page(client: FlaskClient, app_context: None) -> None:
    activity = make_activity(
        names={"da": "Pigecricket", "ar": "كريكيت للفتيات", "en": "Girls' cricket"}, fee_kr=600
    )

    page = get_page(client, f"/ar/activities/{activity.slug}")

    assert page.h1 == "كريكيت للفتيات"
    assert page.response.headers["Content-Security-Policy"]
    assert "\u200f600 DKK في السنة" in page.text()
    assert activity.association.name in page.text()


def test_activity_falls_back_to_danish_marked_as_danish(
    client: FlaskClient, app_context: None
) -> None:
    activity = make_activity(names={"da": "Kun på dansk"})

    page = get_page(client, f"/en/activities/{activity.slug}")

    assert page.h1 == "Kun på dansk"
    assert page.find(".//h1/span").get("lang") == "da"


def test_unknown_or_unpublished_activity_is_not_found(
    client: FlaskClient, app_context: None
) -> None:
    hidden = make_activity(is_published=False)
    get_page(client, "/da/activities/no-such-thing", status=404)
    page = get_page(client, f"/en/activities/{hidden.slug}", status=404)
    assert page.h1 == "Page not found"
