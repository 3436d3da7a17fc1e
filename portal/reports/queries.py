"""The report's figures, aggregated in the database (no query per row): a fixed number of
grouped queries, whatever the number of applications.

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

from sqlalchemy import ColumnElement, Integer, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from portal.applications.models import (
    Applicant,
    Application,
    Household,
    Participant,
    ReasonTemplate,
)
from portal.catalogue.models import Activity, ActivityTranslation, Association
from portal.enrolments.models import Enrolment
from portal.extensions import db
from portal.reports.period import Period, ReportFilters, utc_midnight
from portal.reports.suppression import Cell, protect
from portal.schemes.models import LedgerEntry, LedgerKind, Scheme, SchemeTranslation, SchemeYear
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


class whole_days(FunctionElement[int]):
    """Whole days from ``earlier`` to ``later`` (a timestamp or a date), in SQL."""

    type = Integer()
    inherit_cache = True


@compiles(whole_days, "sqlite")
def _whole_days_sqlite(element: whole_days, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


@compiles(whole_days, "postgresql")
def _whole_days_pg(element: whole_days, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(FLOOR(EXTRACT(EPOCH FROM (CAST({compiler.process(later, **kw)} AS TIMESTAMP) - "
        f"CAST({compiler.process(earlier, **kw)} AS TIMESTAMP))) / 86400) AS INTEGER)"
    )


class calendar_days(FunctionElement[int]):
    """Days from the date of ``earlier`` to the date of ``later`` (the dates as stored, UTC)."""

    type = Integer()
    inherit_cache = True


@compiles(calendar_days, "sqlite")
def _calendar_days_sqlite(element: calendar_days, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday(date({later})) - julianday(date({earlier})) AS INTEGER)"


@compiles(calendar_days, "postgresql")
def _calendar_days_pg(element: calendar_days, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"


def _matching(filters: ReportFilters) -> list[ColumnElement[bool]]:
    """The filters' scheme, activity and association. (Whether it was sent is in the time
    condition: only a sent application has ``submitted_at`` or ``decided_at``, so no status
    test is needed, and with no filter a count reads the index on the time alone.)"""
    conditions: list[ColumnElement[bool]] = []
    if filters.scheme_id is not None:
        conditions.append(Application.scheme_id == filters.scheme_id)
    if filters.activity_id is not None:
        conditions.append(Application.activity_id == filters.activity_id)
    if filters.association_id is not None:
        conditions.append(
            Application.activity_id.in_(
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
        *_between(Application.submitted_at, period.first_day, period.end_day, zone),
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
    conditions = _in_report(filters, zone)
    signed = {
        kind: func.coalesce(
            func.sum(case((LedgerEntry.kind == kind, LedgerEntry.amount_kr), else_=0)), 0
        )
        for kind in LedgerKind
    }
    ledger = db.session.execute(
        select(Application.scheme_id, Application.activity_id, *signed.values())
        .join(LedgerEntry, LedgerEntry.application_id == Application.id)
        .where(*conditions)
        .group_by(Application.scheme_id, Application.activity_id)
    ).all()
    counted = db.session.execute(
        select(
            Application.scheme_id,
            Application.activity_id,
            func.count(),
            _count_if(Application.status.in_(APPROVED_ONCE)),
            _count_if(Application.status == _S.REJECTED),
            _count_if(Application.status == _S.WITHDRAWN),
            _count_if(Application.status == _S.EXPIRED),
        )
        .where(*conditions)
        .group_by(Application.scheme_id, Application.activity_id)
    ).all()
    rows: dict[tuple[int | None, int | None], MoneyRow] = {}

    def row(scheme_id: int | None, activity_id: int | None) -> MoneyRow:
        key = (scheme_id, activity_id)
        if key not in rows:
            rows[key] = MoneyRow(names.activity(activity_id), activity_id)
        return rows[key]

    for scheme_id, activity_id, reserved, paid, released in ledger:
        r = row(scheme_id, activity_id)
        r.approved_kr, r.paid_kr, r.returned_kr = int(reserved), int(paid), int(released)
    for scheme_id, activity_id, n, approved, declined, withdrawn, expired in counted:
        r = row(scheme_id, activity_id)
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
        select(Application.decision_reason_id, func.count())
        .where(*_in_report(filters, zone), Application.status == _S.REJECTED)
        .group_by(Application.decision_reason_id)
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


def _age_band(reference: date) -> ColumnElement[str]:
    def years_before(years: int) -> date:
        try:
            return reference.replace(year=reference.year - years)
        except ValueError:  # 29 February
            return reference.replace(year=reference.year - years, day=28)

    whens: list[tuple[ColumnElement[bool], str]] = [(Participant.birth_on.is_(None), UNKNOWN)]
    for key, _youngest, oldest in AGE_BANDS:
        if oldest is not None:
            whens.append((Participant.birth_on > years_before(oldest + 1), key))
    return case(*whens, else_=AGE_BANDS[-1][0])


def people(filters: ReportFilters, zone: str, today: date, locales: Sequence[str]) -> People:
    """Distinct persons who applied and who were approved, by age band, gender, the family's
    language and area (postcode), each breakdown protected against small numbers."""
    persons = (
        select(
            Participant.person_id.label("person_id"),
            func.max(Application.id).label("last_id"),
            func.max(case((Application.status.in_(APPROVED_ONCE), 1), else_=0)).label("approved"),
        )
        .join(Participant, Participant.id == Application.participant_id)
        .where(*_in_report(filters, zone), Participant.person_id.is_not(None))
        .group_by(Participant.person_id)
        .subquery()
    )
    band = _age_band(filters.period.reference_day(today)).label("band")
    rows = db.session.execute(
        select(
            band,
            Participant.gender,
            Applicant.preferred_locale,
            Household.postcode,
            persons.c.approved,
            func.count(),
        )
        .select_from(persons)
        .join(Application, Application.id == persons.c.last_id)
        .join(Participant, Participant.id == Application.participant_id)
        .join(Household, Household.id == Application.household_id)
        .outerjoin(Applicant, Applicant.id == Application.applicant_id)
        .group_by(
            band,
            Participant.gender,
            Applicant.preferred_locale,
            Household.postcode,
            persons.c.approved,
        )
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
    for band_key, gender, locale, postcode, was_approved, n in rows:
        keys = {
            "age": band_key or UNKNOWN,
            "gender": getattr(gender, "value", gender) or UNKNOWN,
            "language": locale or UNKNOWN,
            "area": postcode or UNKNOWN,
        }
        total_applied += n
        total_approved += n if was_approved else 0
        for dimension, key in keys.items():
            applied[dimension][key] += n
            if was_approved:
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
    started = Enrolment.start_on.is_not(None)
    pending = Enrolment.status == EnrolmentStatus.PENDING
    per_person = (
        select(
            Activity.association_id.label("association_id"),
            Application.activity_id.label("activity_id"),
            Application.scheme_id.label("scheme_id"),
            func.min(case((pending, Enrolment.created_at))).label("oldest"),
            _flag(started).label("started"),
            _flag(started & Enrolment.active_at_season_end.is_(True)).label("still"),
            _flag(
                started
                & (
                    Enrolment.active_at_season_end.is_(False)
                    | (Enrolment.status == EnrolmentStatus.STOPPED)
                )
            ).label("stopped"),
            _flag(
                started
                & Enrolment.active_at_season_end.is_(None)
                & (Enrolment.status != EnrolmentStatus.STOPPED)
            ).label("unmarked"),
            _flag(pending).label("pending"),
        )
        .select_from(Application)
        .join(Participant, Participant.id == Application.participant_id)
        .join(Activity, Activity.id == Application.activity_id)
        .outerjoin(Enrolment, Enrolment.application_id == Application.id)
        .where(*_in_report(filters, zone), Application.status.in_(APPROVED_ONCE))
        .group_by(
            Activity.association_id,
            Application.activity_id,
            Application.scheme_id,
            Participant.person_id,
        )
        .subquery()
    )
    c = per_person.c
    rows = db.session.execute(
        select(
            c.association_id,
            c.activity_id,
            c.scheme_id,
            func.min(c.oldest),
            func.count(),
            func.sum(c.started),
            func.sum(c.still),
            func.sum(c.stopped),
            func.sum(c.unmarked),
            func.sum(c.pending),
        ).group_by(c.association_id, c.activity_id, c.scheme_id)
    ).all()
    result: list[StartRow] = []
    waiting: dict[str, tuple[int, datetime]] = {}
    teams: dict[int, int] = defaultdict(int)
    for assoc, act, scheme_id, oldest, *values in rows:
        row = StartRow(names.association(assoc), names.activity(act), *(int(v) for v in values))
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
    to_decision = whole_days(Application.decided_at, Application.submitted_at)
    to_start = case(
        (
            Application.status.in_(APPROVED_ONCE) & Enrolment.start_on.is_not(None),
            calendar_days(Enrolment.start_on, Application.decided_at),
        )
    )
    rows = db.session.execute(
        select(to_decision, to_start, func.count())
        .select_from(Application)
        .outerjoin(Enrolment, Enrolment.application_id == Application.id)
        .where(*_in_report(filters, zone), Application.status.in_(DECIDED))
        .where(Application.decided_at.is_not(None))
        .group_by(to_decision, to_start)
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
            Application.scheme_id.label("scheme_id"),
            _flag(Enrolment.start_on.is_not(None)).label("started"),
        )
        .select_from(Application)
        .join(Participant, Participant.id == Application.participant_id)
        .outerjoin(Enrolment, Enrolment.application_id == Application.id)
        .where(*_in_report(filters, zone), Application.status.in_(APPROVED_ONCE))
        .group_by(Application.scheme_id, Participant.person_id)
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
    index = case(*((column < bound, n) for n, bound in enumerate(bounds)), else_=len(firsts) - 1)
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
    sent, sent_before = _per_month(Application.submitted_at, period, filters, zone)
    approved, approved_before = _per_month(
        Application.decided_at,
        period,
        filters,
        zone,
        Application.status.in_(APPROVED_ONCE),
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
        self._associations: dict[int, str] | None = None

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

    def association(self, association_id: int | None) -> str:
        if self._associations is None:
            self._associations = dict(
                db.session.execute(select(Association.id, Association.name)).all()
            )
        return self._associations.get(association_id or 0, "")
