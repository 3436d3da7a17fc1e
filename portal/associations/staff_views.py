"""Staff add associations and their contacts (guides and administrators alike)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.associations import services
from portal.associations.forms import AssociationForm, ClubContactForm
from portal.auth.access import for_staff, staff_id, staff_required
from portal.auth.models import Role, User
from portal.catalogue.models import Association
from portal.extensions import db
from portal.i18n import current_locale

bp = for_staff(
    Blueprint("associations_staff", __name__, url_prefix="/<lang:lang>/staff/associations")
)


@bp.get("/")
@staff_required()
def index() -> ResponseReturnValue:
    rows = db.session.execute(
        select(Association, func.count(User.id))
        .outerjoin(
            User,
            (User.association_id == Association.id)
            & (User.role == Role.ASSOCIATION)
            & User.is_active.is_(True),
        )
        .group_by(Association.id)
        .order_by(func.lower(Association.name))
    ).all()
    return render_template("associations/staff_index.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@staff_required()
def new() -> ResponseReturnValue:
    posted = request.method == "POST"
    form = AssociationForm() if posted else AssociationForm(formdata=None)
    if posted and form.validate():
        if services.cvr_taken(form.cvr.data):
            form.cvr.errors.append(_("An association with that CVR number is here already."))
        else:
            association = services.add_association(
                name=form.name.data,
                cvr=form.cvr.data,
                address=form.address.data,
                postcode=form.postcode.data,
                city=form.city.data,
                email=form.email.data or None,
                phone=form.phone.data or None,
                by=staff_id(),
            )
            return redirect(url_for(".show", association_id=association.id, added=1), code=303)
    return render_template("associations/staff_new.html", form=form), (422 if posted else 200)


def _association(association_id: int) -> Association:
    association = db.session.get(Association, association_id)
    if association is None:
        abort(404)
    return association


@bp.route("/<int:association_id>", methods=["GET", "POST"])
@staff_required()
def show(association_id: int) -> ResponseReturnValue:
    """The association and its contacts; add a contact (who then signs in with a link)."""
    association = _association(association_id)
    posted = request.method == "POST"
    form = ClubContactForm() if posted else ClubContactForm(formdata=None)
    if not posted:
        form.language.data = current_locale()
    if posted and form.validate():
        if services.email_taken(form.email.data):
            form.email.errors.append(_("Someone already has that e-mail address."))
        else:
            services.add_contact(
                association,
                name=form.name.data,
                email=form.email.data,
                phone=form.normalised_phone,
                locale=form.language.data,
                by=staff_id(),
            )
            return redirect(url_for(".show", association_id=association.id, saved=1), code=303)
    contacts = [user for user in association.contacts if user.role is Role.ASSOCIATION]
    return render_template(
        "associations/staff_show.html", association=association, contacts=contacts, form=form
    ), (422 if posted else 200)


@bp.post("/<int:association_id>/contacts/<int:user_id>/off")
@staff_required()
def switch_off(association_id: int, user_id: int) -> ResponseReturnValue:
    """A contact who left the club: links stop working and the phone is signed out."""
    association = _association(association_id)
    user = db.session.get(User, user_id)
    if user is None or user.association_id != association.id or user.role is not Role.ASSOCIATION:
        abort(404)
    services.switch_off(user, by=staff_id())
    return redirect(url_for(".show", association_id=association.id, off=1), code=303)
