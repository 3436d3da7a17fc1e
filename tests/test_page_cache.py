"""Public pages are rendered once and kept (portal/pagecache.py, issue 17): the same HTML,
headers and language as a page rendered anew; a club's change shows on the very next request;
an ETag makes a repeat visit a 304; a family's own pages are never kept."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.catalogue.models import Activity, ActivityTranslation
from portal.extensions import db
from portal.pagecache import ContentVersion
from portal.schemes.models import SchemeKind
from tests.applications.family import Family
from tests.associations.club import Phone, build_world
from tests.associations.test_activities import FULL
from tests.factories import make_activity, make_scheme
from tests.test_query_counts import counted


@pytest.fixture
def catalogue(app: Flask) -> list[str]:
    with app.app_context():
        make_scheme(SchemeKind.LEISURE_PASS, "FP", pool_kr=10_000, cap_kr=2_000)
        return [make_activity(min_age=6, max_age=14).slug for _ in range(4)]


@pytest.fixture
def statements(app: Flask) -> Iterator[list[str]]:
    with counted(app) as found:
        yield found


def _rename(app: Flask, slug: str, name: str) -> None:
    """The activity's Danish name changed, as a club's form or an administrator changes it."""
    with app.app_context():
        danish = db.session.execute(
            select(ActivityTranslation)
            .join(Activity)
            .where(Activity.slug == slug, ActivityTranslation.locale == "da")
        ).scalar_one()
        danish.name = name
        db.session.commit()


PAGES = ["/da/", "/ar/activities", "/da/activities?age=11", "/en/accessibility", "/ar/privacy"]


def test_a_kept_page_is_the_page_rendered_anew(
    app: Flask, client: FlaskClient, catalogue: list[str], statements: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    pages = [*PAGES, f"/ar/activities/{catalogue[0]}"]
    first = {url: client.get(url) for url in pages}
    statements.clear()
    kept = {url: client.get(url) for url in pages}
    assert len(statements) == len(pages)  # one each: is the content still the same?
    monkeypatch.setitem(app.config, "PAGE_CACHE", False)
    fresh = {url: client.get(url) for url in pages}
    for url in pages:
        assert kept[url].status_code == fresh[url].status_code == 200, url
        assert kept[url].get_data() == fresh[url].get_data() == first[url].get_data(), url
        for header in ("Content-Type", "Content-Security-Policy", "Cache-Control",
                       "X-Content-Type-Options", "Referrer-Policy"):  # fmt: skip
            assert kept[url].headers.get(header) == fresh[url].headers.get(header), (url, header)
        assert kept[url].headers["Cache-Control"] == "no-cache"  # revalidated, never stale
    assert 'lang="ar"' in kept["/ar/activities"].get_data(as_text=True)
    assert 'lang="da"' in kept["/da/"].get_data(as_text=True)


def test_htmx_swaps_and_full_pages_are_kept_apart(
    client: FlaskClient, catalogue: list[str], htmx_headers: dict[str, str]
) -> None:
    page = client.get("/da/activities?age=11").get_data(as_text=True)
    swap = client.get("/da/activities?age=11", headers=htmx_headers)
    assert "<html" in page and "<html" not in swap.get_data(as_text=True)
    assert "HX-Request" in swap.headers["Vary"]
    assert "<html" in client.get("/da/activities?age=11").get_data(as_text=True)


def test_a_clubs_change_shows_on_the_next_request(
    app: Flask, client: FlaskClient, catalogue: list[str]
) -> None:
    assert "Aktivitet" in client.get("/da/activities").get_data(as_text=True)
    before = client.get(f"/da/activities/{catalogue[0]}").headers["ETag"]
    _rename(app, catalogue[0], "Pigecricket om tirsdagen")
    assert "Pigecricket om tirsdagen" in client.get("/da/activities").get_data(as_text=True)
    after = client.get(f"/da/activities/{catalogue[0]}")
    assert "Pigecricket om tirsdagen" in after.get_data(as_text=True)
    assert after.headers["ETag"] != before


def test_a_club_editing_its_activity_on_its_page_renews_the_catalogue(
    app: Flask, client: FlaskClient
) -> None:
    """Through the club's own form, as a volunteer does it, after the page was kept."""
    world = build_world(app)
    phone = Phone(app.test_client())
    phone.sign_in(app)
    url = f"/ar/activities/{world.activity_slug}"
    assert "كريكيت للفتيات" not in html.unescape(client.get(url).get_data(as_text=True))
    assert client.get(url).status_code == 200  # kept now
    with app.app_context():
        activity_id = db.session.execute(
            select(Activity.id).where(Activity.slug == world.activity_slug)
        ).scalar_one()
    assert phone.post(f"/da/club/activities/{activity_id}", FULL).status_code == 303
    page = html.unescape(client.get(url).get_data(as_text=True))
    assert "كريكيت للفتيات" in page and "نتدرب كل يوم ثلاثاء." in page


def test_a_repeat_visit_with_the_etag_is_a_304(client: FlaskClient, catalogue: list[str]) -> None:
    first = client.get("/ar/activities")
    etag = first.headers["ETag"]
    again = client.get("/ar/activities", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert client.get("/da/activities", headers={"If-None-Match": etag}).status_code == 200


def test_a_familys_own_pages_are_never_kept(app: Flask, catalogue: list[str]) -> None:
    family = Family(app.test_client())
    first = family.start(catalogue[0])
    response = family.client.get(first)
    assert "ETag" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        assert db.session.get(ContentVersion, 1) is not None  # the content has a token


def test_another_worker_renders_anew_once_it_looks_again(
    app: Flask, make_app: Callable[..., Flask], catalogue: list[str]
) -> None:
    """A second worker (another app on the same database) looks for changes at most every
    PAGE_CACHE_RECHECK_SECONDS: until then it keeps its page, afterwards it renders anew. (The
    clock is not waited for: the worker's last look is moved back instead.)"""
    other = make_app(PAGE_CACHE_RECHECK_SECONDS=3600)
    browser = other.test_client()
    url = f"/da/activities/{catalogue[0]}"
    assert "Aktivitet" in browser.get(url).get_data(as_text=True)
    _rename(app, catalogue[0], "Svømning for begyndere")
    assert "Svømning for begyndere" not in browser.get(url).get_data(as_text=True)
    other.extensions["pagecache"].checked_at = float("-inf")  # the hour has passed
    assert "Svømning for begyndere" in browser.get(url).get_data(as_text=True)
