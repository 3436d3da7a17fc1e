"""A staff member signing in through the test client, as a browser would."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portal.auth.models import Role, User
from portal.auth.services import hasher
from portal.db import utcnow
from portal.extensions import db

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "a-long-guide-password-2026"
SECRET = pyotp.random_base32()


def make_staff(
    email: str = "mette@kommune.dk", role: Role = Role.GUIDE, *, with_totp: bool = True
) -> int:
    user = User(
        email=email,
        name="Mette Guide",
        role=role,
        password_hash=hasher.hash(PASSWORD),
        totp_secret=SECRET if with_totp else None,
    )
    db.session.add(user)
    db.session.commit()
    return user.id


def code_now(secret: str = SECRET, offset: int = 0) -> str:
    """The authenticator app's code (``offset`` steps of 30 s away from now)."""
    return pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=30 * offset))


@dataclass
class Staff:
    client: FlaskClient
    lang: str = "da"
    csrf: str | None = None

    def get(self, url: str) -> TestResponse:
        response = self.client.get(url)
        found = CSRF.search(response.get_data(as_text=True))
        if found:
            self.csrf = found.group(1)
        return response

    def post(self, url: str, data: dict[str, str] | None = None) -> TestResponse:
        if self.csrf is None:
            self.get(f"/{self.lang}/staff/sign-in")
        return self.client.post(url, data={"csrf_token": self.csrf or "", **(data or {})})

    def password(self, email: str = "mette@kommune.dk", password: str = PASSWORD) -> TestResponse:
        self.get(f"/{self.lang}/staff/sign-in")
        return self.post(f"/{self.lang}/staff/sign-in", {"email": email, "password": password})

    def code(self, code: str) -> TestResponse:
        self.get(f"/{self.lang}/staff/sign-in/code")
        return self.post(f"/{self.lang}/staff/sign-in/code", {"code": code})

    def sign_in(self, email: str = "mette@kommune.dk") -> None:
        assert self.password(email).status_code == 303
        response = self.code(code_now())
        assert response.status_code == 303, response.get_data(as_text=True)[:2000]
        self.csrf = None  # a new session: a new token


def signed_in_guide(app: Flask) -> Staff:
    """A guide (``mette@kommune.dk``) signed in through a new test client, in Danish."""
    with app.app_context():
        make_staff()
    staff = Staff(app.test_client(), lang="da")
    staff.sign_in()
    return staff
