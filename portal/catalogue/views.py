"""The public catalogue: the filtered list and one page per activity."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from portal.catalogue import queries
from portal.catalogue.forms import ActivityFilterForm
from portal.catalogue.models import AUDIENCE_LABELS, Audience
from portal.htmx import render_page_or_fragment
from portal.i18n import current_locale, weekday_name
from portal.pagecache import public_page

bp = Blueprint("catalogue", __name__, url_prefix="/<lang:lang>/activities")


@bp.app_template_filter("audience")
def audience_label(audience: Audience) -> str:
    """Who may join, in the page's language."""
    return str(AUDIENCE_LABELS[audience])


def _filter_form() -> tuple[ActivityFilterForm, queries.ActivityFilter]:
    form = ActivityFilterForm(request.args)
    form.day.choices = [SelectChoice(n, weekday_name(n)) for n in range(7)]
    form.area.choices = [
        SelectChoice("", _l("All areas")),
        *(SelectChoice(postcode, label) for postcode, label in queries.areas()),
    ]
    form.validate()
    # Keep every filter that is valid; an invalid one is reported and ignored.
    criteria = queries.ActivityFilter(
        age=form.age.data if not form.age.errors else None,
        who=Audience(form.who.data) if form.who.data and not form.who.errors else None,
        days=frozenset(form.day.data or []) if not form.day.errors else frozenset(),
        postcode=(form.area.data or None) if not form.area.errors else None,
    )
    return form, criteria


@bp.get("")
@public_page
def index() -> ResponseReturnValue:
    """Every published activity, filtered by age, who may join, weekday and area."""
    form, criteria = _filter_form()
    activities = queries.published_activities(criteria, current_locale())
    return render_page_or_fragment(
        "catalogue/index.html",
        "catalogue/_results.html",
        form=form,
        activities=activities,
        made_for=criteria.who,
        filtered=bool(request.args),
    )


@bp.get("/<slug>")
@public_page
def detail(slug: str) -> ResponseReturnValue:
    activity = queries.activity_by_slug(slug)
    if activity is None:
        abort(404)
    return render_template("catalogue/detail.html", activity=activity)
