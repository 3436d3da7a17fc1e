"""A club keeps its own activities current from a phone: the text in every language (the
form says which are missing, and only a complete one is shown), ages, who may join, days and
times, place, fee and places. The public catalogue shows a change at once."""

from __future__ import annotations

import html

import pytest
from flask import Flask
from sqlalchemy import select

from portal.catalogue.models import Activity
from portal.extensions import db
from tests.associations.club import Phone, World, build_world

FULL = {
    "name_da": "Cricket for piger", "name_ar": "كريكيت للفتيات", "name_en": "Girls' cricket",
    "description_da": "Vi træner hver tirsdag.", "description_ar": "نتدرب كل يوم ثلاثاء.",
    "description_en": "We train every Tuesday.",
    "min_age": "9", "max_age": "16", "audience": "girls",
    "weekday_0": "1", "start_0": "17:00", "end_0": "18:30",
    "weekday_1": "", "start_1": "", "end_1": "", "weekday_2": "", "start_2": "", "end_2": "",
    "place": "Cricketbanen", "address": "Vejen 1", "postcode": "7100", "city": "Vejle",
    "fee_kr": "600", "capacity": "20", "free_places": "4", "is_open": "y", "publish": "y",
}  # fmt: skip


@pytest.fixture
def world(app: Flask) -> World:
    return build_world(app)


@pytest.fixture
def phone(app: Flask, world: World) -> Phone:
    phone = Phone(app.test_client())
    phone.sign_in(app)
    return phone


def _activity(app: Flask, slug: str) -> Activity:
    with app.app_context():
        found = db.session.execute(select(Activity).where(Activity.slug == slug)).scalar_one()
        found.translations, found.sessions  # noqa: B018 - loaded before the session closes
        db.session.expunge_all()
        return found


def test_a_change_of_fee_and_places_shows_in_the_catalogue_at_once(
    app: Flask, world: World, phone: Phone
) -> None:
    activity = _activity(app, world.activity_slug)
    home = phone.get("/da/club/").get_data(as_text=True)
    assert f"/da/club/activities/{activity.id}" in home
    form = phone.get(f"/da/club/activities/{activity.id}").get_data(as_text=True)
    assert 'name="name_ar"' in form and 'name="free_places"' in form
    saved = phone.post(f"/da/club/activities/{activity.id}", FULL)
    assert saved.status_code == 303, saved.get_data(as_text=True)[-2000:]
    changed = _activity(app, world.activity_slug)
    assert (changed.fee_kr, changed.free_places, changed.audience.value) == (600, 4, "girls")
    assert [(s.weekday, str(s.start_time)) for s in changed.sessions] == [(1, "17:00:00")]
    public = html.unescape(
        app.test_client().get(f"/ar/activities/{world.activity_slug}").get_data(True)
    )
    assert "كريكيت للفتيات" in public and "نتدرب كل يوم ثلاثاء." in public


def test_without_arabic_it_cannot_be_shown_and_the_form_says_what_is_missing(
    app: Flask, world: World, phone: Phone
) -> None:
    activity = _activity(app, world.activity_slug)
    without_arabic = {**FULL, "name_ar": "", "description_ar": ""}
    refused = phone.post(f"/da/club/activities/{activity.id}", without_arabic)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "For at vise den skal du også skrive navnet på arabisk." in page
    assert "Ikke skrevet på alle sprog endnu:" in page
    assert _activity(app, world.activity_slug).text("ar").name != ""  # nothing was saved
    draft = phone.post(f"/da/club/activities/{activity.id}", {**without_arabic, "publish": ""})
    assert draft.status_code == 303
    hidden = _activity(app, world.activity_slug)
    assert not hidden.is_published and {t.locale for t in hidden.translations} == {"da", "en"}
    assert app.test_client().get(f"/da/activities/{world.activity_slug}").status_code == 404


def test_a_new_activity_with_its_times_checked(app: Flask, world: World, phone: Phone) -> None:
    phone.get("/da/club/activities/new")
    wrong = phone.post("/da/club/activities/new",
                       {**FULL, "end_0": "16:00", "free_places": "30", "max_age": "5"})  # fmt: skip
    assert wrong.status_code == 422
    page = wrong.get_data(as_text=True)
    for message in ("Den skal slutte, efter den starter.",
                    "Der kan ikke være flere ledige pladser end pladser.",
                    "Den ældste alder skal være mindst den yngste."):  # fmt: skip
        assert message in page
    created = phone.post("/da/club/activities/new", {**FULL, "name_en": "Cricket, new team"})
    assert created.status_code == 303
    with app.app_context():
        slug = db.session.execute(
            select(Activity.slug).where(Activity.association_id == world.association_id)
            .order_by(Activity.id.desc()).limit(1)
        ).scalar_one()  # fmt: skip
    assert slug.startswith("cricket-new-team-")
    assert app.test_client().get(f"/en/activities/{slug}").status_code == 200


def test_another_clubs_activity_is_not_there(app: Flask, world: World) -> None:
    other = Phone(app.test_client())
    other.sign_in(app, "bo@andet.dk")
    activity = _activity(app, world.activity_slug)
    assert other.get(f"/da/club/activities/{activity.id}").status_code == 404
    assert other.post(f"/da/club/activities/{activity.id}", FULL).status_code == 404
    assert Phone(app.test_client()).get(f"/da/club/activities/{activity.id}").status_code == 303
