"""DK-31: a guide applies with a family sitting across the desk, in the family's language; the
family gets a link, sees what was filled in and says yes (time and language recorded) or
corrects it; only then does the application reach the queue. Every step is audited."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from portal.applications.models import Application
from portal.audit.models import AuditEvent
from portal.auth.models import AccessToken, Role, TokenPurpose
from portal.db import utcnow
from portal.extensions import db
from portal.schemes.models import SchemeKind
from portal.workflow import ApplicationStatus
from tests.applications.family import Family
from tests.auth.signing_in import Staff, make_staff
from tests.factories import make_activity, make_scheme
from tests.outbox.sent import messages

LINK = re.compile(r"https?://[^\s]+/(\w\w)/consent/([\w-]+)")


@pytest.fixture
def activity(app: Flask) -> str:
    with app.app_context():
        make_scheme(SchemeKind.LEISURE_PASS, "FP", pool_kr=10_000, cap_kr=2_000)
        return make_activity(min_age=6, max_age=14, fee_kr=1200).slug


def _application(app: Flask) -> Application:
    with app.app_context():
        application = db.session.execute(select(Application)).scalar_one()
        db.session.expunge(application)
        return application


def _fill_in_with_the_family(guide: Staff, activity: str, lang: str = "ar") -> Family:
    """The guide starts in the staff pages and answers every question in the family's language."""
    start = guide.get("/da/staff/on-behalf")
    assert start.status_code == 200
    response = guide.post("/da/staff/on-behalf", {"language": lang, "kind": "leisure_pass"})
    assert response.status_code == 303
    assert response.location.startswith(f"/{lang}/apply/")
    desk = Family(guide.client, lang=lang)
    desk.token = response.location.split("/")[3]
    check = desk.answer_all(response.location, {"activity": {"activity": activity}})
    assert check.endswith("/check")
    return desk


def _send_the_link(app: Flask, guide: Staff, desk: Family) -> tuple[str, str]:
    """The guide presses "send the link"; returns the link's (language, token) from the SMS."""
    page = desk.read(f"/{desk.lang}/apply/{desk.token}/check")
    assert f'action="/{desk.lang}/staff/on-behalf/{desk.token}/send"' in page
    response = desk.post(f"/{desk.lang}/staff/on-behalf/{desk.token}/send")
    assert response.status_code == 303
    assert response.location.startswith("/da/staff/on-behalf?sent=")
    sms = [m for m in messages(app, "consent_request") if m.channel == "sms"][-1]
    found = LINK.search(sms.body)
    assert found, sms.body
    return found.group(1), found.group(2)


def test_a_guide_fills_it_in_in_arabic_and_the_family_says_yes_on_its_phone(
    app: Flask, activity: str, guide: Staff
) -> None:
    desk = _fill_in_with_the_family(guide, activity)
    check = desk.read(f"/ar/apply/{desk.token}/check")
    # The family reads along in Arabic; the guide's bar above it is in the guide's Danish.
    assert '<html lang="ar" dir="rtl">' in check
    assert re.search(r'class="assist-banner" lang="da" dir="ltr"', check)
    assert messages(app, "resume_link") == []  # the family gets one link: the consent link

    # The guide cannot send it for the family: the citizen's "send" only comes back.
    assert desk.submit().status_code == 303
    assert _application(app).status is ApplicationStatus.DRAFT

    lang, token = _send_the_link(app, guide, desk)
    assert lang == "ar"
    sms = [m for m in messages(app, "consent_request") if m.channel == "sms"][-1]
    assert sms.locale == "ar" and sms.recipient == "+4520123456"
    # The guide's browser has let go of the draft; the staff page lists it as waiting.
    assert guide.client.get(f"/ar/apply/{desk.token}/check").status_code == 403
    waiting = html.unescape(guide.get("/en/staff/on-behalf").get_data(as_text=True))
    assert "Waiting for the family's yes" in waiting and "Amira Haddad" in waiting
    assert f"/staff/on-behalf/{desk.token}/send" in waiting

    phone = Family(app.test_client(), lang="ar")
    page = phone.read(f"/ar/consent/{token}")
    assert "Amira Haddad" in page and "7100" in page
    seen = re.search(r'name="seen" type="hidden" value="(\w+)"', page)
    assert seen, page
    response = phone.post(f"/ar/consent/{token}", {"seen": seen.group(1)})
    assert response.status_code == 303
    assert "consented=1" in response.location

    application = _application(app)
    assert application.status is ApplicationStatus.SUBMITTED
    assert application.consent_locale == "ar"
    assert application.consent_at is not None
    assert utcnow() - application.consent_at < timedelta(minutes=1)
    assert application.reference and application.made_by_guide_id
    assert [m.locale for m in messages(app, "application_submitted")] == ["ar"]
    # The link has done its work: now it shows where the application stands.
    assert phone.client.get(f"/ar/consent/{token}").location == response.location.split("?")[0]

    case = html.unescape(guide.get(f"/en/staff/cases/{application.reference}").get_data(True))
    assert "Made with a guide (Mette Guide)" in case
    assert "The family said yes on" in case and "العربية" in case

    with app.app_context():
        purposes = [
            (event.purpose, event.household_id)
            for event in db.session.execute(
                select(AuditEvent).where(AuditEvent.purpose.like("on behalf%"))
            ).scalars()
        ]
    assert purposes == [
        ("on behalf of the family: started", application.household_id),
        ("on behalf of the family: consent link sent", application.household_id),
    ]


def test_the_family_corrects_an_answer_in_danish_and_sending_it_is_the_yes(
    app: Flask, activity: str, guide: Staff
) -> None:
    desk = _fill_in_with_the_family(guide, activity)
    _lang, token = _send_the_link(app, guide, desk)
    phone = Family(app.test_client(), lang="da")
    phone.read(f"/da/consent/{token}")
    response = phone.post(f"/da/consent/{token}/correct")
    assert response.location == f"/da/apply/{desk.token}/check"
    phone.token = desk.token
    phone.answer(f"/da/apply/{desk.token}/postcode?change=1", {"postcode": "7000"})
    check = phone.read(f"/da/apply/{desk.token}/check")
    assert "assist-banner" not in check  # the family's own browser: no guide's bar
    assert f'action="/da/apply/{desk.token}/check"' in check
    assert phone.submit().status_code == 303

    application = _application(app)
    assert application.status is ApplicationStatus.SUBMITTED
    assert application.consent_locale == "da"
    with app.app_context():
        assert db.session.get(Application, application.id).household.postcode == "7000"
        # Sending retired the consent link.
        assert db.session.execute(
            select(AccessToken.used_at).where(AccessToken.purpose == TokenPurpose.FAMILY_CONSENT)
        ).scalar_one()


def test_a_yes_counts_only_for_the_answers_the_family_saw(
    app: Flask, activity: str, guide: Staff
) -> None:
    desk = _fill_in_with_the_family(guide, activity)
    _lang, token = _send_the_link(app, guide, desk)
    phone = Family(app.test_client(), lang="ar")
    seen = re.search(r'name="seen" type="hidden" value="(\w+)"', phone.read(f"/ar/consent/{token}"))
    assert seen

    # Meanwhile the guide opens the draft again and changes the postcode.
    assert guide.post(f"/da/staff/on-behalf/{desk.token}/open").status_code == 303
    desk.answer(f"/ar/apply/{desk.token}/postcode?change=1", {"postcode": "6000"})

    response = phone.post(f"/ar/consent/{token}", {"seen": seen.group(1)})
    assert response.status_code == 409
    page = html.unescape(response.get_data(as_text=True))
    assert "6000" in page and 'role="alert"' in page
    assert _application(app).status is ApplicationStatus.DRAFT

    again = re.search(r'name="seen" type="hidden" value="(\w+)"', page)
    assert again and again.group(1) != seen.group(1)
    assert phone.post(f"/ar/consent/{token}", {"seen": again.group(1)}).status_code == 303
    assert _application(app).status is ApplicationStatus.SUBMITTED


def test_an_old_replaced_or_unknown_link_opens_nothing_and_says_what_to_do(
    app: Flask, activity: str, guide: Staff
) -> None:
    desk = _fill_in_with_the_family(guide, activity)
    _lang, first = _send_the_link(app, guide, desk)
    # "Send the link again" from the list: the first link stops working.
    guide.get("/da/staff/on-behalf")
    assert guide.post(f"/da/staff/on-behalf/{desk.token}/send").status_code == 303
    phone = Family(app.test_client(), lang="ar")
    assert phone.client.get(f"/ar/consent/{first}").status_code == 410
    second = LINK.search(
        [m for m in messages(app, "consent_request") if m.channel == "sms"][-1].body
    )
    assert second and second.group(2) != first
    phone.read(f"/ar/consent/{second.group(2)}")
    with app.app_context():
        db.session.execute(update(AccessToken).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    assert phone.client.get(f"/ar/consent/{second.group(2)}").status_code == 410
    assert phone.client.get("/ar/consent/not-a-real-link").status_code == 404
    assert phone.client.post("/ar/consent/not-a-real-link").status_code == 400  # no CSRF token


@pytest.mark.parametrize(
    ("who", "expected"),
    [(None, 303), (Role.ASSOCIATION, 403), (Role.GUIDE, 200), (Role.ADMIN, 200)],
)
def test_only_staff_apply_with_a_family(app: Flask, who: Role | None, expected: int) -> None:
    """SEC-20."""
    client = app.test_client()
    if who is not None:
        with app.app_context():
            make_staff(f"{who}@kommune.dk", who)
        Staff(client, lang="da").sign_in(f"{who}@kommune.dk")
    assert client.get("/da/staff/on-behalf").status_code == expected
