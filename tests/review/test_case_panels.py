"""The case in panels: a POST that fails re-renders only its own panel for htmx (with the
input kept and the error beside it and in a summary that is announced), or the whole page
without JavaScript; one that works sends htmx to the page; a case that moved on meanwhile
comes back whole."""

from __future__ import annotations

import re

from flask import Flask

from tests.auth.signing_in import Staff

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://localhost/da/staff/cases/x"}


def _post(staff: Staff, url: str, data: dict[str, str], htmx: bool) -> tuple[int, str, dict]:
    if staff.csrf is None:
        staff.get(url.rsplit("/", 1)[0])
    response = staff.client.post(
        url, data={"csrf_token": staff.csrf or "", **data}, headers=HTMX if htmx else {}
    )
    return response.status_code, response.get_data(as_text=True), dict(response.headers)


def test_a_failed_decision_with_htmx_is_its_panel_alone(
    app: Flask, sent: str, guide: Staff
) -> None:
    guide.get(f"/da/staff/cases/{sent}")
    status, body, headers = _post(guide, f"/da/staff/cases/{sent}/ask", {"question": ""}, htmx=True)
    assert status == 422
    assert body.lstrip().startswith('<section class="case-panel" id="panel-decide"')
    assert "<html" not in body and "<h1" not in body
    assert 'role="alert"' in body and 'href="#question"' in body  # the summary, linked
    assert "HX-Request" in headers["Vary"]
    # The other forms of the panel are there too, fresh (the decline's reasons listed).
    assert 'name="reason"' in body and "Der er ikke flere penge i puljen i år." in body


def test_a_failed_note_keeps_what_was_typed_in_its_panel(
    app: Flask, sent: str, guide: Staff
) -> None:
    guide.get(f"/da/staff/cases/{sent}")
    long = "x" * 5000
    status, body, _headers = _post(guide, f"/da/staff/cases/{sent}/notes", {"body": long}, True)
    assert status == 422
    assert body.lstrip().startswith('<section class="case-panel" id="panel-notes"')
    assert long in body  # nothing lost


def test_without_javascript_a_failed_decision_is_the_whole_page(
    app: Flask, sent: str, guide: Staff
) -> None:
    guide.get(f"/da/staff/cases/{sent}")
    status, body, _headers = _post(
        guide, f"/da/staff/cases/{sent}/decline", {"reason": ""}, htmx=False
    )
    assert status == 422
    assert "<h1>" in body and 'id="panel-answers"' in body and 'id="panel-decide"' in body
    assert re.search(r'id="decline-errors"[^>]*role="alert"', body)


def test_a_decision_that_works_sends_htmx_to_the_page(app: Flask, sent: str, guide: Staff) -> None:
    guide.get(f"/da/staff/cases/{sent}")
    status, body, headers = _post(
        guide, f"/da/staff/cases/{sent}/approve", {"amount_kr": "1200"}, htmx=True
    )
    assert status == 200 and body == ""
    assert headers["HX-Redirect"] == f"/da/staff/cases/{sent}?done=approved"
    page = guide.get(f"/da/staff/cases/{sent}?done=approved").get_data(as_text=True)
    assert "Familien har fået besked på sit sprog." in page


def test_a_case_decided_meanwhile_comes_back_whole(app: Flask, sent: str, guide: Staff) -> None:
    guide.get(f"/da/staff/cases/{sent}")
    assert _post(guide, f"/da/staff/cases/{sent}/approve", {"amount_kr": "1200"}, False)[0] == 303
    status, body, headers = _post(
        guide, f"/da/staff/cases/{sent}/ask", {"question": "Hvilken klub?"}, htmx=True
    )
    assert status == 409
    assert "<h1>" in body and "Nogen andre kom først" in body
    assert (headers["HX-Retarget"], headers["HX-Reselect"]) == ("#main", "#main")
