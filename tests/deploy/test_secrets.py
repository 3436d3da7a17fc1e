"""Rotating the secret key (docs/operations.md, "Rotate secrets"): with the old key among
``PORTAL_SECRET_KEY_FALLBACKS`` the families' and staff's sessions and the clubs' signed links
made before the change still open; everything new is signed with the new key; once the old key
is dropped, what it signed is refused."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from itsdangerous import BadSignature

from portal.associations.services import _serializer

OLD, NEW = "old-secret-key-" + "o" * 40, "new-secret-key-" + "n" * 40


def _session(app: Flask) -> object:
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    assert serializer is not None
    return serializer


def test_the_old_key_keeps_sessions_and_club_links_open_until_dropped(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = make_app(SECRET_KEY=OLD)
    cookie = _session(before).dumps({"signed_in": "a family's session"})  # type: ignore[attr-defined]
    with before.app_context():
        link = _serializer().dumps({"e": 7, "u": 3})

    monkeypatch.setenv("PORTAL_SECRET_KEY_FALLBACKS", f'["{OLD}"]')
    rotating = make_app(SECRET_KEY=NEW)
    assert rotating.config["SECRET_KEY_FALLBACKS"] == [OLD]
    assert _session(rotating).loads(cookie) == {"signed_in": "a family's session"}  # type: ignore[attr-defined]
    with rotating.app_context():
        assert _serializer().loads(link) == {"e": 7, "u": 3}
        new_link = _serializer().dumps({"e": 8, "u": 3})
    with before.app_context(), pytest.raises(BadSignature):
        _serializer().loads(new_link)  # signed with the new key, not the old one

    monkeypatch.delenv("PORTAL_SECRET_KEY_FALLBACKS")
    after = make_app(SECRET_KEY=NEW)
    with pytest.raises(BadSignature):
        _session(after).loads(cookie)  # type: ignore[attr-defined]
    with after.app_context():
        with pytest.raises(BadSignature):
            _serializer().loads(link)
        assert _serializer().loads(new_link) == {"e": 8, "u": 3}


def test_one_old_key_may_be_given_without_json(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_SECRET_KEY_FALLBACKS", OLD)
    assert make_app(SECRET_KEY=NEW).config["SECRET_KEY_FALLBACKS"] == [OLD]
