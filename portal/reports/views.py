"""The report page, its printable committee version and its exports. Guides and administrators
only; each opening and each export is written to the audit log with the filter used."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import func, select
from wtforms import SelectChoice

from portal.applications.models import Application
from portal.audit import services as audit
from portal.audit.models import AuditAction
from portal.auth.access import staff_id, staff_required
from portal.extensions import db
from portal.i18n import current_locale
from portal.reports import bp, report
from portal.reports import exports as report_exports
from portal.reports.forms import ReportFilterForm
from portal.reports.period import Period, ReportFilters
from portal.review import queries as review_queries
from portal.schemes.models import SchemeYear
from portal.spreadsheets import download, sections_to_csv, to_workbook

#: Years offered in the filter: at most this many back from the newest.
YEARS_BACK = 10


def _today() -> datetime:
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"]))


def _years(this_year: int) -> list[int]:
    """The years that have applications or a pool, newest first (this year at least)."""
    first_sent = db.session.execute(select(func.min(Application.submitted_at))).scalar()
    first_pool = db.session.execute(select(func.min(SchemeYear.year))).scalar()
    earliest = min(
        this_year,
        first_pool or this_year,
        first_sent.year if isinstance(first_sent, datetime) else this_year,
    )
    newest = max(this_year, db.session.execute(select(func.max(SchemeYear.year))).scalar() or 0)
    return list(range(newest, max(earliest, newest - YEARS_BACK) - 1, -1))


def _form() -> tuple[ReportFilterForm, ReportFilters]:
    """The filter from the address; an unknown value falls back to the default."""
    locale = current_locale()
    form = ReportFilterForm(request.args)
    this_year = _today().year
    form.year.choices = [SelectChoice(str(y), str(y)) for y in _years(this_year)]
    every = SelectChoice("", _("All"))
    form.scheme.choices = [
        every,
        *(SelectChoice(*c) for c in review_queries.scheme_choices(locale)),
    ]
    form.activity.choices = [
        every,
        *(SelectChoice(*c) for c in review_queries.activity_filter_choices(locale)),
    ]
    form.association.choices = [
        every,
        *(SelectChoice(*c) for c in review_queries.association_choices()),
    ]

    def valid(field: object) -> str | None:
        value = getattr(field, "data", None) or None
        return value if value in {c.value for c in getattr(field, "choices")} else None  # noqa: B009

    year = int(valid(form.year) or this_year)
    form.year.data = str(year)
    season = valid(form.period) == "season"
    form.period.data = "season" if season else "year"

    def number(field: object) -> int | None:
        value = valid(field)
        return int(value) if value else None

    filters = ReportFilters(
        Period(year, season),
        scheme_id=number(form.scheme),
        activity_id=number(form.activity),
        association_id=number(form.association),
    )
    return form, filters


def _build(filters: ReportFilters, locale: str) -> report.Report:
    return report.build(
        filters, zone=current_app.config["TIMEZONE"], locale=locale, today=_today().date()
    )


def _audit(action: AuditAction, purpose: str) -> None:
    details = request.query_string.decode()[:500] or None
    audit.record_access(staff_id(), action, purpose, subject=("report", None), details=details)


@bp.context_processor
def _helpers() -> dict[str, Any]:
    locale = current_locale()
    return {
        "dimension_titles": report.DIMENSION_TITLES,
        "percent": report.percent,
        "month_name": lambda first: report.month_name(first, locale, wide=True),
    }


def _filter_text(form: ReportFilterForm) -> str:
    """The filter in words, for the printed pages and the exports' names."""
    parts = []
    for field in (form.period, form.scheme, form.activity, form.association):
        chosen = next((c.label for c in field.choices if c.value == (field.data or "")), None)
        if field is form.period or field.data:
            parts.append(f"{field.label.text}: {chosen}")
    return " · ".join(parts)


@bp.get("/")
@staff_required()
def show() -> ResponseReturnValue:
    """The report for a year or season, with the filter as a GET form."""
    form, filters = _form()
    _audit(AuditAction.VIEW, "report")
    return render_template(
        "reports/report.html", form=form, report=_build(filters, current_locale())
    )


@bp.get("/print")
@staff_required()
def printable() -> ResponseReturnValue:
    """The committee's version: Danish, A4, the municipality, date and filter on every page."""
    form, filters = _form()
    _audit(AuditAction.EXPORT, "report print")
    return render_template(
        "reports/print.html",
        form=form,
        report=_build(filters, current_locale()),
        printed=_today(),
        filter_text=_filter_text(form),
    )


@bp.get("/report.<any(csv, xlsx):fmt>")
@staff_required()
def export(fmt: str) -> ResponseReturnValue:
    """The report as a spreadsheet: one sheet per section (Excel), or one table after another
    (CSV), in the reader's language."""
    filters = _form()[1]
    _audit(AuditAction.EXPORT, f"report {fmt}")
    sheets = report_exports.sheets(_build(filters, current_locale()))
    data = to_workbook(sheets) if fmt == "xlsx" else sections_to_csv(sheets)
    return download(data, f"rapport-{filters.period.label.replace('/', '-')}", fmt)
