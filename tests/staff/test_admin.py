"""Administrators: pools and caps (never below what is committed), and decline reasons that
exist in every language before they can be used. Guides cannot open these pages."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from portal.audit.models import AuditAction, AuditEvent
from portal.auth.models import Role
from portal.extensions import db
from portal.schemes.models import SchemeYear
from tests.staff.signing_in import Staff, make_staff
from tests.staff.test_case import guide, sent

__all__ = ["guide", "sent"]


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
    assert "Skriv også begrundelsen på dette sprog." in missing.get_data(as_text=True)
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
