"""A report's period and filters: a calendar year (the budget year) or a season (August to
June), and optionally one scheme, activity or association.

The period's bounds are local midnights in the municipality's time zone, turned into UTC for
the database (timestamps are stored in UTC)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Period:
    #: The calendar year, or the year the season starts in (season 2026/27: 2026).
    year: int
    season: bool = False

    @property
    def first_day(self) -> date:
        return date(self.year, 8, 1) if self.season else date(self.year, 1, 1)

    @property
    def end_day(self) -> date:
        """The day after the period's last day."""
        return date(self.year + 1, 7, 1) if self.season else date(self.year + 1, 1, 1)

    @property
    def label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}" if self.season else str(self.year)

    @property
    def before(self) -> Period:
        """The same period a year earlier."""
        return replace(self, year=self.year - 1)

    def months(self) -> list[date]:
        """The first day of each month in the period (12 or 11)."""
        firsts, day = [], self.first_day
        while day < self.end_day:
            firsts.append(day)
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return firsts

    def reference_day(self, today: date) -> date:
        """The day ages are counted on: the period's last day, or today while it runs."""
        return min(today, date.fromordinal(self.end_day.toordinal() - 1))


def utc_midnight(day: date, zone: str) -> datetime:
    """Local midnight at the start of ``day``, in UTC (compared with the stored timestamps)."""
    local = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC)


@dataclass(frozen=True)
class ReportFilters:
    period: Period
    scheme_id: int | None = None
    activity_id: int | None = None
    association_id: int | None = None

    @property
    def whole_schemes(self) -> bool:
        """True when the report covers every application of its schemes in a budget year, so
        that a pool and what is left of it belong in it."""
        return not self.period.season and self.activity_id is None and self.association_id is None
