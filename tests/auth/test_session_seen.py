"""A staff page read on SQLite must not fail because it also records that the session was seen
(issue 17: 14 of ≈ 25,000 queue requests under load answered 500, "database is locked", on the
``UPDATE staff_session SET last_seen_at``). The read runs in a deferred transaction (reads go
on in parallel under WAL); the session's write, and the audit row of the look, each run in a
transaction of their own begun with ``BEGIN IMMEDIATE``, which waits for another writer within
the busy timeout instead of failing when the read's snapshot went stale."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, update

from portal import create_app
from portal.auth.models import StaffSession
from portal.auth.services import TOUCH_EVERY
from portal.db import utcnow
from portal.extensions import db
from tests.auth.signing_in import signed_in_guide
from tests.conftest import dispose, make_config


def test_a_staff_get_writes_only_in_transactions_begun_as_a_writer(tmp_path: Path) -> None:
    # On SQLite whatever database this run uses: the failure was SQLite's.
    app = create_app(make_config(f"sqlite:///{tmp_path / 'portal.sqlite3'}"))
    try:
        with app.app_context():
            db.create_all()
        guide = signed_in_guide(app)
        statements: list[str] = []

        def seen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement.split("\n")[0].strip())

        with app.app_context():
            # Seen a while ago: this request records that it is seen now.
            db.session.execute(
                update(StaffSession).values(
                    last_seen_at=utcnow() - TOUCH_EVERY - timedelta(seconds=5)
                )
            )
            db.session.commit()
            event.listen(db.engine, "before_cursor_execute", seen)
        assert guide.get("/da/staff/").status_code == 200
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", seen)

        begins = [s for s in statements if s.startswith("BEGIN")]
        assert begins[0] == "BEGIN"  # the page's reads: deferred, in parallel with others
        writes = [n for n, s in enumerate(statements) if s.startswith(("UPDATE", "INSERT"))]
        assert any(statements[n].startswith("UPDATE staff_session") for n in writes)
        for n in writes:
            begun = next(s for s in reversed(statements[:n]) if s.startswith("BEGIN"))
            assert begun == "BEGIN IMMEDIATE", statements[n]
    finally:
        dispose(app)
