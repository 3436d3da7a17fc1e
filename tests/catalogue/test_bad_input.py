"""Bad input to the filter form gets a page in the right language, never a 500 (QUALITY.md)."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.forms import unprintable
from tests.factories import make_activity

NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "١١",
        "11\u202e",  # right-to-left override
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "9" * 400,
        "-1",
        "1e9",
        "😀",
        "عشرة",
        "%00",
        "0x10",
    ]
)
VALUES = st.one_of(NASTY, st.text(max_size=200))


@pytest.fixture
def one_activity(app_context: None) -> None:
    """Created once for all examples (Hypothesis runs them inside one test call)."""
    make_activity()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    age=VALUES,
    who=VALUES,
    days=st.lists(VALUES, max_size=4),
    area=VALUES,
    lang=st.sampled_from(["da", "ar", "en"]),
)
def test_filter_form_survives_any_input(
    client: FlaskClient,
    app_context: None,
    age: str,
    who: str,
    days: list[str],
    area: str,
    lang: str,
) -> None:
    query = urlencode([("age", age), ("who", who), *[("day", d) for d in days], ("area", area)])
    # A control character or a lone surrogate is refused at the edge (400, in the page's
    # language); anything else is a filter the page copes with.
    refused = any(unprintable(value) for value in (age, who, area, *days))
    for headers in ({}, {"HX-Request": "true"}):
        response = client.get(f"/{lang}/activities?{query}", headers=headers)
        assert response.status_code == (400 if refused else 200)
        html = response.get_data(as_text=True)
        if refused:
            assert f'<html lang="{lang}"' in html
            continue
        assert "<script>alert(1)</script>" not in html
