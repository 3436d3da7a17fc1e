"""A club contact signs in: asks for a link, opens it (a button, so a mail scanner's preview
does not spend it), and signs out. The URLs are the clubs' own (``/<lang>/club/sign-in``)."""

from __future__ import annotations

from flask import Blueprint, current_app, make_response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.auth import contacts, services
from portal.auth.forms import SignInLinkForm
from portal.auth.models import User
from portal.db import utcnow
from portal.extensions import db, rate_limited

bp = Blueprint("auth_contacts", __name__, url_prefix="/<lang:lang>/club")
bp.after_request(contacts.keep_signed_in)


def _sign_in_limit() -> str:
    return str(current_app.config["CLUB_SIGN_IN_RATE_LIMIT"])


@bp.get("/sign-in")
def sign_in() -> ResponseReturnValue:
    if contacts.signed_in_contact() is not None:
        return redirect(url_for("associations.home"), code=303)
    return render_template("auth/contacts/sign_in.html", form=SignInLinkForm(formdata=None))


@bp.post("/sign-in")
@rate_limited(_sign_in_limit)
def send_link() -> ResponseReturnValue:
    form = SignInLinkForm()
    if not form.validate():
        return render_template("auth/contacts/sign_in.html", form=form), 422
    contacts.send_sign_in_links(form.contact.data, utcnow())
    return render_template("auth/contacts/link_sent.html")


@bp.get("/sign-in/<token>")
def sign_in_link(token: str) -> ResponseReturnValue:
    """The link from the message. It only shows a button: phones and mail scanners open links
    to preview them, and that must not spend it."""
    found = contacts.sign_in_link(token, utcnow())
    if isinstance(found, contacts.LinkProblem):
        return _link_problem(found)
    user = db.session.get(User, found.user_id)
    return render_template("auth/contacts/sign_in_link.html", token=token, user=user)


@bp.post("/sign-in/<token>")
def use_sign_in_link(token: str) -> ResponseReturnValue:
    opened = contacts.use_sign_in_link(token, utcnow())
    if isinstance(opened, contacts.LinkProblem):
        return _link_problem(opened)
    response = make_response(redirect(url_for("associations.home"), code=303))
    contacts.set_cookie(response, opened)
    return response


def _link_problem(problem: contacts.LinkProblem) -> ResponseReturnValue:
    status = 404 if problem is contacts.LinkProblem.UNKNOWN else 410
    return render_template(
        "auth/contacts/link_problem.html", problem=problem.value, form=SignInLinkForm(formdata=None)
    ), status


@bp.post("/sign-out")
def sign_out() -> ResponseReturnValue:
    services.close_session(request.cookies.get(contacts.COOKIE), utcnow())
    response = make_response(redirect(url_for(".sign_in", signed_out=1), code=303))
    response.delete_cookie(contacts.COOKIE, path="/")
    return response
