"""One person, one cap (issue 12), over HTTP as families and guides use the portal: the same
child applying three times is one person, and the equipment cap counts all three; a possible
match waits for a guide, whose merge and split move the money with the person (DATA-01)."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import case, func, select

from portal.applications.models import Applicant, Application, Participant
from portal.extensions import db
from portal.people.models import MatchState, PersonMatch
from portal.schemes.models import LedgerEntry, LedgerKind, PersonYear, SchemeKind
from tests.applications.family import Family
from tests.auth.signing_in import Staff
from tests.factories import make_scheme

#: An equipment application for Layla, 500 kr, with the family's e-mail.
LAYLA = {
    "eligibility": {"has_pass": "yes"},
    "participant": {"first_name": "Layla", "last_name": "Ahmed"},
    "birth-date": {"day": "14", "month": "3", "year": "2015"},
    "items": {"description": "Fodboldstøvler", "price_kr": "500", "action": "continue"},
    "paid": {"already_paid": "help"},
    "receipts": {"action": "continue"},
    "contact": {"phone": "", "email": "layla.familie@example.org", "language": "da"},
}
CAP_REFUSED = "Det er mere, end denne persons loft tillader: 0\xa0kr. tilbage i år."


def _equipment_budget(app: Flask) -> None:
    with app.app_context():
        make_scheme(SchemeKind.EQUIPMENT, "UD", pool_kr=10_000, cap_kr=500)


def _apply(family: Family, url: str, answers: dict[str, dict[str, str]]) -> str:
    family.answer_all(url, answers)
    assert family.submit().status_code == 303
    with family.client.application.app_context():
        reference = db.session.execute(
            select(Application.reference).where(Application.token == family.token)
        ).scalar_one()
    assert reference
    return reference


def person_totals_match_the_ledger() -> dict[int, tuple[int, int]]:
    """Each person's running totals, checked against the sums of the ledger rows of the
    person's participants (the truth)."""
    reserved = func.sum(
        case(
            (LedgerEntry.kind == LedgerKind.RESERVE, LedgerEntry.amount_kr),
            else_=-LedgerEntry.amount_kr,
        )
    )
    paid = func.sum(case((LedgerEntry.kind == LedgerKind.PAY, LedgerEntry.amount_kr), else_=0))
    truth = {
        person: (int(r), int(p))
        for person, r, p in db.session.execute(
            select(Participant.person_id, reserved, paid)
            .join(Participant, Participant.id == LedgerEntry.participant_id)
            .group_by(Participant.person_id)
        )
    }
    totals = {
        row.person_id: (row.reserved_kr, row.paid_kr)
        for row in db.session.execute(select(PersonYear)).scalars()
        if row.reserved_kr or row.paid_kr
    }
    assert totals == truth
    return totals


def test_the_same_child_three_times_gets_the_cap_once(app: Flask, guide: Staff) -> None:
    """Issue 12's journey: a first application, "apply for another child" with the same child,
    and a fresh application from another browser. One person; 500 kr approved in all."""
    _equipment_budget(app)
    family = Family(app.test_client(), lang="da")
    first = _apply(family, family.start(kind="equipment"), LAYLA)
    another = family.post(f"/da/apply/{family.token}/another")
    assert another.status_code == 303
    family.token = another.location.split("/")[3]
    second = _apply(family, another.location, LAYLA)
    stranger = Family(app.test_client(), lang="da")
    third = _apply(stranger, stranger.start(kind="equipment"), LAYLA)

    with app.app_context():
        people = db.session.execute(
            select(func.count(func.distinct(Participant.person_id)))
        ).scalar_one()
        assert people == 1  # three participant rows, one person
        links = db.session.execute(select(PersonMatch)).scalars().all()
        assert {(m.certain, m.state) for m in links} == {(True, MatchState.SAME)}

    page = guide.get(f"/da/staff/cases/{third}").get_data(as_text=True)
    assert first in page and second in page  # the person's other applications, on the case

    assert guide.post(f"/da/staff/cases/{first}/approve", {"amount_kr": "500"}).status_code == 303
    for reference in (second, third):
        refused = guide.post(f"/da/staff/cases/{reference}/approve", {"amount_kr": "500"})
        assert refused.status_code == 409
        assert CAP_REFUSED in refused.get_data(as_text=True)
    with app.app_context():
        approved = db.session.execute(
            select(func.sum(LedgerEntry.amount_kr)).where(LedgerEntry.kind == LedgerKind.RESERVE)
        ).scalar_one()
        assert approved == 500
        assert list(person_totals_match_the_ledger().values()) == [(500, 0)]
    # What is left of the cap, on the case of the second application.
    page = guide.get(f"/da/staff/cases/{second}").get_data(as_text=True)
    assert re.search(r"Tilbage under personens loft</dt><dd><strong>0\xa0kr.</strong>", page)


def test_a_possible_match_holds_the_money_until_a_guide_decides(app: Flask, guide: Staff) -> None:
    """The name in Arabic with another Latin spelling and another phone: maybe the same. The
    guide sees it, cannot approve money, merges (the money counts together) and splits again."""
    _equipment_budget(app)
    family = Family(app.test_client(), lang="da")
    first = _apply(family, family.start(kind="equipment"), LAYLA)
    guide.get(f"/da/staff/cases/{first}")
    assert guide.post(f"/da/staff/cases/{first}/approve", {"amount_kr": "300"}).status_code == 303

    arabic = Family(app.test_client(), lang="ar")
    url = arabic.start(kind="equipment")
    answers = {
        **LAYLA,
        "participant": {"first_name": "ليلى", "last_name": "أحمد"},
        "latin-name": {"latin_first_name": "Leila", "latin_last_name": "Ahmad"},
        "contact": {"phone": "29 99 99 99", "email": "", "language": "ar"},
    }
    second = _apply(arabic, url, answers)

    case_url = f"/da/staff/cases/{second}"
    page = guide.get(case_url).get_data(as_text=True)
    assert "Måske den samme som" in page and first in page
    assert "Leila Ahmad · ليلى أحمد" in page  # both spellings, for Danish staff
    queue = guide.get("/da/staff/?q=leila+ahm").get_data(as_text=True)
    assert second in queue and "Samme person?" in queue  # found by the Latin spelling
    refused = guide.post(f"{case_url}/approve", {"amount_kr": "300"})
    assert refused.status_code == 409
    assert "Sig først, om det er den samme person" in refused.get_data(as_text=True)

    with app.app_context():
        match = db.session.execute(select(PersonMatch)).scalar_one()
        match_id = match.id
        assert (match.certain, match.state) == (False, MatchState.OPEN)
    assert guide.post(f"{case_url}/matches/{match_id}", {"same": "yes"}).status_code == 303
    # The same person now: the first application's 300 kr count, so 200 kr are left.
    refused = guide.post(f"{case_url}/approve", {"amount_kr": "300"})
    assert refused.status_code == 409
    assert "200\xa0kr. tilbage i år" in refused.get_data(as_text=True)
    assert guide.post(f"{case_url}/approve", {"amount_kr": "200"}).status_code == 303
    with app.app_context():
        assert list(person_totals_match_the_ledger().values()) == [(500, 0)]

    # A split: the second application's 200 kr go with it to its own person again.
    assert guide.post(f"{case_url}/matches/{match_id}", {"same": "no"}).status_code == 303
    with app.app_context():
        assert sorted(person_totals_match_the_ledger().values()) == [(200, 0), (300, 0)]
        match = db.session.get(PersonMatch, match_id)
        assert match is not None and match.state is MatchState.NOT_SAME
        assert match.decided_by_id is not None and match.decided_at is not None
    page = guide.get(case_url).get_data(as_text=True)
    assert "Ikke den samme person som" in page and "Afgjort af en vejleder" in page
    # Merged again, the person has 500 kr of 500: at the cap, not over it.
    assert guide.post(f"{case_url}/matches/{match_id}", {"same": "yes"}).status_code == 303
    with app.app_context():
        assert list(person_totals_match_the_ledger().values()) == [(500, 0)]


def test_a_merge_over_the_cap_is_flagged_and_blocks_more(app: Flask, guide: Staff) -> None:
    """Both approved before anyone knew they were the same child: the merge is allowed (the
    money is out), the case and the queue say "over the cap", and nothing more passes."""
    _equipment_budget(app)
    family = Family(app.test_client(), lang="da")
    first = _apply(family, family.start(kind="equipment"), LAYLA)
    other = Family(app.test_client(), lang="da")
    second = _apply(other, other.start(kind="equipment"), {
        **LAYLA, "contact": {"phone": "29 99 99 99", "email": "", "language": "da"},
    })  # fmt: skip
    third = _apply(other, other.start(kind="equipment"), {
        **LAYLA, "contact": {"phone": "29 99 99 99", "email": "", "language": "da"},
    })  # fmt: skip
    with app.app_context():
        match_id = (
            db.session.execute(select(PersonMatch.id).where(PersonMatch.state == MatchState.OPEN))
            .scalars()
            .first()
        )
    guide.get(f"/da/staff/cases/{first}")
    assert guide.post(f"/da/staff/cases/{first}/approve", {"amount_kr": "400"}).status_code == 303
    case_url = f"/da/staff/cases/{second}"
    assert guide.post(f"{case_url}/matches/{match_id}", {"same": "no"}).status_code == 303
    assert guide.post(f"{case_url}/approve", {"amount_kr": "400"}).status_code == 303
    assert guide.post(f"{case_url}/matches/{match_id}", {"same": "yes"}).status_code == 303

    page = guide.get(case_url).get_data(as_text=True)
    assert "Over loftet: personen har fået 800\xa0kr." in page
    assert "Over loftet" in guide.get("/da/staff/?waiting=").get_data(as_text=True)
    # The third application (the second's person, and with it now the first's): the merge
    # answered its own "same person?", and the cap refuses it.
    refused = guide.post(f"/da/staff/cases/{third}/approve", {"amount_kr": "1"})
    assert refused.status_code == 409
    assert CAP_REFUSED in refused.get_data(as_text=True)
    with app.app_context():
        assert list(person_totals_match_the_ledger().values()) == [(800, 0)]


def test_the_case_shows_the_familys_other_children_from_another_browser(
    app: Flask, guide: Staff
) -> None:
    """A sibling applied for from a fresh browser (a new household) with the same e-mail: the
    parent is one person, and the case lists the sibling's application with its support."""
    _equipment_budget(app)
    family = Family(app.test_client(), lang="da")
    first = _apply(family, family.start(kind="equipment"), LAYLA)
    guide.get(f"/da/staff/cases/{first}")
    assert guide.post(f"/da/staff/cases/{first}/approve", {"amount_kr": "450"}).status_code == 303
    again = Family(app.test_client(), lang="da")
    sibling = _apply(again, again.start(kind="equipment"), {
        **LAYLA,
        "participant": {"first_name": "Omar", "last_name": "Ahmed"},
        "birth-date": {"day": "9", "month": "9", "year": "2017"},
    })  # fmt: skip
    with app.app_context():
        applicants = {a.person_id for a in db.session.execute(select(Applicant)).scalars()}
        assert len(applicants) == 1 and None not in applicants
        assert db.session.execute(select(PersonMatch)).first() is None  # two children
    page = guide.get(f"/da/staff/cases/{sibling}").get_data(as_text=True)
    others = page.split("Familiens andre ansøgninger i år")[1].split("</ul>")[0]
    assert first in others and "Layla Ahmed" in others and "450\xa0kr." in others
