"""Deciding several cases at once: each is held to the same rules as one at a time, and the
page says what happened to each."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from portal.applications.models import Application
from portal.extensions import db
from portal.schemes.models import LedgerEntry, SchemeKind
from tests.auth.signing_in import Staff, make_staff
from tests.factories import make_scheme, make_sent_application


@pytest.fixture
def three(app: Flask) -> list[str]:
    """Three waiting cases asking 1,200 kr each, against a pool with 2,500 kr."""
    with app.app_context():
        scheme = make_scheme(SchemeKind.LEISURE_PASS, "FP", pool_kr=2_500, cap_kr=2_000)
        references = [make_sent_application(n) for n in (1, 2, 3)]
        for application in db.session.execute(select(Application)).scalars():
            application.scheme_id = scheme.id
            application.amount_requested_kr = 1200
        db.session.commit()
        make_staff()
    return references


def test_approving_three_at_once_stops_where_the_pool_does(app: Flask, three: list[str]) -> None:
    guide = Staff(app.test_client(), lang="da")
    guide.sign_in()
    queue = guide.get("/da/staff/").get_data(as_text=True)
    assert queue.count('name="references"') == 3
    response = guide.client.post(
        "/da/staff/bulk",
        data={"csrf_token": guide.csrf, "action": "approve", "references": three},
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True).replace("\xa0", " ")
    results = re.findall(r"<td>(Godkendt: 1\.200 kr\.|Ikke godkendt: [^<]+)</td>", page)
    assert results == [
        "Godkendt: 1.200 kr.",
        "Godkendt: 1.200 kr.",
        "Ikke godkendt: 100 kr. tilbage i puljen",
    ]
    with app.app_context():
        assert sum(db.session.execute(select(LedgerEntry.amount_kr)).scalars()) == 2400


def test_declining_at_once_needs_a_reason_first(app: Flask, three: list[str]) -> None:
    guide = Staff(app.test_client(), lang="da")
    guide.sign_in()
    guide.get("/da/staff/")
    response = guide.client.post(
        "/da/staff/bulk", data={"csrf_token": guide.csrf, "action": "decline", "references": three}
    )
    assert response.status_code == 422
    assert "Intet blev ændret" in response.get_data(as_text=True)
