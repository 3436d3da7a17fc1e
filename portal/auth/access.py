"""Who may see a staff page: ``staff_required`` on every view of the staff side.

The signed-in member is ``g.staff`` (a :class:`~portal.auth.services.Current`). Without a valid
session a page asks to sign in and comes back afterwards (``next`` is only ever a path on this
site); a signed-in member without the role gets 403.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Blueprint, abort, g, has_request_context, redirect, request, session, url_for

from portal.auth import services
from portal.auth.models import Role
from portal.db import utcnow

F = TypeVar("F", bound=Callable[..., Any])

STAFF_ROLES = frozenset({Role.GUIDE, Role.ADMIN})
#: The blueprints whose pages are the staff's (each marks itself with ``for_staff``).
_STAFF_BLUEPRINTS: set[str] = set()
#: Where a member lands after signing in (the blueprint that says ``home=``).
_STAFF_HOME: list[str] = []
SESSION_KEY = "staff_session"


def for_staff(bp: Blueprint, *, home: str | None = None) -> Blueprint:
    """Mark ``bp``'s pages as staff pages (the staff layout shows who is signed in);
    ``home``: this blueprint's view is where staff land after signing in."""
    _STAFF_BLUEPRINTS.add(bp.name)
    if home is not None:
        _STAFF_HOME[:] = [f"{bp.name}.{home}"]
    return bp


def on_staff_page() -> bool:
    return has_request_context() and request.blueprint in _STAFF_BLUEPRINTS


def staff_home() -> str:
    """The staff's first page (the guides' queue)."""
    return url_for(_STAFF_HOME[0])


def signed_in() -> services.Current | None:
    if "staff" not in g:
        g.staff = services.current(session.get(SESSION_KEY), utcnow())
    return cast(services.Current | None, g.staff)


def staff_id() -> int:
    """The signed-in staff member's id, on a ``staff_required`` page (anywhere else: a bug)."""
    current = signed_in()
    if current is None:
        raise LookupError("no signed-in staff member: staff_required has not run")
    return current.user.id


def safe_next(target: str | None) -> str | None:
    """A path on this site to return to, or None (SEC-23: never another host).

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so
    ``/\t/evil.example`` would become ``//evil.example``: anything with a control character,
    white space or a backslash is refused, not cleaned."""
    if not target or len(target) > 2000 or "\\" in target:
        return None
    if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def staff_required(*roles: Role) -> Callable[[F], F]:
    allowed = frozenset(roles) or STAFF_ROLES

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            current = signed_in()
            if current is None:
                if session.get(SESSION_KEY):
                    session.pop(SESSION_KEY)
                    session["staff_signed_out"] = "idle"
                back: str | None = (
                    request.full_path.rstrip("?")
                    if request.method == "GET"
                    else _keep_what_was_written()
                )
                return redirect(url_for("auth.sign_in", next=back), code=303)
            if current.user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorate


#: What a signed-out member had written survives sign-in (in the signed session cookie, which
#: holds about 4 KB: the forms' own limits keep a note or a question well inside it).
STASH_KEY = "staff_stash"
STASH_LIMIT = 3000


def _keep_what_was_written() -> str | None:
    """A form sent after the session ended: keep its text for after sign-in, and go back to
    the page it came from (the case), not to the action."""
    written = {
        key: value
        for key, value in request.form.items()
        if key != "csrf_token" and isinstance(value, str)
    }
    if written and sum(len(v) for v in written.values()) <= STASH_LIMIT:
        session[STASH_KEY] = {"path": request.path, "form": written}
    return safe_next(request.path.rsplit("/", 1)[0])


def take_stash(prefix: str) -> tuple[str, dict[str, str]] | None:
    """The kept form for a page whose actions start with ``prefix``: (action, fields)."""
    stash = session.get(STASH_KEY)
    if not stash or not str(stash.get("path", "")).startswith(prefix):
        return None
    session.pop(STASH_KEY)
    return str(stash["path"]).rsplit("/", 1)[1], dict(stash["form"])
