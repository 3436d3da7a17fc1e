"""Each citizen page makes a fixed, small number of SQL statements, however many activities,
sessions and clubs there are (issue 17): a page that starts loading each row on its own (an
"N+1") fails here. Transaction statements (BEGIN, COMMIT) are not counted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import time
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event, select

from portal.applications.models import Application
from portal.extensions import db
from portal.schemes.models import SchemeKind
from tests.applications.family import Family
from tests.factories import make_activity, make_association, make_scheme

#: The most statements each page may make.
LIMITS = {
    "home": 2,
    "catalogue": 5,
    "catalogue, filtered": 5,
    "activity": 4,
    "a question": 2,
    "check your answers": 2,
    "status": 5,
}


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.split()[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT"):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_citizen_pages_make_a_fixed_number_of_statements(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering itself (the page cache off; with it, a kept page makes one statement)."""
    monkeypatch.setitem(app.config, "PAGE_CACHE", False)
    with app.app_context():
        make_scheme(SchemeKind.LEISURE_PASS, "FP", pool_kr=10_000, cap_kr=2_000)
        make_scheme(SchemeKind.EQUIPMENT, "UD", pool_kr=10_000, cap_kr=500)
        clubs = [make_association() for _ in range(3)]
        sessions = ((1, time(17), time(18)), (3, time(17), time(18)))
        slugs = [
            make_activity(association=clubs[n % 3], sessions=sessions, min_age=6, max_age=14).slug
            for n in range(9)
        ]
    draft = Family(app.test_client())
    first = draft.start(slugs[0])
    check = draft.answer_all(first)
    sent = Family(app.test_client())
    sent.answer_all(sent.start(slugs[1]))
    assert sent.submit().status_code == 303
    with app.app_context():
        token = db.session.execute(
            select(Application.token).where(Application.status != "draft")
        ).scalar_one()
    pages = {
        "home": (draft, "/da/"),
        "catalogue": (draft, "/ar/activities"),
        "catalogue, filtered": (draft, "/da/activities?age=11&who=anyone&day=1"),
        "activity": (draft, f"/da/activities/{slugs[0]}"),
        "a question": (draft, first),
        "check your answers": (draft, check),
        "status": (sent, f"/ar/applications/{token}"),
    }
    made = {}
    for name, (family, url) in pages.items():
        assert family.client.get(url).status_code == 200, name
        with counted(app) as statements:
            assert family.client.get(url).status_code == 200, name
        made[name] = len(statements)
    over = {name: count for name, count in made.items() if count > LIMITS[name]}
    assert not over, f"more statements than allowed: {over} (all: {made})"
