"""The report page, its printable version and its exports, as a guide meets them. Each opening
and each export is in the audit log (DK-10: searches, exports and prints are audited). Who may
open them: tests/test_access.py."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from flask import Flask
from sqlalchemy import select

from portal.audit.models import AuditAction, AuditEvent
from portal.extensions import db
from tests.auth.signing_in import Staff
from tests.reports import dataset


def _audit_rows(app: Flask) -> list[tuple[AuditAction, str, str, str | None]]:
    with app.app_context():
        return [
            (e.action, e.subject_type, e.purpose, e.details)
            for e in db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()
        ]


def test_a_guide_reads_the_report_with_charts_and_tables(app: Flask, guide: Staff) -> None:
    with app.app_context():
        dataset.build()
    response = guide.get("/da/staff/reports/?year=2025")
    assert response.status_code == 200
    page = response.text
    assert "<h1>Rapport 2025</h1>" in page
    # Every chart is an image with a title and a description, and a table follows it.
    charts = re.findall(r'<svg class="chart__svg"[^>]*aria-labelledby="([^"]+)"', page)
    assert len(charts) == 9  # money, 4 breakdowns, starts, criteria, 2 per month
    for ids in charts:
        title, desc = ids.split()
        assert f'<title id="{title}">' in page and f'<desc id="{desc}">' in page
    assert "100.000\xa0kr." in page and "91.500\xa0kr." in page  # the pool and what is left
    assert "19 personer søgte, og 14 fik godkendt" in page
    assert "&lt; 5" in page  # small groups hidden
    assert "12 af 20 personer hjulpet" not in page and "13 af 20 personer hjulpet" in page
    assert ("view", "report", "report", "year=2025") in [
        (a.value, s, p, d) for a, s, p, d in _audit_rows(app)
    ]


def test_the_report_in_arabic_is_right_to_left(app: Flask, guide: Staff) -> None:
    with app.app_context():
        dataset.build()
    page = guide.get("/ar/staff/reports/?year=2025").text
    assert '<html lang="ar" dir="rtl">' in page
    assert "Fritidspas (ar)" in page
    assert "الدانمركية" in page  # the family's language named in the reader's language


def test_a_filter_nobody_offers_falls_back_instead_of_failing(app: Flask, guide: Staff) -> None:
    for query in (
        "year=abc&period=x&scheme=999&activity=-1&association=x",
        "year=1900",
        "year=2025&period=season&_external=1",
    ):
        response = guide.get(f"/da/staff/reports/?{query}")
        assert response.status_code == 200, query


def test_the_report_as_csv_and_excel(app: Flask, guide: Staff) -> None:
    with app.app_context():
        dataset.build()
    response = guide.get("/da/staff/reports/report.csv?year=2025")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert 'filename="rapport-2025.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    titles = [row[0] for n, row in enumerate(rows) if n == 0 or (rows[n - 1] == [] and row)]
    assert titles == [
        "Penge",
        "Ansøgninger",
        "Personer hjulpet",
        "Startede og blev ved",
        "Succeskriterier",
        "Over tid",
    ]
    assert ["Fritidspas", "", "100000", "9500", "5000", "1000", "3500", "91500"] in rows
    assert ["Køn", "Andet, eller vil helst ikke sige det", "< 5", "", "< 5", ""] in rows

    book = guide.client.get("/da/staff/reports/report.xlsx?year=2025&period=season")
    assert book.status_code == 200
    with zipfile.ZipFile(io.BytesIO(book.data)) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        assert re.findall(r'<sheet name="([^"]+)"', workbook) == [
            "Penge",
            "Ansøgninger",
            "Personer hjulpet",
            "Startede og blev ved",
            "Succeskriterier",
            "Over tid",
        ]
    exports = [(a, p, d) for a, _s, p, d in _audit_rows(app) if a is AuditAction.EXPORT]
    assert exports == [
        (AuditAction.EXPORT, "report csv", "year=2025"),
        (AuditAction.EXPORT, "report xlsx", "year=2025&period=season"),
    ]


def test_the_committees_printable_report(app: Flask, guide: Staff) -> None:
    with app.app_context():
        dataset.build()
    page = guide.get("/da/staff/reports/print?year=2025&scheme=").text
    start = page.index('<td class="print-header">')
    header = page[start : page.index("</td>", start)]
    assert "Demo Kommune" in header and "Rapport 2025" in header
    assert "Periode: Kalenderår (budgetåret)" in header and "Udskrevet" in header
    assert page.count('<svg class="chart__svg"') == 9
    assert "staff-bar" not in page  # no navigation on paper
