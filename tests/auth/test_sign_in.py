"""Staff sign-in: password (argon2), then TOTP or a recovery code; a gentle lock-out; sessions
that end after a while without activity; pages that only staff can open."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, update
from werkzeug.test import TestResponse

from portal.auth.models import RecoveryCode, Role, SignInLock, StaffSession, User
from portal.db import utcnow
from portal.extensions import db
from tests.auth.signing_in import PASSWORD, SECRET, Staff, code_now, make_staff


@pytest.fixture
def guide(app: Flask) -> int:
    with app.app_context():
        return make_staff()


def test_password_then_code_opens_the_queue(app: Flask, guide: int) -> None:
    staff = Staff(app.test_client(), lang="en")
    assert staff.get("/en/staff/").location.startswith("/en/staff/sign-in")  # not yet

    response = staff.password()
    assert response.status_code == 303 and response.location == "/en/staff/sign-in/code"
    page = staff.get("/en/staff/sign-in/code").get_data(as_text=True)
    assert 'autocomplete="one-time-code"' in page

    response = staff.code(code_now())
    assert response.status_code == 303 and response.location == "/en/staff/"
    queue = staff.get("/en/staff/")
    assert queue.status_code == 200 and "Mette Guide" in queue.get_data(as_text=True)
    assert queue.headers["Cache-Control"] == "no-store"


def test_a_code_works_once_and_a_wrong_one_is_said_plainly(app: Flask, guide: int) -> None:
    code = code_now()
    first = Staff(app.test_client(), lang="en")
    first.password()
    assert first.code(code).status_code == 303
    again = Staff(app.test_client(), lang="en")
    again.password()
    replay = again.code(code)  # the same code a moment later (someone looking over a shoulder)
    assert replay.status_code == 422
    assert "is not right" in replay.get_data(as_text=True)
    assert again.code(code_now(offset=1)).status_code == 303  # the next code works


def test_wrong_tries_lock_the_account_for_a_while_and_say_how_long(app: Flask, guide: int) -> None:
    staff = Staff(app.test_client(), lang="da")
    for _ in range(4):
        wrong = staff.password(password="guess")
        assert wrong.status_code == 422
        assert "ikke rigtig" in wrong.get_data(as_text=True)
    locked = staff.password(password="guess")
    assert "Vent 15 minutter" in locked.get_data(as_text=True)
    # Even the right password waits now, from this browser's address.
    assert "Vent 15 minutter" in staff.password().get_data(as_text=True)
    with app.app_context():
        db.session.execute(update(SignInLock).values(locked_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert staff.password().status_code == 303  # after the wait, it works


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(
    app: Flask, guide: int
) -> None:
    staff = Staff(app.test_client(), lang="en")
    unknown = staff.password(email="nobody@kommune.dk")
    wrong = staff.password(password="guess")
    pattern = re.compile(r'role="alert"><p class="field-error">([^<]*)</p>')
    assert pattern.findall(unknown.get_data(as_text=True)) == pattern.findall(
        wrong.get_data(as_text=True)
    )


def test_first_sign_in_sets_up_the_app_with_a_qr_code_and_gives_recovery_codes(
    app: Flask,
) -> None:
    with app.app_context():
        make_staff("ny@kommune.dk", with_totp=False)
    staff = Staff(app.test_client(), lang="da")
    response = staff.password("ny@kommune.dk")
    assert response.location == "/da/staff/sign-in/setup"
    page = staff.get("/da/staff/sign-in/setup").get_data(as_text=True)
    assert "<svg" in page and 'class="qr"' in page  # drawn on the server, no image request
    key = re.search(r'<code class="secret" dir="ltr">([A-Z2-7 ]+)</code>', page)
    assert key
    secret = key.group(1).replace(" ", "")

    assert staff.post("/da/staff/sign-in/setup", {"code": "000000"}).status_code == 422
    done = staff.post("/da/staff/sign-in/setup", {"code": code_now(secret)})
    assert done.status_code == 200
    codes = re.findall(r"<code>([2-9A-Z]{4}-[2-9A-Z]{4})</code>", done.get_data(as_text=True))
    assert len(codes) == 10
    with app.app_context():
        user = db.session.execute(select(User).filter_by(email="ny@kommune.dk")).scalar_one()
        assert user.totp_secret == secret
        stored = db.session.execute(select(RecoveryCode.code_hash)).scalars().all()
        assert len(stored) == 10 and codes[0].replace("-", "") not in stored  # hashes only

    # A lost phone: a recovery code works, once.
    other = Staff(app.test_client(), lang="da")
    other.password("ny@kommune.dk")
    assert other.code(codes[0].lower()).status_code == 303
    third = Staff(app.test_client(), lang="da")
    third.password("ny@kommune.dk")
    assert third.code(codes[0]).status_code == 422


def test_an_idle_session_ends_and_says_why(app: Flask, guide: int) -> None:
    staff = Staff(app.test_client(), lang="en")
    staff.sign_in()
    assert staff.get("/en/staff/").status_code == 200
    with app.app_context():
        idle = app.config["STAFF_IDLE_MINUTES"]
        db.session.execute(
            update(StaffSession).values(last_seen_at=utcnow() - timedelta(minutes=idle + 1))
        )
        db.session.commit()
    response = staff.get("/en/staff/")
    assert response.status_code == 303 and "/en/staff/sign-in?next=/en/staff/" in response.location
    page = staff.get(response.location).get_data(as_text=True)
    assert "signed out because nothing happened for a while" in page


def test_signing_out_ends_the_session_on_the_server(app: Flask, guide: int) -> None:
    staff = Staff(app.test_client(), lang="en")
    staff.sign_in()
    cookie = staff.client.get_cookie("portal_session")
    assert cookie is not None
    staff.get("/en/staff/")
    assert staff.post("/en/staff/sign-out").status_code == 303
    # The old cookie, replayed, no longer opens anything.
    replay = app.test_client()
    replay.set_cookie("portal_session", cookie.value)
    assert replay.get("/en/staff/").status_code == 303


def test_next_only_goes_to_a_page_on_this_site(app: Flask, guide: int) -> None:
    """SEC-23."""
    staff = Staff(app.test_client(), lang="en")
    staff.get("/en/staff/sign-in?next=//evil.example/x")
    staff.post(
        "/en/staff/sign-in",
        {"email": "mette@kommune.dk", "password": PASSWORD, "next": "https://evil.example/"},
    )
    response = staff.code(code_now())
    assert response.location == "/en/staff/"


@pytest.mark.parametrize(
    ("who", "expected"),
    [(None, 303), (Role.ASSOCIATION, 403), (Role.GUIDE, 200), (Role.ADMIN, 200)],
)
def test_only_staff_open_the_queue(app: Flask, who: Role | None, expected: int) -> None:
    """SEC-20 (first rows of the table; each staff route adds its own)."""
    client = app.test_client()
    if who is not None:
        with app.app_context():
            make_staff(f"{who}@kommune.dk", who)
        Staff(client, lang="da").sign_in(f"{who}@kommune.dk")
    assert client.get("/da/staff/").status_code == expected


def test_the_demo_guide_signs_in_with_the_printed_code(app: Flask, runner) -> None:  # type: ignore[no-untyped-def]
    """README: `flask staff code guide@…` prints the demo account's current code."""
    from portal.demo import DEMO_PASSWORD_GUIDE, load_demo_data

    with app.app_context():
        load_demo_data()
    printed = runner.invoke(args=["staff", "code", "guide@demo.fritidsportalen.dk"])
    assert printed.exit_code == 0 and re.fullmatch(r"\d{6}\n", printed.output)
    staff = Staff(app.test_client(), lang="da")
    assert staff.password("guide@demo.fritidsportalen.dk", DEMO_PASSWORD_GUIDE).status_code == 303
    assert staff.code(printed.output.strip()).status_code == 303
    assert SECRET  # the helper's own secret is not the demo's


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",  # browsers drop the tab: //evil.example
        "/\n/evil.example",
        "/\r\nSet-Cookie:x=1",  # was a 500 at the code step
        "/\\evil.example",  # a backslash is a slash to a browser
        "\\\\evil.example",
        "///evil.example",
        "https:evil.example",
        "/ /evil.example",
        "/\u202e/evil.example",  # a right-to-left override
        "/" + "a" * 3000,
    ],
)
def test_a_forged_next_goes_to_the_queue(app: Flask, guide: int, target: str) -> None:
    """SEC-23 (issue 13, defect 1): whatever ``next`` says, through the query or the form, a
    signed-in guide lands on this site: the page asked for, or else the queue — never a 500."""
    from urllib.parse import quote

    staff = Staff(app.test_client(), lang="en")
    page = staff.get(f"/en/staff/sign-in?next={quote(target, safe='')}")
    assert page.status_code in (200, 400)  # a control character is refused at the edge
    staff.get("/en/staff/sign-in")
    staff.post(
        "/en/staff/sign-in", {"email": "mette@kommune.dk", "password": PASSWORD, "next": target}
    )
    response = staff.code(code_now())
    assert response.status_code == 303
    assert response.location == "/en/staff/"


def test_next_brings_a_guide_back_to_the_page_asked_for(app: Flask, guide: int) -> None:
    staff = Staff(app.test_client(), lang="en")
    asked = staff.get("/en/staff/exports?start=2026-11-01")
    assert asked.status_code == 303 and "next=" in asked.location
    staff.get(asked.location)
    staff.post(
        "/en/staff/sign-in",
        {
            "email": "mette@kommune.dk",
            "password": PASSWORD,
            "next": "/en/staff/exports?start=2026-11-01",
        },
    )
    assert staff.code(code_now()).location == "/en/staff/exports?start=2026-11-01"


def _answer(response: TestResponse) -> str:
    found = re.findall(r'role="alert"><p class="field-error">([^<]*)</p>', response.get_data(True))
    return found[0] if found else str(response.status_code)


def test_a_stranger_cannot_lock_a_guide_out_at_her_own_desk(app: Flask, guide: int) -> None:
    """Issue 13, defect 5 (SEC-03): five wrong passwords from somewhere else make *that*
    address wait; the guide at her desk signs in as ever."""
    stranger = Staff(app.test_client(), lang="da")
    stranger.client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    answers = [_answer(stranger.password(password="guess")) for _ in range(6)]
    assert "Vent 15 minutter" in answers[4] and "Vent 15 minutter" in answers[5]
    desk = Staff(app.test_client(), lang="da")
    assert desk.password().status_code == 303
    assert desk.code(code_now()).status_code == 303


def test_a_known_and_an_unknown_address_get_the_same_answers_at_the_same_cost(
    app: Flask, guide: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13, defect 5 (SEC-04): the answers, in order, are the same for an address with an
    account and one without, locked or not; and every answer costs one password check (a locked
    account answered in 6–35 ms instead of ~190 ms)."""
    from portal.auth import services

    checks: list[str] = []
    real = services.hasher

    class Counting:
        """The real hasher, counting its checks (argon2's own object cannot be patched)."""

        def verify(self, hash_: str, password: str) -> bool:
            checks.append(password)
            return bool(real.verify(hash_, password))

        def __getattr__(self, name: str) -> Any:
            return getattr(real, name)

    monkeypatch.setattr(services, "hasher", Counting())
    runs = {}
    for email in ("mette@kommune.dk", "nobody@kommune.dk"):
        staff = Staff(app.test_client(), lang="en")
        checks.clear()
        runs[email] = [_answer(staff.password(email=email, password="guess")) for _ in range(7)]
        assert len(checks) == 7, email
    assert runs["mette@kommune.dk"] == runs["nobody@kommune.dk"]
    assert "15 minutes" in runs["nobody@kommune.dk"][4]


def test_two_dozen_codes_at_once_are_checked_five_times_at_most(
    app: Flask, guide: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13, defect 4: 24 wrong codes sent at the same moment were checked 24, 21 and 9
    times before the lock (PostgreSQL). A try is claimed with one conditional UPDATE before
    the code is checked: five are checked, the rest wait."""
    import threading

    from portal.auth import services

    checked: list[str] = []
    guard = threading.Lock()
    real = services._right_code

    def counting(user: User, code: str, now: Any) -> bool:
        with guard:
            checked.append(code)
        return bool(real(user, code, now))

    monkeypatch.setattr(services, "_right_code", counting)
    browsers = [Staff(app.test_client(), lang="da") for _ in range(24)]
    for browser in browsers:
        assert browser.password().status_code == 303
        browser.get("/da/staff/sign-in/code")
    barrier = threading.Barrier(len(browsers))
    answers: list[str] = []

    def send(browser: Staff) -> None:
        barrier.wait(timeout=60)
        response = browser.client.post(
            "/da/staff/sign-in/code", data={"csrf_token": browser.csrf or "", "code": "000000"}
        )
        with guard:
            answers.append(_answer(response))

    threads = [threading.Thread(target=send, args=(b,)) for b in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(answers) == 24
    assert len(checked) == 5
    assert sum("Vent 15 minutter" in a for a in answers) == 20, answers
    assert sum("ikke rigtig" in a for a in answers) == 4, answers
