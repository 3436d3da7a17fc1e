"""/dev/outbox: there for `make run`, absent otherwise, refused in production."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from portal.config import ConfigurationError
from portal.extensions import db
from portal.outbox.services import queue
from tests.pages import check_page


def test_the_outbox_page_is_off_unless_asked_for(client: FlaskClient) -> None:
    assert client.get("/dev/outbox").status_code == 404


def test_the_outbox_page_shows_messages_with_working_links(
    make_app: Callable[..., Flask], app: Flask
) -> None:
    dev = make_app(DEV_OUTBOX=True)
    with dev.test_request_context("/"):
        queue(
            "resume_link",
            locale="ar",
            phone="+4520123456",
            resume_link="http://127.0.0.1:5000/ar/resume/abc",
            code="K7Q3-92XM",
        )
        db.session.commit()
    response = dev.test_client().get("/dev/outbox", headers={"Accept-Language": "da"})
    html = response.get_data(as_text=True)
    check_page(html, "da")
    assert '<a href="http://127.0.0.1:5000/ar/resume/abc"' in html
    assert 'lang="ar"' in html  # the message is marked as Arabic inside the Danish page


def test_production_refuses_the_outbox_page(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(ConfigurationError, match="DEV_OUTBOX"):
        make_app(ENV="production", SECRET_KEY="x" * 40, CPR_KEY="c" * 40, DEV_OUTBOX=True)
