"""The daily jobs on two servers at once (issue 15): the second run finds the job's lock
taken, does nothing and says so; once the first is done, the next run works. On SQLite (a file
lock beside the database) and PostgreSQL (an advisory lock), whichever this run uses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select, update

from portal.applications.models import Application
from portal.db import utcnow
from portal.extensions import db
from portal.jobs import only_one
from portal.workflow import ApplicationStatus
from tests.auth.signing_in import Staff
from tests.review.cases import approve


@pytest.mark.parametrize(
    ("command", "lock"), [(["money", "expire"], "money-expire"),
                          (["enrolments", "remind"], "enrolments-remind")],
)  # fmt: skip
def test_a_job_already_running_elsewhere_is_not_run_again(
    app: Flask, runner: FlaskCliRunner, command: list[str], lock: str
) -> None:
    with app.app_context(), only_one(lock) as first:
        assert first  # this "server" runs it ...
        with only_one(lock) as second:
            assert not second  # ... and no other can meanwhile
        result = runner.invoke(args=command)
        assert result.exit_code == 0
        assert result.output == f"`flask {' '.join(command)}` is running on another server; " \
            "nothing was done here.\n"  # fmt: skip
    with app.app_context(), only_one(lock) as again:
        assert again  # released when the first run ended


def test_money_expire_waits_for_the_other_server_then_expires_once(
    app: Flask, sent: str, guide: Staff, runner: FlaskCliRunner
) -> None:
    approve(guide, sent)
    with app.app_context():
        days = app.config["APPROVAL_EXPIRES_DAYS"]
        db.session.execute(
            update(Application).values(decided_at=utcnow() - timedelta(days=days + 1))
        )
        db.session.commit()
        with only_one("money-expire"):
            assert "nothing was done" in runner.invoke(args=["money", "expire"]).output
        status = db.session.execute(select(Application.status)).scalar_one()
        assert status is ApplicationStatus.APPROVED  # the second run touched nothing
    assert runner.invoke(args=["money", "expire"]).output == "1 approvals expired.\n"
