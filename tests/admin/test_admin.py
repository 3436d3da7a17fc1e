"""Administrators: pools and caps (never below what is committed), and decline reasons that
exist in every language before they can be used. Guides cannot open these pages."""

from __future__ import annotations

import html

from flask import Flask
from sqlalchemy import select

from portal.applications.models import Application, ReasonTemplate
from portal.audit.models import AuditAction, AuditEvent
from portal.auth.models import Role
from portal.db import utcnow
from portal.extensions import db
from portal.schemes.models import Scheme, SchemeKind, SchemeYear
from tests.auth.signing_in import Staff, make_staff


def admin_of(app: Flask) -> Staff:
    with app.app_context():
        make_staff("admin@kommune.dk", Role.ADMIN)
    admin = Staff(app.test_client(), lang="da")
    admin.sign_in("admin@kommune.dk")
    return admin


def test_a_pool_can_change_but_not_below_what_is_approved(
    app: Flask, sent: str, guide: Staff
) -> None:
    guide.get(f"/da/staff/cases/{sent}")
    guide.post(f"/da/staff/cases/{sent}/approve", {"amount_kr": "1200"})
    assert guide.get("/da/staff/admin/schemes").status_code == 403
    admin = admin_of(app)
    page = admin.get("/da/staff/admin/schemes").get_data(as_text=True)
    with app.app_context():
        year_id = db.session.execute(select(SchemeYear.id)).scalar_one()
    assert f'name="y{year_id}-pool_kr"' in page

    def budget(pool: str, cap: str) -> dict[str, str]:
        return {
            "year_id": str(year_id),
            f"y{year_id}-pool_kr": pool,
            f"y{year_id}-cap_per_person_kr": cap,
        }

    too_low = admin.post("/da/staff/admin/schemes", budget("1000", "2000"))
    assert too_low.status_code == 422
    assert "Mindst 1.200 kr." in too_low.get_data(as_text=True).replace("\xa0", " ")
    saved = admin.post("/da/staff/admin/schemes", budget("20 000", "1500"))
    assert saved.status_code == 303
    with app.app_context():
        year = db.session.get(SchemeYear, year_id)
        assert year is not None
        assert (year.pool_kr, year.cap_per_person_kr, year.reserved_kr) == (20_000, 1500, 1200)
        change = db.session.execute(
            select(AuditEvent).where(AuditEvent.action == AuditAction.CHANGE)
        ).scalar_one()
        assert change.details == "pool 10000→20000, cap 2000→1500"


def test_a_reason_needs_every_language_before_guides_can_pick_it(
    app: Flask, sent: str, guide: Staff
) -> None:
    assert guide.get("/da/staff/admin/reasons").status_code == 403
    admin = admin_of(app)
    admin.get("/da/staff/admin/reasons")
    missing = admin.post(
        "/da/staff/admin/reasons",
        {"text_da": "Aktiviteten er ikke dækket af ordningen.", "text_en": "Not covered."},
    )
    assert missing.status_code == 422
    assert "Skriv også begrundelsen på arabisk." in missing.get_data(as_text=True)
    saved = admin.post(
        "/da/staff/admin/reasons",
        {
            "text_da": "Aktiviteten er ikke dækket af ordningen.",
            "text_ar": "النشاط غير مشمول بالبرنامج.",
            "text_en": "The activity is not covered by the scheme.",
        },
    )
    assert saved.status_code == 303
    case = guide.get(f"/da/staff/cases/{sent}").get_data(as_text=True)
    assert "Aktiviteten er ikke dækket af ordningen." in case  # now in the decline list


def test_next_years_pool_is_set_up_before_new_year_from_this_years_figures(
    app: Flask, sent: str
) -> None:
    admin = admin_of(app)
    next_year = utcnow().year + 1
    page = html.unescape(admin.get(f"/en/staff/admin/schemes?year={next_year}").get_data(True))
    assert f"Not set up for {next_year} yet" in page
    with app.app_context():
        scheme_id = db.session.execute(select(SchemeYear.scheme_id)).scalar_one()
    # The form starts from this year's pool and cap.
    assert f'name="s{scheme_id}-pool_kr"' in page and 'value="10000"' in page

    def pool(value: str) -> dict[str, str]:
        return {
            "scheme_id": str(scheme_id),
            f"s{scheme_id}-pool_kr": value,
            f"s{scheme_id}-cap_per_person_kr": "2000",
        }

    assert admin.post(f"/en/staff/admin/schemes?year={next_year}", pool("")).status_code == 422
    saved = admin.post(f"/en/staff/admin/schemes?year={next_year}", pool("12000"))
    assert saved.status_code == 303
    with app.app_context():
        years = db.session.execute(
            select(SchemeYear.year, SchemeYear.pool_kr).order_by(SchemeYear.year)
        ).all()
        assert [tuple(row) for row in years] == [(next_year - 1, 10_000), (next_year, 12_000)]
        assert (
            db.session.execute(
                select(AuditEvent.details).where(AuditEvent.subject_type == "scheme_year")
            ).scalar_one()
            == f"{next_year}: pool 12000, cap 2000"
        )
    # Set up now: a second try (another administrator's old page) changes nothing.
    assert admin.post(f"/en/staff/admin/schemes?year={next_year}", pool("9")).status_code == 404
    assert admin.get(f"/en/staff/admin/schemes?year={next_year + 5}").status_code == 404


def test_a_new_scheme_needs_its_text_in_every_language_and_its_own_letters(
    app: Flask, sent: str
) -> None:
    admin = admin_of(app)
    admin.get("/da/staff/admin/schemes/new")
    answers = {
        "kind": "targeted_activity",
        "prefix": "pc",
        "name_da": "Pigecricket",
        "name_en": "Girls' cricket",
        "description_da": "Kommunen betaler en plads på holdet.",
        "description_ar": "تدفع البلدية مكانًا في الفريق.",
        "description_en": "The municipality pays for a place on the team.",
        "pool_kr": "30000",
        "cap_per_person_kr": "1500",
    }
    missing = admin.post("/da/staff/admin/schemes/new", answers)
    assert missing.status_code == 422
    assert "Skriv også navnet på arabisk." in missing.get_data(as_text=True)
    taken = admin.post(
        "/da/staff/admin/schemes/new", {**answers, "name_ar": "كريكيت البنات", "prefix": "FP"}
    )
    assert taken.status_code == 422
    assert "En anden ordning bruger de bogstaver." in taken.get_data(as_text=True)
    saved = admin.post("/da/staff/admin/schemes/new", {**answers, "name_ar": "كريكيت البنات"})
    assert saved.status_code == 303
    with app.app_context():
        scheme = db.session.execute(
            select(Scheme).where(Scheme.reference_prefix == "PC")
        ).scalar_one()
        assert scheme.kind is SchemeKind.TARGETED_ACTIVITY
        assert scheme.text("ar").name == "كريكيت البنات"
        assert [(y.year, y.pool_kr, y.cap_per_person_kr) for y in scheme.years] == [
            (utcnow().year, 30_000, 1500)
        ]
    assert "Pigecricket" in admin.get("/da/staff/admin/schemes").get_data(as_text=True)


def test_a_reason_can_be_stopped_and_decisions_made_with_it_keep_it(
    app: Flask, sent: str, guide: Staff
) -> None:
    admin = admin_of(app)
    with app.app_context():
        reason_id = db.session.execute(select(ReasonTemplate.id)).scalar_one()
    guide.get(f"/da/staff/cases/{sent}")
    assert (
        guide.post(f"/da/staff/cases/{sent}/decline", {"reason": str(reason_id)}).status_code == 303
    )

    admin.get("/da/staff/admin/reasons")
    assert admin.post(f"/da/staff/admin/reasons/{reason_id}/stop").status_code == 303
    page = admin.get("/da/staff/admin/reasons").get_data(as_text=True)
    assert "Ikke i brug" in page and f"/reasons/{reason_id}/resume" in page
    case = guide.get(f"/da/staff/cases/{sent}").get_data(as_text=True)
    # Not offered any more, but the decision made with it still says why.
    assert f'<option value="{reason_id}"' not in case
    assert "Der er ikke flere penge i puljen i år." in case
    with app.app_context():
        token = db.session.execute(select(Application.token)).scalar_one()
    status = app.test_client().get(f"/ar/applications/{token}").get_data(as_text=True)
    assert "لم يعد هناك مال في الميزانية هذا العام." in status

    assert admin.post(f"/da/staff/admin/reasons/{reason_id}/resume").status_code == 303
    assert "Ikke i brug" not in admin.get("/da/staff/admin/reasons").get_data(as_text=True)
    assert admin.post("/da/staff/admin/reasons/99999/stop").status_code == 404
    assert guide.post(f"/da/staff/admin/reasons/{reason_id}/stop").status_code == 403


def test_a_schemes_success_criterion_is_set_in_every_language_and_shown_in_the_report(
    app: Flask, sent: str
) -> None:
    """The administrator sets the persons to help and the sentence, in Danish, Arabic and
    English (each required); the report counts against it, in the reader's language."""
    admin = admin_of(app)
    with app.app_context():
        year_id = db.session.execute(select(SchemeYear.id)).scalar_one()
    page = admin.get("/da/staff/admin/schemes").get_data(as_text=True)
    assert "Succeskriterium: ikke sat" in page

    def criterion(target: str, da: str, ar: str, en: str) -> dict[str, str]:
        return {
            "criterion_year_id": str(year_id),
            f"c{year_id}-target_people": target,
            f"c{year_id}-criterion_da": da,
            f"c{year_id}-criterion_ar": ar,
            f"c{year_id}-criterion_en": en,
        }

    missing = admin.post("/da/staff/admin/schemes", criterion("abc", "20 børn", "", "20 kids"))
    assert missing.status_code == 422
    text = missing.get_data(as_text=True)
    assert "Skriv et helt antal personer." in text
    assert "Skriv også succeskriteriet på arabisk." in text
    saved = admin.post(
        "/da/staff/admin/schemes",
        criterion("20", "20 børn får et fritidspas", "20 طفلًا يحصلون على بطاقة", "20 children"),
    )
    assert saved.status_code == 303
    with app.app_context():
        year = db.session.get(SchemeYear, year_id)
        assert year is not None and year.target_people == 20
        change = db.session.execute(
            select(AuditEvent).where(AuditEvent.purpose == "success criterion")
        ).scalar_one()
        assert change.details == f"{year.year}: None→20 persons"
    report = admin.get("/ar/staff/reports/").get_data(as_text=True)
    assert "20 طفلًا يحصلون على بطاقة" in report
    report = admin.get("/da/staff/reports/").get_data(as_text=True)
    assert "20 børn får et fritidspas" in report
    assert "0 af 20 personer hjulpet" in report  # the family's application is not decided
