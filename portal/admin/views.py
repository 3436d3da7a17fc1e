"""The administrators' pages (``staff_required(Role.ADMIN)`` on every view)."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from portal.admin import queries, services
from portal.admin.forms import PoolForm, criterion_form, reason_form, scheme_form
from portal.audit.models import AUDIT_ACTION_LABELS, AuditAction
from portal.audit.services import record_access
from portal.auth import services as auth_services
from portal.auth.access import for_staff, staff_id, staff_required
from portal.auth.forms import InviteForm
from portal.auth.models import Role, User
from portal.db import utcnow
from portal.extensions import db
from portal.forms import PortalForm
from portal.i18n import current_locale, format_money, supported_locales
from portal.review import queries as review_queries
from portal.schemes.models import SchemeKind

bp = for_staff(Blueprint("admin", __name__, url_prefix="/<lang:lang>/staff/admin"))

#: The years the budget page goes back and forward to (reports look back; pools open ahead).
YEARS_BACK, YEARS_AHEAD = 5, 1


def _number(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


# Access log -------------------------------------------------------------------------------------


@bp.get("/access-log")
@staff_required(Role.ADMIN)
def access_log() -> ResponseReturnValue:
    """Who looked at one family's data, and when and why: for a citizen who asks."""
    reference = (request.args.get("reference") or "").strip().upper()
    application = review_queries.case_by_reference(reference) if reference else None
    rows = None
    if application is not None:
        record_access(staff_id(), AuditAction.VIEW, "access log request", application=application)
        rows = queries.accesses_to_household(application.household_id)
    return render_template(
        "admin/access_log.html",
        reference=reference,
        application=application,
        rows=rows,
        action_labels=AUDIT_ACTION_LABELS,
    )


# Schemes, pools and caps ------------------------------------------------------------------------


def _year() -> int:
    this_year = utcnow().year
    asked = _number(request.args.get("year") or request.form.get("year"))
    if asked is None:
        return this_year
    if not this_year - YEARS_BACK <= asked <= this_year + YEARS_AHEAD:
        abort(404)
    return asked


@bp.route("/schemes", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def schemes() -> ResponseReturnValue:
    """Each scheme's pool and cap for a year, and the schemes not set up for it yet (next
    year's pools open before New Year). A pool can change mid-year but never below what is
    already approved or paid (the ledger stays whole; the database checks it too)."""
    year = _year()
    locale = current_locale()
    rows = queries.scheme_years(year, locale)
    missing = queries.schemes_without_year(year, locale)
    forms: dict[str, PoolForm] = {}
    criteria = _criterion_forms(rows)
    for shown in rows:
        form = PoolForm(formdata=None, prefix=f"y{shown.year_id}")
        form.pool_kr.data, form.cap_per_person_kr.data = shown.pool_kr, shown.cap_kr
        forms[f"y{shown.year_id}"] = form
    for scheme in missing:
        form = PoolForm(formdata=None, prefix=f"s{scheme.scheme_id}")
        form.pool_kr.data, form.cap_per_person_kr.data = scheme.pool_kr, scheme.cap_kr
        forms[f"s{scheme.scheme_id}"] = form
    status = 200
    if request.method == "POST" and request.form.get("criterion_year_id"):
        saved = _save_criterion(rows, criteria)
        if saved is not None:
            return redirect(url_for(".schemes", year=year, saved=saved), code=303)
        status = 422
    elif request.method == "POST":
        saved = _save_pool(year, rows, missing, forms)
        if saved is not None:
            return redirect(url_for(".schemes", year=year, saved=saved), code=303)
        status = 422
    return render_template(
        "admin/schemes.html",
        rows=rows,
        missing=missing,
        pool_forms=forms,
        criterion_forms=criteria,
        locales=supported_locales(),
        year=year,
        this_year=utcnow().year,
        years=(year - 1 >= utcnow().year - YEARS_BACK, year + 1 <= utcnow().year + YEARS_AHEAD),
    ), status


def _criterion_forms(rows: list[queries.SchemeYearRow]) -> dict[int, PortalForm]:
    """Each year's success criterion, filled in with what is set."""
    form_class = criterion_form(supported_locales())
    forms: dict[int, PortalForm] = {}
    for row in rows:
        form = form_class(formdata=None, prefix=f"c{row.year_id}")
        form["target_people"].data = row.target_people
        for code in supported_locales():
            form[f"criterion_{code}"].data = row.criterion.get(code, "")
        forms[row.year_id] = form
    return forms


def _save_criterion(rows: list[queries.SchemeYearRow], forms: dict[int, PortalForm]) -> str | None:
    """Save one year's success criterion (``criterion_year_id``); the key of the saved panel, or
    None with the errors on the form."""
    year_id = _number(request.form.get("criterion_year_id"))
    row = next((r for r in rows if r.year_id == year_id), None)
    if row is None:
        abort(404)
    form = criterion_form(supported_locales())(prefix=f"c{row.year_id}")
    forms[row.year_id] = form
    if not form.validate():
        return None
    texts = {code: form[f"criterion_{code}"].data for code in supported_locales()}
    services.set_criterion(row.year_id, form["target_people"].data, texts, admin_id=staff_id())
    return f"c{row.year_id}"


def _save_pool(
    year: int,
    rows: list[queries.SchemeYearRow],
    missing: list[queries.NotSetUp],
    forms: dict[str, PoolForm],
) -> str | None:
    """Change a year's pool (``year_id``) or set one up (``scheme_id``); the key of the saved
    form, or None with the errors on it."""
    year_id, scheme_id = (
        _number(request.form.get("year_id")),
        _number(request.form.get("scheme_id")),
    )
    row = next((r for r in rows if r.year_id == year_id), None) if year_id else None
    new = next((s for s in missing if s.scheme_id == scheme_id), None) if scheme_id else None
    if row is None and new is None:
        abort(404)
    key = f"y{row.year_id}" if row else f"s{scheme_id}"
    form = PoolForm(prefix=key)
    forms[key] = form
    if not form.validate() or form.pool_kr.data is None or form.cap_per_person_kr.data is None:
        return None
    if row is not None:
        return (
            key if _change_pool(row, form, form.pool_kr.data, form.cap_per_person_kr.data) else None
        )
    if new is None:
        abort(404)
    if not services.open_year(
        new.scheme_id, year, form.pool_kr.data, form.cap_per_person_kr.data, admin_id=staff_id()
    ):
        form.pool_kr.errors.append(_("Someone set up this year's pool a moment ago."))
        return None
    return key


def _change_pool(row: queries.SchemeYearRow, form: PoolForm, pool: int, cap: int) -> bool:
    """A year's pool and cap changed; never below what is approved or paid already."""
    committed = row.reserved_kr + row.paid_kr
    if pool < committed:
        form.pool_kr.errors.append(
            _("At least %(amount)s: that much is approved or paid already.",
              amount=format_money(committed))
        )  # fmt: skip
        return False
    services.change_pool(row.year_id, pool, cap, admin_id=staff_id())
    return True


@bp.route("/schemes/new", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def new_scheme() -> ResponseReturnValue:
    """A new scheme: kind, reference letters, name and description in every language, and its
    pool and cap for a year."""
    year = _year()
    locales = supported_locales()
    form_class = scheme_form(locales)
    posted = request.method == "POST"
    form = form_class() if posted else form_class(formdata=None)
    if posted and form.validate():
        if queries.prefix_taken(form.prefix.data):
            form.prefix.errors.append(_("Another scheme uses these letters. Choose others."))
        elif form.pool_kr.data is not None and form.cap_per_person_kr.data is not None:
            services.add_scheme(
                SchemeKind(form.kind.data),
                form.prefix.data,
                {code: getattr(form, f"name_{code}").data for code in locales},
                {code: getattr(form, f"description_{code}").data for code in locales},
                year=year,
                pool_kr=form.pool_kr.data,
                cap_kr=form.cap_per_person_kr.data,
                admin_id=staff_id(),
            )
            return redirect(url_for(".schemes", year=year, saved="new"), code=303)
    return render_template(
        "admin/new_scheme.html",
        form=form,
        year=year,
        names=[getattr(form, f"name_{code}") for code in locales],
        descriptions=[getattr(form, f"description_{code}") for code in locales],
    ), (422 if posted else 200)


# Decline reasons --------------------------------------------------------------------------------


@bp.route("/reasons", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def reasons() -> ResponseReturnValue:
    """The decline reasons guides pick from; a new one needs its text in every language."""
    locales = supported_locales()
    form_class = reason_form(locales)
    form = form_class() if request.method == "POST" else form_class(formdata=None)
    if request.method == "POST" and form.validate():
        texts = {code: getattr(form, f"text_{code}").data for code in locales}
        services.add_reason(texts, admin_id=staff_id())
        return redirect(url_for(".reasons", saved=1), code=303)
    fields = [getattr(form, f"text_{code}") for code in locales]
    return render_template(
        "admin/reasons.html",
        form=form,
        fields=fields,
        reasons=queries.decline_reasons(current_locale()),
    ), (422 if request.method == "POST" else 200)


@bp.post("/reasons/<int:reason_id>/<any(stop, resume):change>")
@staff_required(Role.ADMIN)
def reason_in_use(reason_id: int, change: str) -> ResponseReturnValue:
    """Stop offering a reason (decisions already made keep it), or offer it again."""
    if not services.set_reason_in_use(reason_id, change == "resume", admin_id=staff_id()):
        abort(404)
    return redirect(url_for(".reasons", changed=change), code=303)


# Staff members ----------------------------------------------------------------------------------


@bp.route("/staff", methods=["GET", "POST"])
@staff_required(Role.ADMIN)
def staff_members() -> ResponseReturnValue:
    """The guides and administrators; invite a new one (a one-time link by e-mail)."""
    form = InviteForm() if request.method == "POST" else InviteForm(formdata=None)
    if request.method == "POST" and form.validate():
        if auth_services.find_user(form.email.data) is not None:
            form.email.errors.append(_("Someone already has that e-mail address."))
        else:
            auth_services.invite(
                form.name.data,
                form.email.data,
                Role(form.role.data),
                locale=current_locale(),
                by=staff_id(),
                now=utcnow(),
            )
            return redirect(url_for(".staff_members", invited=1), code=303)
    members = db.session.execute(
        select(User).where(User.role.in_((Role.GUIDE, Role.ADMIN))).order_by(User.name)
    ).scalars()
    return render_template("admin/staff.html", form=form, members=list(members)), (
        422 if request.method == "POST" else 200
    )
