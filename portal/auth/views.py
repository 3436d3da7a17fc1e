"""Staff sign-in: password, then the second factor (set up with a QR code the first time)."""

from __future__ import annotations

from datetime import datetime, timedelta

import segno
from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from portal.auth import services
from portal.auth.access import (
    SESSION_KEY,
    STASH_KEY,
    for_staff,
    safe_next,
    signed_in,
    staff_home,
    staff_required,
)
from portal.auth.forms import CodeForm, NewPasswordForm, SetupForm, SignInForm
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db, rate_limited

bp = for_staff(Blueprint("auth", __name__, url_prefix="/<lang:lang>/staff"))

#: Between the password and the code: long enough to open the app, short enough to forget.
PENDING = timedelta(minutes=5)


def _sign_in_limit() -> str:
    return str(current_app.config["STAFF_SIGN_IN_RATE_LIMIT"])


def _refusal_message(refusal: services.Refusal) -> str:
    if refusal.problem is services.Problem.LOCKED:
        return str(
            ngettext(
                "Too many wrong tries. Wait %(num)s minute and try again.",
                "Too many wrong tries. Wait %(num)s minutes and try again.",
                refusal.wait_minutes,
            )
        )
    return str(_("The e-mail, the password or the code is not right. Try again."))


def _pending(now: datetime) -> User | None:
    """The staff member who gave the right password a moment ago in this browser."""
    pending = session.get("pending_staff")
    if not pending or now - datetime.fromisoformat(pending["at"]) > PENDING:
        return None
    return db.session.get(User, pending["user"])


@bp.route("/sign-in", methods=["GET", "POST"])
@rate_limited(_sign_in_limit, methods=["POST"])
def sign_in() -> ResponseReturnValue:
    if signed_in() is not None:
        return redirect(staff_home(), code=303)
    form = SignInForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
        idle = session.pop("staff_signed_out", None) == "idle"
        return render_template("auth/sign_in.html", form=form, idle=idle)
    problem = None
    if form.validate():
        now = utcnow()
        found = services.check_password(
            form.email.data, form.password.data, now, source=request.remote_addr or ""
        )
        if isinstance(found, User):
            session["pending_staff"] = {"user": found.id, "at": now.isoformat()}
            session["staff_next"] = safe_next(form.next.data)
            step = "code" if found.totp_secret else "setup"
            return redirect(url_for(f".{step}"), code=303)
        problem = _refusal_message(found)
    return render_template("auth/sign_in.html", form=form, problem=problem, idle=False), 422


def _start_session(user: User, now: datetime) -> str:
    """Signed in: a fresh browser session holding only the server session's token; returns
    where to go (the page that asked for sign-in, or the queue)."""
    token = services.open_session(user, now)
    target = safe_next(session.get("staff_next"))
    kept = session.get(STASH_KEY)
    session.clear()
    session[SESSION_KEY] = token
    if kept:
        session[STASH_KEY] = kept  # what was written before the session ended
    return target or staff_home()


@bp.route("/sign-in/code", methods=["GET", "POST"])
@rate_limited(_sign_in_limit, methods=["POST"])
def code() -> ResponseReturnValue:
    now = utcnow()
    user = _pending(now)
    if user is None or user.totp_secret is None:
        return redirect(url_for("auth.sign_in"), code=303)
    form = CodeForm()
    problem = None
    if request.method == "POST" and form.validate():
        refusal = services.check_second_factor(
            user, form.code.data, now, source=request.remote_addr or ""
        )
        if refusal is None:
            return redirect(_start_session(user, now), code=303)
        problem = _refusal_message(refusal)
        if refusal.problem is services.Problem.LOCKED:
            session.pop("pending_staff", None)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/code.html", form=form, problem=problem), status


def _qr_svg(uri: str) -> Markup:
    """The QR code as inline SVG, drawn on the server (no script, no image request)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, svgclass="qr", lineclass=None)
    return Markup(svg)  # noqa: S704 - segno's own markup; the URI is escaped inside it


@bp.route("/sign-in/setup", methods=["GET", "POST"])
@rate_limited(_sign_in_limit, methods=["POST"])
def setup() -> ResponseReturnValue:
    """First sign-in: scan the QR code, type the code it gives, keep the recovery codes."""
    now = utcnow()
    user = _pending(now)
    if user is None or user.totp_secret is not None:
        return redirect(url_for("auth.sign_in"), code=303)
    secret = session.get("pending_totp") or services.new_totp_secret()
    session["pending_totp"] = secret
    form = SetupForm()
    problem = None
    if request.method == "POST" and form.validate():
        result = services.confirm_totp(
            user, secret, form.code.data, now, source=request.remote_addr or ""
        )
        if isinstance(result, list):
            next_url = _start_session(user, now)
            return render_template("auth/recovery_codes.html", codes=result, next_url=next_url)
        problem = _refusal_message(result)
    uri = services.provisioning_uri(user, secret)
    return render_template(
        "auth/setup.html",
        form=form,
        problem=problem,
        qr=_qr_svg(uri),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    ), (422 if request.method == "POST" else 200)


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    services.close_session(session.get(SESSION_KEY), utcnow())
    session.clear()
    return redirect(url_for("auth.sign_in"), code=303)


@bp.post("/still-here")
@staff_required()
def still_here() -> ResponseReturnValue:
    """ "Stay signed in" in the warning before the session ends (htmx; no page change)."""
    current = signed_in()
    if current is not None:
        services.touch(current.session, utcnow())
    return "", 204


@bp.route("/invite/<token>", methods=["GET", "POST"])
@rate_limited(_sign_in_limit, methods=["POST"])
def accept_invite(token: str) -> ResponseReturnValue:
    """An invited guide chooses a password, then sets up the second factor."""
    now = utcnow()
    invitation = services.open_invite(token, now)
    if invitation is None:
        return render_template("auth/invite_problem.html"), 410
    form = NewPasswordForm()
    if request.method == "POST" and form.validate():
        user = services.accept_invite(invitation, form.password.data, now)
        session.clear()
        session["pending_staff"] = {"user": user.id, "at": now.isoformat()}
        return redirect(url_for("auth.setup"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("auth/invite.html", form=form, token=token), status
