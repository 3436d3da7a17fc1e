"""The report as tables for a spreadsheet: one sheet per section (Excel), or the same tables one
after another (CSV). The same numbers as the page, the small groups hidden the same way."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from portal.reports.report import DIMENSION_TITLES, Report, month_name
from portal.spreadsheets import Sheet


def sheets(report: Report) -> list[Sheet]:
    return [
        _money(report),
        _applications(report),
        _people(report),
        _starts(report),
        _criteria(report),
        _months(report),
    ]


def _per_scheme(report: Report, *columns: str) -> list[list[Any]]:
    """A row per scheme (its total) and per activity under it, with ``columns`` of MoneyRow."""
    return [
        [scheme.total.name, "" if row is scheme.total else row.name]
        + [getattr(row, column) for column in columns]
        for scheme in report.money
        for row in [scheme.total, *scheme.activities]
    ]


def _money(report: Report) -> Sheet:
    rows = _per_scheme(report, "pool_kr", "approved_kr", "paid_kr", "returned_kr", "reserved_kr",
                       "left_kr")  # fmt: skip
    header = [
        _("Scheme"),
        _("Activity"),
        _("Pool"),
        _("Approved"),
        _("Paid"),
        _("Returned to the pool"),
        _("Approved, not paid"),
        _("Left in the pool"),
    ]
    return (_("Money"), header, rows)


def _applications(report: Report) -> Sheet:
    rows = _per_scheme(report, "applications", "approvals", "declines", "withdrawals", "expired")
    rows.extend(
        [_("Declined: %(reason)s", reason=d.reason or "–"), "", "", "", d.count, "", ""]
        for d in report.declines
    )
    header = [
        _("Scheme"),
        _("Activity"),
        _("Applications"),
        _("Approved"),
        _("Declined"),
        _("Withdrawn"),
        _("Expired"),
    ]
    return (_("Applications"), header, rows)


def _people(report: Report) -> Sheet:
    def share(value: float | None) -> Any:
        return "" if value is None else round(value, 4)

    rows = [
        [
            str(DIMENSION_TITLES[b.key]),
            report.group_label(b.key, g.key),
            g.applied.value,
            share(g.applied_share),
            g.approved.value,
            share(g.approved_share),
        ]
        for b in report.people.breakdowns
        for g in b.groups
    ]
    rows.append([_("All"), "", report.people.applied, 1, report.people.approved, 1])
    header = [
        _("Breakdown"),
        _("Group"),
        _("Applied"),
        _("Share of applicants"),
        _("Approved"),
        _("Share of approvals"),
    ]
    return (_("People helped"), header, rows)


def _starts(report: Report) -> Sheet:
    rows: list[list[Any]] = [
        [
            r.association,
            r.activity,
            r.approved,
            r.started,
            r.still_coming,
            r.stopped,
            r.not_marked,
            r.waiting_for_club,
        ]
        for r in report.starts
    ]
    for label, days in (
        (_("From application to decision"), report.days_to_decision),
        (_("From approval to start"), report.days_to_start),
    ):
        rows.append(
            [
                label,
                _("Median days"),
                days.median,
                _("9 of 10 within, days"),
                days.p90,
                _("Counted"),
                days.count,
                "",
            ]
        )
    header = [
        _("Association"),
        _("Activity"),
        _("Approved"),
        _("Started"),
        _("Still coming at the season's end"),
        _("Stopped"),
        _("Not marked yet"),
        _("Club has not answered"),
    ]
    return (_("Started and stayed"), header, rows)


def _criteria(report: Report) -> Sheet:
    rows = [[c.scheme, c.sentence, c.target, c.helped, c.started, c.teams] for c in report.criteria]
    header = [
        _("Scheme"),
        _("Success criterion"),
        _("Target"),
        _("Persons helped"),
        _("Started"),
        _("Activities (teams)"),
    ]
    return (_("Success criteria"), header, rows)


def _months(report: Report) -> Sheet:
    m, period = report.months, report.filters.period
    rows = [
        [
            month_name(first, report.locale, wide=True),
            m.applications[n],
            m.applications_before[n],
            m.approvals[n],
            m.approvals_before[n],
        ]
        for n, first in enumerate(m.firsts)
    ]
    header = [
        _("Month"),
        _("Applications %(period)s", period=period.label),
        _("Applications %(period)s", period=period.before.label),
        _("Approvals %(period)s", period=period.label),
        _("Approvals %(period)s", period=period.before.label),
    ]
    return (_("Over time"), header, rows)
