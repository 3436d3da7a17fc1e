"""Equipment support: the list of things, the cap, paid or not, photos of the receipt."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from portal.applications.models import Application
from portal.extensions import db
from portal.schemes.models import SchemeKind
from tests.applications import files
from tests.applications.family import Family, errors
from tests.factories import make_scheme

CAP = 500


@pytest.fixture
def equipment_pool(app: Flask) -> None:
    with app.app_context():
        make_scheme(SchemeKind.EQUIPMENT, "UD", pool_kr=15_000, cap_kr=CAP)


def application(app: Flask, token: str) -> Application:
    with app.app_context():
        found = db.session.execute(
            select(Application).where(Application.token == token)
        ).scalar_one()
        found.items, found.uploads  # noqa: B018 - load before the session closes
        db.session.expunge_all()
        return found


def start_equipment(family: Family) -> str:
    """Start, say yes to "has a leisure pass", give the name and date of birth: at the list."""
    url = family.start(kind="equipment")
    assert url.endswith("/eligibility")
    url = family.answer(url, {"has_pass": "yes"}).location
    url = family.answer(url, {"first_name": "Omar", "last_name": "Haddad"}).location
    url = family.answer(url, {"day": "3", "month": "5", "year": "2013"}).location
    assert url.endswith("/items")
    return url


def multipart(*fields: tuple[str, object]) -> dict[str, object]:
    """Form fields and files (``(name, (filename, bytes))``) as a multipart body encoded in
    memory (the test client would spool a large one to a temporary file it never closes)."""
    values = MultiDict(
        [
            (
                key,
                FileStorage(io.BytesIO(value[1]), value[0]) if isinstance(value, tuple) else value,
            )
            for key, value in fields
        ]
    )
    boundary, body = encode_multipart(values)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def upload(family: Family, url: str, *named: tuple[str, bytes], action: str = "upload") -> object:
    files = [("files", file) for file in named]
    return family.client.post(
        url, **multipart(("csrf_token", family.csrf), ("action", action), *files)
    )


def test_equipment_is_for_leisure_pass_holders(client, equipment_pool) -> None:  # type: ignore[no-untyped-def]
    family = Family(client)
    url = family.start(kind="equipment")
    response = family.answer(url, {"has_pass": "no"}, status=422)
    assert errors(response) == [
        "Støtte til udstyr er for personer med et fritidspas. Søg først om et fritidspas – du kan "
        "søge om udstyr samtidig."
    ]


def test_items_are_added_one_at_a_time_and_removed(app: Flask, client, equipment_pool) -> None:  # type: ignore[no-untyped-def]
    family = Family(client, lang="en")
    url = start_equipment(family)

    # "Continue" with nothing on the list, and a thing without a price, are explained.
    response = family.answer(url, {"action": "continue"}, status=422)
    assert errors(response) == ["Write what you need to buy, and the price."]
    response = family.answer(url, {"description": "Boots", "action": "add"}, status=422)
    assert errors(response) == ["Write the price."]
    page = response.get_data(as_text=True)
    assert 'value="Boots"' in page  # the input is kept

    # Add two things (prices with spaces and Arabic-Indic digits), stay on the page each time.
    response = family.answer(
        url, {"description": "Football boots", "price_kr": "4 50", "action": "add"}
    )
    assert response.location.endswith("/items")
    response = family.answer(url, {"description": "Shin pads", "price_kr": "١٢٠", "action": "add"})
    page = family.read(url)
    assert "Football boots" in page and "Shin pads" in page
    assert re.search(r"Total</span>\s*<span[^>]*>DKK570", page)
    assert "You can get at most DKK500" in page  # the total is above the cap: said, not refused

    shin_pads = next(
        i for i in application(app, family.token).items if i.description == "Shin pads"
    )
    response = family.post(url, {"remove": str(shin_pads.id)})
    assert response.status_code == 303
    assert [i.description for i in application(app, family.token).items] == ["Football boots"]

    # A thing typed but not added is added on "Continue".
    response = family.answer(url, {"description": "Bag", "price_kr": "100", "action": "continue"})
    assert response.location.endswith("/paid")
    assert sorted(i.price_kr for i in application(app, family.token).items) == [100, 450]


def test_a_refund_needs_a_receipt_and_the_request_is_held_to_the_cap(  # type: ignore[no-untyped-def]
    app: Flask, client, equipment_pool, upload_folder: str
) -> None:
    family = Family(client, lang="da")
    url = start_equipment(family)
    family.answer(url, {"description": "Cricketbat", "price_kr": "650", "action": "add"})
    url = family.answer(url, {"action": "continue"}).location
    url = family.answer(url, {"already_paid": "paid"}).location
    assert url.endswith("/receipts")
    page = family.read(url)
    assert "Tilføj et billede af kvitteringen" in page

    response = family.answer(url, {"action": "continue"}, status=422)
    assert errors(response) == [
        "Tilføj et billede af kvitteringen. Vi skal bruge det for at betale pengene tilbage."
    ]

    response = upload(family, url, ("kvittering.jpg", files.photo(gps=True)), action="continue")
    assert response.status_code == 303 and response.location.endswith("/relation")
    stored = application(app, family.token).uploads
    assert [u.original_name for u in stored] == ["kvittering.jpg"]

    check = family.answer_all(response.location)
    page = family.read(check).replace("\xa0", " ")  # amounts keep "650 kr." on one line
    assert "Cricketbat</bdi>: 650 kr." in page and "Du kan højst få 500 kr." in page
    assert "kvittering.jpg" in page
    assert family.submit().status_code == 303
    submitted = application(app, family.token)
    assert submitted.amount_requested_kr == CAP  # 650 asked for, held to the cap
    assert submitted.already_paid is True
    assert submitted.reference.startswith("UD-")


def test_help_to_buy_may_go_on_without_a_photo(client, equipment_pool) -> None:  # type: ignore[no-untyped-def]
    family = Family(client, lang="en")
    url = start_equipment(family)
    family.answer(url, {"description": "Headset", "price_kr": "300", "action": "add"})
    url = family.answer(url, {"action": "continue"}).location
    url = family.answer(url, {"already_paid": "help"}).location
    assert "Add a photo of the price (if you have one)" in family.read(url)
    assert family.answer(url, {"action": "continue"}).location.endswith("/relation")
