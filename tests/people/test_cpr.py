"""The CPR number (issue 12, DK-04): optional for the family, entered by a guide who has seen
the health card, matched across applications, and never readable again — not in any page,
export, message, log line or database column."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select, text

from portal.applications.models import Participant
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from portal.people import cpr
from portal.people.models import MatchState, PersonMatch
from tests.applications.family import Family
from tests.auth.signing_in import Staff
from tests.factories import make_sent_application
from tests.people.test_one_cap import LAYLA, _apply, _equipment_budget

NUMBER = "140315-4321"
#: The number, whole or its last four digits on their own: not inside a longer run of letters
#: and digits (a random token, a hash or a timestamp's microseconds may hold "4321" by chance:
#: that once failed this test on PostgreSQL).
DIGITS = re.compile(r"1403154321|(?<![0-9A-Za-z])4321(?![0-9A-Za-z])")


def _nowhere(text_: str, where: str) -> None:
    found = DIGITS.search(text_)
    assert found is None, f"CPR digits {found.group(0) if found else ''} in {where}"


def test_the_familys_cpr_number_is_kept_as_a_hash_and_shown_masked(
    app: Flask, guide: Staff, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    _equipment_budget(app)
    family = Family(app.test_client(), lang="da")
    url = family.start(kind="equipment")
    wrong_day = family.answer(url, LAYLA["eligibility"]).location
    wrong_day = family.answer(wrong_day, LAYLA["participant"]).location
    refused = family.answer(
        wrong_day, {**LAYLA["birth-date"], "cpr_number": "150315-4321"}, status=422
    )
    assert "De første 6 cifre skal være fødselsdatoen" in refused.get_data(as_text=True)
    family.answer(wrong_day, {**LAYLA["birth-date"], "cpr_number": NUMBER})
    check = family.answer_all(wrong_day, {**LAYLA, "birth-date": LAYLA["birth-date"]})
    answers = family.read(check)
    assert "CPR-nummer 140315-XXXX" in answers
    again = family.read(wrong_day)  # back on the question: masked, the field empty
    assert "140315-XXXX" in again
    reference = _apply(family, check, {})

    pages = [answers, again, family.read(f"/da/applications/{family.token}")]
    pages.append(guide.get(f"/da/staff/cases/{reference}").get_data(as_text=True))
    pages.append(guide.get("/da/staff/?q=layla").get_data(as_text=True))
    csv = guide.client.get("/da/staff/exports/queue.csv?waiting=")
    assert csv.status_code == 200 and reference in csv.get_data(as_text=True)
    pages.append(csv.get_data(as_text=True))
    xlsx = guide.client.get("/da/staff/exports/queue.xlsx?waiting=")
    with zipfile.ZipFile(io.BytesIO(xlsx.get_data())) as book:
        pages.append(" ".join(book.read(name).decode() for name in book.namelist()))
    assert "140315-XXXX" in pages[3]  # the case shows the masked number
    for n, page in enumerate(pages):
        _nowhere(page, f"page {n}")
    with app.app_context():
        for message in db.session.execute(select(OutboxMessage)).scalars():
            _nowhere(f"{message.subject} {message.body}", "a message")
        participant = db.session.execute(select(Participant)).scalar_one()
        assert participant.cpr_birth == "140315" and len(participant.cpr_hash or "") == 64
        # No column anywhere holds the number (the whole database, as text).
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(text(f'SELECT * FROM "{table.name}"')):  # noqa: S608
                _nowhere(" ".join(map(str, row)), table.name)
    _nowhere(caplog.text, "the log")


def test_a_guide_enters_the_cpr_number_and_the_same_child_is_found(
    app: Flask, guide: Staff, caplog: pytest.LogCaptureFixture
) -> None:
    """The first application gave the number; the second (another phone, another spelling:
    only "possibly" the same) gets it from the guide: now certainly the same person."""
    caplog.set_level(logging.DEBUG)
    _equipment_budget(app)
    family = Family(app.test_client(), lang="da")
    first = _apply(
        family, family.start(kind="equipment"),
        {**LAYLA, "birth-date": {**LAYLA["birth-date"], "cpr_number": NUMBER}},
    )  # fmt: skip
    other = Family(app.test_client(), lang="da")
    second = _apply(other, other.start(kind="equipment"), {
        **LAYLA,
        "participant": {"first_name": "Leila", "last_name": "Ahmad"},
        "contact": {"phone": "29 99 99 99", "email": "", "language": "da"},
    })  # fmt: skip
    case_url = f"/da/staff/cases/{second}"
    guide.get(case_url)
    wrong = guide.post(f"{case_url}/cpr", {"cpr": "150315-4321"})
    assert wrong.status_code == 422
    assert "De første 6 cifre er ikke fødselsdatoen" in wrong.get_data(as_text=True)
    assert guide.post(f"{case_url}/cpr", {"cpr": "1403154321"}).status_code == 303
    page = guide.get(case_url).get_data(as_text=True)
    assert "Den samme person som" in page and first in page and "140315-XXXX" in page
    _nowhere(page, "the case")
    with app.app_context():
        match = db.session.execute(select(PersonMatch)).scalar_one()
        assert (match.certain, match.state) == (True, MatchState.SAME)
        assert match.decided_by_id is not None  # the guide's, through the number
        people = {p.person_id for p in db.session.execute(select(Participant)).scalars()}
        assert len(people) == 1
    _nowhere(caplog.text, "the log")


def test_rehash_cpr_moves_the_hashes_to_a_new_key(
    app: Flask, runner: FlaskCliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rotating PORTAL_CPR_KEY: the hashes are made again under the new key, and a family's
    number still finds its earlier applications; a second run changes nothing."""
    number = cpr.parse(NUMBER)
    assert number is not None
    with app.app_context():
        reference = make_sent_application(1, born=date(2015, 3, 14))
        participant = db.session.execute(select(Participant)).scalar_one()
        participant.cpr_hash, participant.cpr_birth = number.hashed(), number.birth_part
        db.session.commit()
    # (monkeypatch: the session's app gets its own key back after this test)
    monkeypatch.setitem(app.config, "CPR_OLD_KEY", app.config["CPR_KEY"])
    monkeypatch.setitem(app.config, "CPR_KEY", "a-new-key-of-enough-length-0123")
    for _ in range(2):
        result = runner.invoke(args=["people", "rehash-cpr"])
        assert result.exit_code == 0, result.output
    assert "0 CPR numbers hashed" in result.output and "0 not found" in result.output
    with app.app_context():
        participant = db.session.execute(select(Participant)).scalar_one()
        assert participant.cpr_hash == number.hashed()  # under the new key
        assert participant.cpr_hash != number.hashed(app.config["CPR_OLD_KEY"])
    assert reference
