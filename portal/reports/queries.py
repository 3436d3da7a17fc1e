"""The report's figures, aggregated in the database (no query per row): a fixed number of
grouped queries, whatever the number of applications, each one pass over the period's stretch
of :class:`~portal.reports.models.ReportFact` (one narrow row per sent application, in sending
order) instead of five joined tables.

What counts (the same everywhere in the report):

- An application is *in the report* when it was sent in the period (``submitted_at``, local
  time) and matches the filters (scheme, activity, association). Drafts never count.
- *Approved* means the application was approved once: approved, paid, closed or expired.
- Persons, not applications, are counted wherever the report says "persons" (a child with two
  applications is one person); a person's age band, gender, language and area are those of
  their latest application in the period; the age is the age on the period's last day (or
  today while the period runs).
- Money comes from the ledger rows of the applications in the report: approved (reserved),
  paid, returned to the pool (declined by the club, never started, withdrawn, expired). The
  pool and what is left of it are the budget year's, shown only when the report covers whole
  schemes in a calendar year (no season, activity or association filter)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, FromClause, case, func, select

from portal.applications.models import ReasonTemplate
from portal.catalogue.models import Activity, ActivityTranslation, Association
from portal.extensions import db
from portal.reports.models import ReportFact as F
from portal.reports.period import Period, ReportFilters, utc_midnight
from portal.reports.suppression import Cell, protect
from portal.schemes.models import Scheme, SchemeTranslation, SchemeYear
from portal.workflow import ApplicationStatus, EnrolmentStatus

_S = ApplicationStatus
#: Statuses an application reaches only through an approval.
APPROVED_ONCE = (_S.APPROVED, _S.PAID, _S.CLOSED, _S.EXPIRED)
DECIDED = (*APPROVED_ONCE, _S.REJECTED)

#: (key, youngest, oldest): the age bands of the equity view.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("0-5", 0, 5),
    ("6-9", 6, 9),
    ("10-12", 10, 12),
    ("13-15", 13, 15),
    ("16-17", 16, 17),
    ("18-24", 18, 24),
    ("25-", 25, None),
)
UNKNOWN = ""


def _matching(filters: ReportFilters) -> list[ColumnElement[bool]]:
    """The filters' scheme, activity and association. (Whether it was sent is in the time
    condition: only a sent application has ``submitted_at`` or ``decided_at``, so no status
    test is needed, and with no filter a count reads the index on the time alone.)"""
    conditions: list[ColumnElement[bool]] = []
    if filters.scheme_id is not None:
        conditions.append(F.scheme_id == filters.scheme_id)
    if filters.activity_id is not None:
        conditions.append(F.activity_id == filters.activity_id)
    if filters.association_id is not None:
        conditions.append(
            F.activity_id.in_(
                select(Activity.id).where(Activity.association_id == filters.association_id)
            )
        )
    return conditions


def _between(column: Any, start: date, end: date, zone: str) -> list[ColumnElement[bool]]:
    """``column`` from local midnight on ``start`` to local midnight on ``end``."""
    return [column >= utc_midnight(start, zone), column < utc_midnight(end, zone)]


def _in_report(filters: ReportFilters, zone: str) -> list[ColumnElement[bool]]:
    period = filters.period
    return [
        *_between(F.submitted_at, period.first_day, period.end_day, zone),
        *_matching(filters),
    ]


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# 1. Money per scheme and activity --------------------------------------------------------------


@dataclass
class MoneyRow:
    name: str
    activity_id: int | None = None
    pool_kr: int | None = None
    left_kr: int | None = None
    approved_kr: int = 0
    paid_kr: int = 0
    returned_kr: int = 0
    applications: int = 0
    approvals: int = 0
    declines: int = 0
    withdrawals: int = 0
    expired: int = 0

    @property
    def reserved_kr(self) -> int:
        """Approved and neither paid nor returned yet."""
        return self.approved_kr - self.paid_kr - self.returned_kr

    def add(self, other: MoneyRow) -> None:
        for name in (
            "approved_kr",
            "paid_kr",
            "returned_kr",
            "applications",
            "approvals",
            "declines",
            "withdrawals",
            "expired",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class SchemeMoney:
    scheme_id: int | None
    total: MoneyRow
    activities: list[MoneyRow] = field(default_factory=list)


@dataclass(frozen=True)
class Decline:
    reason: str
    count: int


def money(filters: ReportFilters, zone: str, names: Names) -> list[SchemeMoney]:
    counted = db.session.execute(
        select(
            F.scheme_id,
            F.activity_id,
            func.sum(F.reserved_kr),
            func.sum(F.paid_kr),
            func.sum(F.released_kr),
            func.count(),
            _count_if(F.status.in_(APPROVED_ONCE)),
            _count_if(F.status == _S.REJECTED),
            _count_if(F.status == _S.WITHDRAWN),
            _count_if(F.status == _S.EXPIRED),
        )
        .where(*_in_report(filters, zone))
        .group_by(F.scheme_id, F.activity_id)
    ).all()
    rows: dict[tuple[int | None, int | None], MoneyRow] = {}

    def row(scheme_id: int | None, activity_id: int | None) -> MoneyRow:
        key = (scheme_id, activity_id)
        if key not in rows:
            rows[key] = MoneyRow(names.activity(activity_id), activity_id)
        return rows[key]

    for (
        scheme_id,
        activity_id,
        reserved,
        paid,
        released,
        n,
        approved,
        declined,
        withdrawn,
        expired,
    ) in counted:
        r = row(scheme_id, activity_id)
        r.approved_kr, r.paid_kr, r.returned_kr = int(reserved), int(paid), int(released)
        r.applications, r.approvals, r.declines = int(n), int(approved), int(declined)
        r.withdrawals, r.expired = int(withdrawn), int(expired)

    schemes: dict[int | None, SchemeMoney] = {}
    if filters.whole_schemes:
        years = select(SchemeYear).where(SchemeYear.year == filters.period.year)
        if filters.scheme_id is not None:
            years = years.where(SchemeYear.scheme_id == filters.scheme_id)
        for year in db.session.execute(years).scalars():
            schemes[year.scheme_id] = SchemeMoney(
                year.scheme_id,
                MoneyRow(
                    names.scheme(year.scheme_id),
                    pool_kr=year.pool_kr,
                    left_kr=year.pool_kr - year.reserved_kr - year.paid_kr,
                ),
            )
    for (scheme_id, _activity_id), r in sorted(rows.items(), key=lambda kv: kv[1].name.lower()):
        if scheme_id not in schemes:
            schemes[scheme_id] = SchemeMoney(scheme_id, MoneyRow(names.scheme(scheme_id)))
        schemes[scheme_id].activities.append(r)
        schemes[scheme_id].total.add(r)
    return sorted(schemes.values(), key=lambda s: s.total.name.lower())


def declines(filters: ReportFilters, zone: str, locale: str) -> list[Decline]:
    """Declined applications per reason, most common first."""
    counted = db.session.execute(
        select(F.decision_reason_id, func.count())
        .where(*_in_report(filters, zone), F.status == _S.REJECTED)
        .group_by(F.decision_reason_id)
    ).all()
    templates = {
        t.id: t
        for t in db.session.execute(
            select(ReasonTemplate).where(
                ReasonTemplate.id.in_([rid for rid, _n in counted if rid is not None])
            )
        ).scalars()
    }
    return sorted(
        (
            Decline(templates[rid].text(locale) if rid in templates else "", int(n))
            for rid, n in counted
        ),
        key=lambda d: -d.count,
    )


# 2. People helped: the equity view -----------------------------------------------------------


@dataclass(frozen=True)
class Group:
    key: str
    applied: Cell
    approved: Cell
    applied_share: float | None
    approved_share: float | None


@dataclass
class Breakdown:
    key: str
    groups: list[Group]


@dataclass
class People:
    applied: int
    approved: int
    breakdowns: list[Breakdown]


def _age_band(reference: date, birth_on: Any) -> ColumnElement[str]:
    def years_before(years: int) -> date:
        try:
            return reference.replace(year=reference.year - years)
        except ValueError:  # 29 February
            return reference.replace(year=reference.year - years, day=28)

    whens: list[tuple[ColumnElement[bool], str]] = [(birth_on.is_(None), UNKNOWN)]
    for key, _youngest, oldest in AGE_BANDS:
        if oldest is not None:
            whens.append((birth_on > years_before(oldest + 1), key))
    return case(*whens, else_=AGE_BANDS[-1][0])


def people(filters: ReportFilters, zone: str, today: date, locales: Sequence[str]) -> People:
    """Distinct persons who applied and who were approved, by age band, gender, the family's
    language and area (postcode), each breakdown protected against small numbers."""
    reference = filters.period.reference_day(today)
    latest: FromClause
    person: tuple[Any, ...]
    approved_once = case((F.status.in_(APPROVED_ONCE), 1), else_=0)
    grouped = (
        select(
            func.max(F.application_id).label("last_id"),
            func.sum(approved_once).label("approved"),
        )
        .where(*_in_report(filters, zone), F.person_id.is_not(None))
        .group_by(F.person_id)
    )
    if db.engine.dialect.name == "sqlite":
        # A grouped row's other columns come from the row of its one max() (SQLite's rule):
        # each person's latest application, without joining the rows again (−50 ms at 100 k).
        latest = grouped.add_columns(F.birth_on, F.gender, F.locale, F.postcode).subquery()
        c = latest.c
        person = (c.birth_on, c.gender, c.locale, c.postcode)
    else:
        persons = grouped.subquery()
        latest = persons.join(F, F.application_id == persons.c.last_id)
        c = persons.c
        person = (F.birth_on, F.gender, F.locale, F.postcode)
    band = _age_band(reference, person[0]).label("band")
    was_approved = case((c.approved > 0, 1), else_=0)
    rows = db.session.execute(
        select(band, *person[1:], was_approved, func.count())
        .select_from(latest)
        .group_by(band, *person[1:], was_approved)
    ).all()
    dimensions = ("age", "gender", "language", "area")
    applied: dict[str, dict[str, int]] = {d: defaultdict(int) for d in dimensions}
    approved: dict[str, dict[str, int]] = {d: defaultdict(int) for d in dimensions}
    # Every group is listed, with 0 when nobody is in it (an empty group is a finding too).
    for key, _y, _o in AGE_BANDS:
        applied["age"][key] = approved["age"][key] = 0
    for gender in ("female", "male", "other"):
        applied["gender"][gender] = approved["gender"][gender] = 0
    for code in locales:
        applied["language"][code] = approved["language"][code] = 0
    total_applied = total_approved = 0
    for band_key, gender, locale, postcode, helped, n in rows:
        keys = {
            "age": band_key or UNKNOWN,
            "gender": getattr(gender, "value", gender) or UNKNOWN,
            "language": locale or UNKNOWN,
            "area": postcode or UNKNOWN,
        }
        total_applied += n
        total_approved += n if helped else 0
        for dimension, key in keys.items():
            applied[dimension][key] += n
            if helped:
                approved[dimension][key] += n
    breakdowns = []
    for dimension in dimensions:
        groups = list(applied[dimension])
        if dimension == "area":
            groups.sort(key=lambda k: (k == UNKNOWN, k))
        shown_applied = protect({k: applied[dimension][k] for k in groups})
        shown_approved = protect({k: approved[dimension][k] for k in groups})
        breakdowns.append(
            Breakdown(
                dimension,
                [
                    Group(
                        k,
                        shown_applied[k],
                        shown_approved[k],
                        _share(shown_applied[k], total_applied),
                        _share(shown_approved[k], total_approved),
                    )
                    for k in groups
                ],
            )
        )
    return People(total_applied, total_approved, breakdowns)


def _share(cell: Cell, total: int) -> float | None:
    return cell.count / total if cell.shown and total else None


# 3. Did they start, did they stay ------------------------------------------------------------


@dataclass(frozen=True)
class StartRow:
    association: str
    activity: str
    approved: int
    started: int
    still_coming: int
    stopped: int
    not_marked: int
    waiting_for_club: int


@dataclass(frozen=True)
class Days:
    count: int
    median: int | None
    p90: int | None


@dataclass(frozen=True)
class Unanswered:
    association: str
    count: int
    oldest: datetime


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """1 if any of a person's rows in the group meets ``condition``, else 0."""
    return func.max(case((condition, 1), else_=0))


def starts(
    filters: ReportFilters, zone: str, names: Names
) -> tuple[list[StartRow], list[Unanswered], dict[int, int]]:
    """Per activity: persons approved, started, marked at the season's end, and waiting for the
    club's answer; per association, the new members waiting and since when; per scheme, the
    activities (teams) with a member who started. One query: each person's flags per activity
    first, then the persons counted (cheaper than a COUNT(DISTINCT) per figure)."""
    started = F.start_on.is_not(None)
    pending = F.enrolment_status == EnrolmentStatus.PENDING
    per_person = (
        select(
            F.activity_id.label("activity_id"),
            F.scheme_id.label("scheme_id"),
            func.min(case((pending, F.enrolled_at))).label("oldest"),
            _flag(started).label("started"),
            _flag(started & F.active_at_season_end.is_(True)).label("still"),
            _flag(
                started
                & (
                    F.active_at_season_end.is_(False)
                    | (F.enrolment_status == EnrolmentStatus.STOPPED)
                )
            ).label("stopped"),
            _flag(
                started
                & F.active_at_season_end.is_(None)
                & (F.enrolment_status != EnrolmentStatus.STOPPED)
            ).label("unmarked"),
            _flag(pending).label("pending"),
        )
        .where(
            *_in_report(filters, zone),
            F.status.in_(APPROVED_ONCE),
            F.activity_id.is_not(None),
            F.person_id.is_not(None),
        )
        .group_by(F.activity_id, F.scheme_id, F.person_id)
        .subquery()
    )
    c = per_person.c
    rows = db.session.execute(
        select(
            c.activity_id,
            c.scheme_id,
            func.min(c.oldest),
            func.count(),
            func.sum(c.started),
            func.sum(c.still),
            func.sum(c.stopped),
            func.sum(c.unmarked),
            func.sum(c.pending),
        ).group_by(c.activity_id, c.scheme_id)
    ).all()
    result: list[StartRow] = []
    waiting: dict[str, tuple[int, datetime]] = {}
    teams: dict[int, int] = defaultdict(int)
    for act, scheme_id, oldest, *values in rows:
        row = StartRow(names.club_of(act), names.activity(act), *(int(v) for v in values))
        result.append(row)
        if row.started and scheme_id is not None:
            teams[scheme_id] += 1
        if row.waiting_for_club:
            count, since = waiting.get(row.association, (0, _aware(oldest)))
            waiting[row.association] = (count + row.waiting_for_club, min(since, _aware(oldest)))
    clubs = sorted(
        (Unanswered(name, count, since) for name, (count, since) in waiting.items()),
        key=lambda u: u.oldest,
    )
    result.sort(key=lambda r: (r.association.lower(), r.activity.lower()))
    return result, clubs, teams


def _percentiles(histogram: Iterable[tuple[int, int]]) -> Days:
    """The median and the 90th percentile (nearest rank) from (days, count) pairs."""
    counts = sorted((max(int(days), 0), int(n)) for days, n in histogram)
    total = sum(n for _days, n in counts)
    if not total:
        return Days(0, None, None)

    def rank(share: float) -> int:
        wanted, seen = max(1, -(-total * share // 1)), 0
        for days, n in counts:
            seen += n
            if seen >= wanted:
                return days
        return counts[-1][0]

    return Days(total, rank(0.5), rank(0.9))


def days(filters: ReportFilters, zone: str) -> tuple[Days, Days]:
    """Days from sending to the decision, and from the approval to the start, in one query:
    a histogram of (decision days, start days), the percentiles taken from it."""
    to_start = case((F.status.in_(APPROVED_ONCE), F.days_to_start))
    rows = db.session.execute(
        select(F.days_to_decision, to_start, func.count())
        .where(*_in_report(filters, zone), F.status.in_(DECIDED), F.days_to_decision.is_not(None))
        .group_by(F.days_to_decision, to_start)
    ).all()
    decision: dict[int, int] = defaultdict(int)
    start: dict[int, int] = defaultdict(int)
    for decided_in, started_in, n in rows:
        decision[int(decided_in)] += n
        if started_in is not None:
            start[int(started_in)] += n
    return _percentiles(decision.items()), _percentiles(start.items())


def _aware(value: datetime) -> datetime:
    """A timestamp from an aggregate (MIN bypasses the column's type on SQLite)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# 4. Each scheme's success criterion ---------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    scheme: str
    sentence: str
    target: int | None
    helped: int
    started: int
    teams: int


def criteria(
    filters: ReportFilters, zone: str, locale: str, teams: dict[int, int]
) -> list[Criterion]:
    """Per scheme: persons approved, of them started, and activities (teams) with a started
    member (from :func:`starts`), against the scheme's target for the budget year."""
    per_person = (
        select(
            F.scheme_id.label("scheme_id"),
            _flag(F.start_on.is_not(None)).label("started"),
        )
        .where(*_in_report(filters, zone), F.status.in_(APPROVED_ONCE), F.person_id.is_not(None))
        .group_by(F.scheme_id, F.person_id)
        .subquery()
    )
    counted = {
        scheme_id: (int(helped), int(began))
        for scheme_id, helped, began in db.session.execute(
            select(per_person.c.scheme_id, func.count(), func.sum(per_person.c.started)).group_by(
                per_person.c.scheme_id
            )
        ).all()
    }
    statement = (
        select(Scheme, SchemeYear.target_people)
        .outerjoin(
            SchemeYear,
            (SchemeYear.scheme_id == Scheme.id) & (SchemeYear.year == filters.period.year),
        )
        .order_by(Scheme.id)
    )
    if filters.scheme_id is not None:
        statement = statement.where(Scheme.id == filters.scheme_id)
    result = []
    for scheme, target in db.session.execute(statement).all():
        text = scheme.text(locale)
        helped, began = counted.get(scheme.id, (0, 0))
        if not text.success_criterion and target is None and not helped:
            continue
        result.append(
            Criterion(
                text.name, text.success_criterion, target, helped, began, teams.get(scheme.id, 0)
            )
        )
    return result


# 5. Over time -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Months:
    firsts: list[date]
    applications: list[int]
    approvals: list[int]
    applications_before: list[int]
    approvals_before: list[int]


def _per_month(
    column: Any, period: Period, filters: ReportFilters, zone: str, *extra: ColumnElement[bool]
) -> tuple[list[int], list[int]]:
    """Counts per month of ``period`` and of the same months a year earlier, in one query:
    each row is put in its month by comparing with the months' local midnights."""
    before = period.before
    firsts = [*before.months(), *period.months()]
    bounds = [utc_midnight(day, zone) for day in firsts[1:]]

    def month(low: int, high: int) -> Any:
        """The month (``low`` to ``high``) of a row, halving the range at each comparison: 5
        comparisons a row instead of up to 23 (−60 ms at 100,000 applications on SQLite)."""
        if low == high:
            return low
        middle = (low + high + 1) // 2
        return case(
            (column < bounds[middle - 1], month(low, middle - 1)), else_=month(middle, high)
        )

    index = month(0, len(firsts) - 1)
    counted: dict[int, int] = dict(
        db.session.execute(
            select(index, func.count())
            .where(
                *_matching(filters),
                *_between(column, before.first_day, period.end_day, zone),
                *extra,
            )
            .group_by(index)
        ).all()
    )
    per_month = [int(counted.get(n, 0)) for n in range(len(firsts))]
    half = len(before.months())
    return per_month[half:], per_month[:half]


def months(filters: ReportFilters, zone: str) -> Months:
    """Applications sent and approvals made per month, this period and the one before."""
    period = filters.period
    sent, sent_before = _per_month(F.submitted_at, period, filters, zone)
    approved, approved_before = _per_month(
        F.decided_at,
        period,
        filters,
        zone,
        F.status.in_(APPROVED_ONCE),
    )
    return Months(period.months(), sent, approved, sent_before, approved_before)


# Names ----------------------------------------------------------------------------------------


class Names:
    """Schemes', activities' and associations' names in the reader's language, each looked up
    once for the whole report."""

    def __init__(self, locale: str, no_activity: str, no_scheme: str) -> None:
        self.locale, self.no_activity, self.no_scheme = locale, no_activity, no_scheme
        self._schemes: dict[int, str] | None = None
        self._activities: dict[int, str] | None = None
        self._clubs: dict[int, str] | None = None

    def scheme(self, scheme_id: int | None) -> str:
        if self._schemes is None:
            self._schemes = {}
            for scheme_id_, locale, name in db.session.execute(
                select(
                    SchemeTranslation.scheme_id, SchemeTranslation.locale, SchemeTranslation.name
                )
            ):
                if locale == self.locale or scheme_id_ not in self._schemes:
                    self._schemes[scheme_id_] = name
        return self._schemes.get(scheme_id, self.no_scheme) if scheme_id else self.no_scheme

    def activity(self, activity_id: int | None) -> str:
        if self._activities is None:
            self._activities = {}
            for activity_id_, locale, name in db.session.execute(
                select(
                    ActivityTranslation.activity_id,
                    ActivityTranslation.locale,
                    ActivityTranslation.name,
                ).where(ActivityTranslation.locale.in_((self.locale, "da")))
            ):
                if locale == self.locale or activity_id_ not in self._activities:
                    self._activities[activity_id_] = name
        if activity_id is None:
            return self.no_activity
        return self._activities.get(activity_id, self.no_activity)

    def club_of(self, activity_id: int | None) -> str:
        """The name of the association that runs the activity."""
        if self._clubs is None:
            self._clubs = dict(
                db.session.execute(
                    select(Activity.id, Association.name).join(
                        Association, Association.id == Activity.association_id
                    )
                ).all()
            )
        return self._clubs.get(activity_id or 0, "")
