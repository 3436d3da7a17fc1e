"""Six guides record the payout of one case at the same moment, over HTTP (DATA-03 for
payouts): one payment, five clear "someone else got there first" answers naming who paid and
when, never a 500; the ledger pays once. On SQLite and PostgreSQL (``make test-pg``)."""

from __future__ import annotations

import http.client
import re
import threading
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from flask import Flask
from sqlalchemy import func, select
from werkzeug.serving import BaseWSGIServer, make_server

from portal.extensions import db
from portal.schemes.models import LedgerEntry, LedgerKind, Payment, SchemeYear
from portal.workflow import PaymentStatus, StatusChange
from tests.auth.signing_in import Staff, make_staff
from tests.review.cases import approve

GUIDES = 6


@pytest.fixture
def server(app: Flask) -> Iterator[BaseWSGIServer]:
    """The portal on a loopback port, a thread per request (as gunicorn's threads would)."""
    served = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=served.serve_forever, daemon=True)
    thread.start()
    yield served
    served.shutdown()
    thread.join(timeout=10)


def _signed_in(app: Flask, n: int) -> tuple[str, str]:
    """Guide ``n`` signed in: the session cookie and a CSRF token for the case page."""
    email = f"guide{n}@kommune.dk"
    with app.app_context():
        make_staff(email)
    staff = Staff(app.test_client())
    staff.sign_in(email)
    staff.get("/da/staff/")
    cookie = staff.client.get_cookie("portal_session")
    assert cookie is not None and staff.csrf
    return cookie.value, staff.csrf


def test_six_guides_paying_one_case_at_once_pay_it_once(
    app: Flask, sent: str, guide: Staff, server: BaseWSGIServer
) -> None:
    approve(guide, sent)  # 1,200 kr approved, the start confirmed
    sessions = [_signed_in(app, n) for n in range(GUIDES)]
    barrier = threading.Barrier(GUIDES)
    answers: list[tuple[int, str, str]] = []

    def pay(cookie: str, csrf: str) -> None:
        body = urlencode(
            {"csrf_token": csrf, "method": "to_association", "amount_kr": "1200",
             "payee_name": "Vejle Boldklub", "payee_cvr": "12345678", "paid_on": "2026-11-20"}
        )  # fmt: skip
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=60)
        barrier.wait(timeout=60)
        connection.request(
            "POST",
            f"/da/staff/cases/{sent}/payments",
            body,
            {"Content-Type": "application/x-www-form-urlencoded",
             "Cookie": f"portal_session={cookie}"},
        )  # fmt: skip
        response = connection.getresponse()
        answers.append(
            (response.status, response.getheader("Location") or "", response.read().decode())
        )
        connection.close()

    threads = [threading.Thread(target=pay, args=session) for session in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(status for status, _location, _page in answers)
    assert statuses == [303] + [409] * (GUIDES - 1), [a[:2] for a in answers]
    [done] = [location for status, location, _page in answers if status == 303]
    assert "done=paid" in done
    for status, _location, page in answers:
        if status == 409:
            text = re.sub(r"\s+", " ", page)
            assert "Nogen andre kom først" in text
            # Who paid it: "Sagen er nu “Betalt”: Mette Guide, …" (never "the family").
            assert "Sagen er nu “Betalt”: Mette Guide" in text, text[:3000]

    with app.app_context():
        payments = db.session.execute(select(Payment)).scalars().all()
        assert [(p.status, p.amount_kr) for p in payments] == [(PaymentStatus.PAID, 1200)]
        paid = db.session.execute(
            select(func.sum(LedgerEntry.amount_kr)).where(LedgerEntry.kind == LedgerKind.PAY)
        ).scalar_one()
        assert paid == 1200  # the ledger's rows, not a counter
        year = db.session.execute(select(SchemeYear)).scalar_one()
        assert (year.reserved_kr, year.paid_kr) == (0, 1200)
        moves = db.session.execute(
            select(StatusChange.subject, StatusChange.to_status).where(
                StatusChange.to_status == "paid"
            )
        ).all()
        assert sorted(moves) == [("application", "paid"), ("payment", "paid")]
