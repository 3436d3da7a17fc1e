"""Paying approved money, and the files finance gets: the ledger moves reserved to paid and
returns the rest; CSV and Excel exports carry the association, CVR, amount, reference and
scheme; a formula in a name stays text (SEC-34); every export is audited."""

from __future__ import annotations

import io
import zipfile
from datetime import date

from flask import Flask
from sqlalchemy import select

from portal.applications.models import Application
from portal.audit.models import AuditAction, AuditEvent
from portal.extensions import db
from portal.schemes.models import LedgerEntry, LedgerKind, Payment, SchemeYear
from portal.workflow import ApplicationStatus
from tests.auth.signing_in import Staff
from tests.review.cases import approve


def test_the_membership_fee_is_paid_only_for_a_member_who_has_started(
    app: Flask, sent: str, guide: Staff
) -> None:
    approve(guide, sent, started=False)
    early = guide.post(
        f"/da/staff/cases/{sent}/payments",
        {"method": "to_association", "amount_kr": "1200", "payee_name": "Klubben",
         "payee_cvr": "12345678", "paid_on": "2026-11-20"},
    )  # fmt: skip
    assert early.status_code == 422
    assert "Foreningen har ikke bekræftet starten endnu." in early.get_data(as_text=True)
    guide.post(f"/da/staff/cases/{sent}/confirm-start", {"start_on": "2026-11-20"})
    later = guide.post(
        f"/da/staff/cases/{sent}/payments",
        {"method": "to_association", "amount_kr": "1200", "payee_name": "Klubben",
         "payee_cvr": "12345678", "paid_on": "2026-11-21"},
    )  # fmt: skip
    assert later.status_code == 303


def test_a_payment_moves_money_to_paid_and_returns_the_rest(
    app: Flask, sent: str, guide: Staff
) -> None:
    approve(guide, sent)
    page = guide.get(f"/da/staff/cases/{sent}").get_data(as_text=True)
    assert 'name="payee_cvr"' in page and 'value="1200"' in page  # filled in from the case

    too_much = guide.post(
        f"/da/staff/cases/{sent}/payments",
        {"method": "to_association", "amount_kr": "1300", "payee_name": "Klubben",
         "payee_cvr": "12345678", "paid_on": "2026-11-20"},
    )  # fmt: skip
    assert too_much.status_code == 422
    assert "mere end de 1.200 kr." in too_much.get_data(as_text=True).replace("\xa0", " ")

    paid = guide.post(
        f"/da/staff/cases/{sent}/payments",
        {"method": "to_association", "amount_kr": "1000", "payee_name": "Vejle Boldklub",
         "payee_cvr": "12345678", "reference": "BILAG-77", "paid_on": "2026-11-20"},
    )  # fmt: skip
    assert paid.status_code == 303
    with app.app_context():
        application = db.session.execute(select(Application)).scalar_one()
        assert application.status is ApplicationStatus.PAID
        year = db.session.execute(select(SchemeYear)).scalar_one()
        assert (year.reserved_kr, year.paid_kr) == (0, 1000)  # 200 kr went back to the pool
        kinds = db.session.execute(
            select(LedgerEntry.kind, LedgerEntry.amount_kr).order_by(LedgerEntry.id)
        ).all()
        assert kinds == [
            (LedgerKind.RESERVE, 1200),
            (LedgerKind.PAY, 1000),
            (LedgerKind.RELEASE, 200),
        ]


def test_finance_gets_the_period_as_csv_and_excel_and_formulas_stay_text(
    app: Flask, sent: str, guide: Staff
) -> None:
    approve(guide, sent)
    guide.post(
        f"/da/staff/cases/{sent}/payments",
        {"method": "to_association", "amount_kr": "1200", "payee_name": "=HYPERLINK(\"x\")",
         "payee_cvr": "12345678", "paid_on": "2026-11-20"},
    )  # fmt: skip
    with app.app_context():
        assert db.session.execute(select(Payment)).scalar_one().amount_kr == 1200

    csv = guide.client.get("/da/staff/exports/payments.csv?start=2026-11-01&end=2026-11-30")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"  # once (issue 13, defect 9)
    assert csv.headers["Cache-Control"] == "private, no-store"
    text = csv.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Forening / modtager;CVR;Beløb (kr.);Reference")
    # The name starts with a quote in the cell, so Excel shows it instead of running it.
    assert f'"\'=HYPERLINK(""x"")";12345678;1200;{sent};' in text
    assert ";2026-11-20;Til foreningen;" in text  # words, not codes (issue 18, item 10)
    outside = guide.client.get("/da/staff/exports/payments.csv?start=2026-10-01&end=2026-10-31")
    assert sent not in outside.data.decode("utf-8-sig")

    xlsx = guide.client.get("/da/staff/exports/payments.xlsx?start=2026-11-01&end=2026-11-30")
    book = zipfile.ZipFile(io.BytesIO(xlsx.data))
    strings = book.read("xl/sharedStrings.xml").decode()
    assert sent in strings and "'=HYPERLINK" in strings
    assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()  # no formula cells

    with app.app_context():
        exported = (
            db.session.execute(select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORT))
            .scalars()
            .all()
        )
        assert len(exported) == 3 and exported[0].purpose == "finance: payouts"


def test_the_filtered_queue_downloads_as_it_is_shown(app: Flask, sent: str, guide: Staff) -> None:
    csv = guide.client.get("/da/staff/exports/queue.csv?language=ar").data.decode("utf-8-sig")
    assert sent in csv and "Amira" in csv
    assert ";Modtaget;arabisk" in csv  # the status and the language in words (issue 18, item 10)
    assert sent not in guide.client.get("/da/staff/exports/queue.csv?language=en").data.decode()
    assert date.today().isoformat()[:4] in csv


def test_approved_money_not_used_in_time_returns_to_the_pool_and_the_family_is_told(
    app: Flask, sent: str, guide: Staff, runner
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from sqlalchemy import update

    from portal.db import utcnow
    from portal.outbox.models import OutboxMessage

    approve(guide, sent)
    assert runner.invoke(args=["money", "expire"]).output == "0 approvals expired.\n"
    with app.app_context():
        days = app.config["APPROVAL_EXPIRES_DAYS"]
        db.session.execute(
            update(Application).values(decided_at=utcnow() - timedelta(days=days + 1))
        )
        db.session.commit()
    assert runner.invoke(args=["money", "expire"]).output == "1 approvals expired.\n"
    with app.app_context():
        application = db.session.execute(select(Application)).scalar_one()
        assert application.status is ApplicationStatus.EXPIRED
        year = db.session.execute(select(SchemeYear)).scalar_one()
        assert year.reserved_kr == 0
        sms = db.session.execute(
            select(OutboxMessage.body).where(OutboxMessage.template == "approval_expired")
        ).scalar_one()
        assert sent in sms  # in Arabic, the family's language
    assert runner.invoke(args=["money", "expire"]).output == "0 approvals expired.\n"
