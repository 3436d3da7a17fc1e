"""Bad input to every question gets a page in the right language, never a 500 (QUALITY.md:
very long text, Arabic and emoji, right-to-left overrides, HTML, SQL, NUL bytes, malformed
dates, forged fields)."""

from __future__ import annotations

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.applications.steps import STEPS
from portal.forms import unprintable
from tests.applications.family import ANSWERS, Family
from tests.catalogue.test_bad_input import VALUES
from tests.factories import make_activity
from tests.pages import check_page

FIELDS = {
    "activity": ["activity", "other_club_name", "other_activity_name", "other_fee_kr"],
    "participant": ["first_name", "last_name"],
    "latin-name": ["latin_first_name", "latin_last_name"],
    "birth-date": ["day", "month", "year", "ask_anyway", "cpr_number"],
    "gender": ["gender", "ask_anyway"],
    "items": ["description", "price_kr", "action", "remove"],
    "paid": ["already_paid"],
    "receipts": ["action", "remove"],
    "relation": ["relation"],
    "contact": ["phone", "email", "language"],
    "postcode": ["postcode"],
    "message": ["message"],
}
ORDER = ["participant", "birth-date", "gender", "relation", "contact", "postcode", "message"]
#: Equipment support's own questions, and what gets a draft past each.
EQUIPMENT = {
    "eligibility": {"has_pass": "yes"},
    **{step: ANSWERS[step] for step in ("participant", "birth-date")},
    "items": {"description": "Støvler", "price_kr": "300", "action": "continue"},
    "paid": {"already_paid": "help"},
    "receipts": {"action": "continue"},
}


@pytest.fixture
def drafts(app: Flask) -> dict[str, tuple[Family, str]]:
    """For each question, a family whose draft has reached it (made once per test)."""
    with app.app_context():
        slug = make_activity(audience="girls", min_age=6, max_age=16).slug
    found: dict[str, tuple[Family, str]] = {}
    for step in ORDER:
        family = Family(app.test_client(), lang="ar")
        url = family.start(slug)
        for earlier in ORDER[: ORDER.index(step)]:
            url = family.answer(url, ANSWERS[earlier]).location
        found[step] = (family, url)
    family = Family(app.test_client(), lang="ar")
    url = family.answer(family.start(slug), {"first_name": "ليلى", "last_name": "أحمد"}).location
    assert url.endswith("/latin-name")
    found["latin-name"] = (family, url)
    family = Family(app.test_client(), lang="da")
    found["activity"] = (family, family.start(kind="leisure_pass"))
    for step in ("items", "paid", "receipts"):
        family = Family(app.test_client(), lang="ar")
        url = family.start(kind="equipment")
        for earlier in list(EQUIPMENT)[: list(EQUIPMENT).index(step)]:
            url = family.answer(url, EQUIPMENT[earlier]).location
        found[step] = (family, url)
    return found


def test_every_question_is_covered() -> None:
    assert set(FIELDS) == {step.name for step in STEPS} - {"eligibility", "waiting-list"}


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(step=st.sampled_from(sorted(FIELDS)), values=st.lists(VALUES, min_size=4, max_size=4))
def test_any_input_to_any_question_is_answered_politely(
    drafts: dict[str, tuple[Family, str]], step: str, values: list[str]
) -> None:
    family, url = drafts[step]
    data = dict(zip(FIELDS[step], values, strict=False))
    data["status"] = "approved"  # a forged field is ignored
    response = family.post(url, data)
    if any(unprintable(value, lines=True) for value in data.values()):
        # A control character or a lone surrogate is refused at the edge, in the family's language.
        assert response.status_code == 400
        check_page(response.get_data(as_text=True), family.lang)
        return
    assert response.status_code in (303, 422), response.status_code
    if response.status_code == 422:
        check_page(response.get_data(as_text=True), family.lang)
    else:
        # A valid answer moved the draft on; put the family back on this question.
        assert family.client.get(url).status_code == 200
