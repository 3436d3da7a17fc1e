"""A family filling in the application through the test client, as a browser would."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.pages import check_page

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

#: The shortest answers that get an 11-year-old girl to "check your answers".
ANSWERS: dict[str, dict[str, str]] = {
    "participant": {"first_name": "Amira", "last_name": "Haddad"},
    "latin-name": {"latin_first_name": "Amira", "latin_last_name": "Haddad"},
    "birth-date": {"day": "3", "month": "5", "year": "2015"},
    "gender": {"gender": "female"},
    "relation": {"relation": "parent"},
    "contact": {"phone": "20 12 34 56", "email": "", "language": "ar"},
    "postcode": {"postcode": "7100"},
    "message": {"message": ""},
}


@dataclass
class Family:
    client: FlaskClient
    lang: str = "da"
    token: str | None = None
    csrf: str | None = None
    visited: list[str] = field(default_factory=list)

    def page(self, url: str, status: int = 200) -> TestResponse:
        """GET and check the page's HTML (every page a family sees passes check_page)."""
        response = self.client.get(url)
        assert response.status_code == status, (url, response.status_code)
        html = response.get_data(as_text=True)
        if status not in (301, 302, 303):
            check_page(html, self.lang)
        found = CSRF.search(html)
        if found:
            self.csrf = found.group(1)
        return response

    def read(self, url: str, status: int = 200) -> str:
        """The checked page's HTML with entities decoded (``guide's``, not ``guide&#39;s``)."""
        return html.unescape(self.page(url, status).get_data(as_text=True))

    def post(self, url: str, data: dict[str, Any] | None = None) -> TestResponse:
        if self.csrf is None:
            self.page(f"/{self.lang}/resume")
        return self.client.post(url, data={"csrf_token": self.csrf, **(data or {})})

    def start(self, activity: str | None = None, kind: str = "leisure_pass") -> str:
        """Start a draft; returns the first question's URL."""
        if activity:
            self.page(f"/{self.lang}/apply?activity={activity}")
            response = self.post(f"/{self.lang}/apply", {"activity": activity})
        else:
            self.page(f"/{self.lang}/apply")
            response = self.post(f"/{self.lang}/apply", {"kind": kind})
        assert response.status_code == 303, response.status_code
        self.token = response.location.split("/")[3]
        return response.location

    def answer(self, url: str, data: dict[str, Any], status: int = 303) -> TestResponse:
        self.page(url)
        self.visited.append(url)
        response = self.post(url, data)
        assert response.status_code == status, (url, response.status_code, _errors(response))
        return response

    def answer_all(self, url: str, answers: dict[str, dict[str, str]] | None = None) -> str:
        """Answer each question with ``answers`` (default ANSWERS) until "check your answers"."""
        answers = {**ANSWERS, **(answers or {})}
        while "/check" not in url:
            step = url.split("?")[0].rsplit("/", 1)[1]
            url = self.answer(url, answers[step]).location
        return url

    def submit(self) -> TestResponse:
        return self.post(f"/{self.lang}/apply/{self.token}/check")


def _errors(response: TestResponse) -> list[str]:
    found = re.findall(r'class="field-error"[^>]*>(.*?)</p>', response.get_data(as_text=True))
    # A file's or a person's name is isolated in <bdi>; the message is the text.
    return [html.unescape(re.sub(r"<[^>]+>", "", message)) for message in found]


def errors(response: TestResponse) -> list[str]:
    return _errors(response)
