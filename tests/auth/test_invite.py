"""An administrator invites a guide: a one-time link by e-mail sets the password, then the
second factor is set up; a used or old link says what to do."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from sqlalchemy import select, update

from portal.auth.models import AccessToken, Role, User
from portal.db import utcnow
from portal.extensions import db
from portal.outbox.models import OutboxMessage
from tests.auth.signing_in import Staff, make_staff


def invite(app: Flask) -> str:
    with app.app_context():
        make_staff("admin@kommune.dk", Role.ADMIN)
    admin = Staff(app.test_client(), lang="da")
    admin.sign_in("admin@kommune.dk")
    admin.get("/da/staff/admin/staff")
    response = admin.post(
        "/da/staff/admin/staff",
        {"name": "Nadia Vejleder", "email": "Nadia@Kommune.dk", "role": "guide"},
    )
    assert response.status_code == 303
    again = admin.post(
        "/da/staff/admin/staff", {"name": "Nadia", "email": "nadia@kommune.dk", "role": "guide"}
    )
    assert "Der er allerede en med den e-mailadresse" in again.get_data(as_text=True)
    with app.app_context():
        body = db.session.execute(
            select(OutboxMessage.body).where(OutboxMessage.template == "staff_invite")
        ).scalar_one()
    link = re.search(r"http://127\.0\.0\.1:5000(/da/staff/invite/\S+)", body)
    assert link, body
    return link.group(1)


def test_an_invited_guide_chooses_a_password_then_sets_up_the_app(app: Flask) -> None:
    path = invite(app)
    guide = Staff(app.test_client(), lang="da")
    guide.get(path)
    short = guide.post(path, {"password": "kort", "repeat": "kort"})
    assert short.status_code == 422 and "mindst 12 tegn" in short.get_data(as_text=True)
    different = guide.post(path, {"password": "en lang sætning her", "repeat": "en anden"})
    assert "ikke ens" in different.get_data(as_text=True)
    done = guide.post(path, {"password": "en lang sætning her", "repeat": "en lang sætning her"})
    assert done.status_code == 303 and done.location == "/da/staff/sign-in/setup"
    assert "<svg" in guide.get(done.location).get_data(as_text=True)
    with app.app_context():
        user = db.session.execute(select(User).filter_by(email="nadia@kommune.dk")).scalar_one()
        assert user.role is Role.GUIDE and user.password_hash
    used = Staff(app.test_client(), lang="da").get(path)
    assert used.status_code == 410 and "Bed en administrator" in used.get_data(as_text=True)


def test_an_old_invitation_says_what_to_do(app: Flask) -> None:
    path = invite(app)
    with app.app_context():
        db.session.execute(update(AccessToken).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert Staff(app.test_client(), lang="da").get(path).status_code == 410


def test_the_password_rule_says_the_number_it_checks(app: Flask) -> None:
    """The form's message names the shortest password in every language, and it is the
    number the validator holds a new password to."""
    from flask_babel import force_locale

    from portal.auth.forms import NewPasswordForm
    from portal.auth.services import MIN_PASSWORD
    from portal.i18n import supported_locales

    with app.test_request_context("/"):
        form = NewPasswordForm(meta={"csrf": False})
        [length] = [v for v in form.password.validators if hasattr(v, "min")]
        assert length.min == MIN_PASSWORD
        for locale in supported_locales():
            with force_locale(locale):
                assert str(MIN_PASSWORD) in str(length.message), locale
