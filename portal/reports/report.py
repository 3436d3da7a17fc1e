"""One report: every section's figures for a filter, the labels in the reader's language, and
the charts drawn from the same numbers the tables show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from flask_babel import LazyString, format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.applications.models import GENDER_LABELS, Gender
from portal.i18n import format_money, language_name, locale_info, supported_locales
from portal.reports import queries
from portal.reports.charts import Chart, Row, bars, columns
from portal.reports.period import ReportFilters

DIMENSION_TITLES: dict[str, LazyString] = {
    "age": _l("Age"),
    "gender": _l("Gender"),
    "language": _l("The family's language"),
    "area": _l("Area (postcode)"),
}


@dataclass
class Report:
    filters: ReportFilters
    money: list[queries.SchemeMoney]
    declines: list[queries.Decline]
    people: queries.People
    starts: list[queries.StartRow]
    days_to_decision: queries.Days
    days_to_start: queries.Days
    unanswered: list[queries.Unanswered]
    criteria: list[queries.Criterion]
    months: queries.Months
    charts: dict[str, Chart]

    def group_label(self, dimension: str, key: str) -> str:
        return group_label(dimension, key, self.locale)

    locale: str = "da"


def group_label(dimension: str, key: str, locale: str) -> str:
    """A group's name in the reader's language."""
    if key == queries.UNKNOWN:
        return str(_("Not given"))
    if dimension == "age":
        low, _dash, high = key.partition("-")
        if not high:
            return str(_("%(age)s years or older", age=low))
        return str(_("%(low)s–%(high)s years", low=low, high=high))
    if dimension == "gender":
        return str(GENDER_LABELS[Gender(key)])
    if dimension == "language":
        name = language_name(key, locale)
        return name[:1].upper() + name[1:]
    return key


def month_name(first: date, locale: str, *, wide: bool = False) -> str:
    """The month's name in ``locale``: short for a chart's axis, wide for a table."""
    name = str(format_date(first, "LLLL" if wide else "LLL", locale=locale))
    return name[:1].upper() + name[1:]


def percent(share: float | None) -> str:
    return "" if share is None else str(format_percent(share, "#,##0 %"))


def build(filters: ReportFilters, *, zone: str, locale: str, today: date) -> Report:
    names = queries.Names(locale, _("No activity from the catalogue"), _("No scheme"))
    people = queries.people(filters, zone, today, supported_locales())
    starts, unanswered, teams = queries.starts(filters, zone, names)
    to_decision, to_start = queries.days(filters, zone)
    report = Report(
        filters=filters,
        money=queries.money(filters, zone, names),
        declines=queries.declines(filters, zone, locale),
        people=people,
        starts=starts,
        days_to_decision=to_decision,
        days_to_start=to_start,
        unanswered=unanswered,
        criteria=queries.criteria(filters, zone, locale, teams),
        months=queries.months(filters, zone),
        charts={},
        locale=locale,
    )
    report.charts = _charts(report, rtl=locale_info(locale).text_direction == "rtl")
    return report


def _charts(report: Report, *, rtl: bool) -> dict[str, Chart]:
    charts: dict[str, Chart] = {}
    money_rows = [
        Row(
            scheme.total.name,
            [scheme.total.paid_kr, scheme.total.reserved_kr, scheme.total.left_kr],
            [
                format_money(scheme.total.paid_kr),
                format_money(scheme.total.reserved_kr),
                "" if scheme.total.left_kr is None else format_money(scheme.total.left_kr),
            ],
        )
        for scheme in report.money
    ]
    charts["money"] = bars(
        "money",
        _("Money per scheme"),
        _("Paid, approved and not paid yet, and what is left of the pool, per scheme."),
        [_("Paid"), _("Approved, not paid"), _("Left in the pool")],
        money_rows,
        rtl=rtl,
    )
    for breakdown in report.people.breakdowns:
        charts[f"people-{breakdown.key}"] = bars(
            f"people-{breakdown.key}",
            _("Persons by %(what)s", what=str(DIMENSION_TITLES[breakdown.key]).lower()),
            _(
                "Each group's share of all who applied next to its share of all who were"
                " approved. Groups under 5 persons are not shown."
            ),
            [_("Share of applicants"), _("Share of approvals")],
            [
                Row(
                    report.group_label(breakdown.key, group.key),
                    [
                        None if group.applied_share is None else group.applied_share * 100,
                        None if group.approved_share is None else group.approved_share * 100,
                    ],
                    [
                        percent(group.applied_share) or group.applied.text,
                        percent(group.approved_share) or group.approved.text,
                    ],
                )
                for group in breakdown.groups
            ],
            rtl=rtl,
        )
    totals = [
        sum(getattr(row, name) for row in report.starts)
        for name in ("approved", "started", "still_coming")
    ]
    charts["starts"] = bars(
        "starts",
        _("Did they start, did they stay"),
        _(
            "Persons approved for an activity, those who started, and those still coming at the"
            " season's end, as the clubs marked it."
        ),
        [_("Persons")],
        [
            Row(label, [value], [str(format_decimal(value))])
            for label, value in zip(
                (_("Approved"), _("Started"), _("Still coming at the season's end")),
                totals,
                strict=True,
            )
        ],
        rtl=rtl,
    )
    charts["criteria"] = bars(
        "criteria",
        _("Success criteria"),
        _("Persons helped in each scheme against the scheme's target for the year."),
        [_("Persons helped"), _("Target")],
        [
            Row(
                c.scheme,
                [c.helped, c.target],
                [
                    str(format_decimal(c.helped)),
                    "" if c.target is None else str(format_decimal(c.target)),
                ],
            )
            for c in report.criteria
        ],
        rtl=rtl,
    )
    m = report.months
    period, before = report.filters.period, report.filters.period.before
    months = [month_name(first, report.locale) for first in m.firsts]
    for key, title, description, values in (
        ("months", _("Applications per month"),
         _("Applications sent per month in %(period)s and in %(before)s.",
           period=period.label, before=before.label),
         [m.applications, m.applications_before]),
        ("approvals", _("Approvals per month"),
         _("Applications approved per month in %(period)s and in %(before)s.",
           period=period.label, before=before.label),
         [m.approvals, m.approvals_before]),
    ):  # fmt: skip
        charts[key] = columns(
            key, title, description, [period.label, before.label], months, values, rtl=rtl
        )
    return charts
