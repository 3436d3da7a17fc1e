"""A small, hand-made year whose every figure is known (the numbers the report tests assert).

2025, Europe/Copenhagen. Two schemes with pools for 2025; two clubs, cricket and football.

- 9 girls born 2014-03-01 (11), Arabic, postcode 7100, cricket (1,000 kr), sent 3 March:
  4 approved, paid, started 7 days after (3 still coming at the season's end, 1 not);
  1 approved, the club declined, the money returned (closed); 1 approved, the club has not
  answered; 1 declined ("no money"); 1 withdrew; 1 waits for a decision.
- 7 boys born 2016-05-01 (9), Danish, 7120, football (500 kr), 1 April: 5 approved (2 paid,
  started 14 days after, not marked; the club has not answered for 3); 2 declined ("not
  resident").
- 2 older girls born 2011-02-01 (14), Somali, 7100, football (500 kr), 2 April: approved,
  started 21 days after, still coming.
- A woman born 1990 (35), English, 7130, equipment 200 kr, 5 May: approved, not paid.
- The first girl again: equipment 300 kr, 5 May: approved, paid.

Decisions: cricket 2 days after sending, the boys 4 days, the older girls 10 days, equipment
1 day. The year before: 3 approved cricket applications in March 2024 (no money: 2024 has no
pool). Not counted anywhere: a draft in 2025, an application sent in January 2026.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from portal.applications.models import (
    Applicant,
    Application,
    Gender,
    Household,
    Participant,
    ReasonKind,
    ReasonTemplate,
    ReasonTemplateTranslation,
)
from portal.enrolments.models import Enrolment
from portal.extensions import db
from portal.people.models import Person
from portal.schemes import ledger
from portal.schemes.models import Scheme, SchemeKind, SchemeTranslation, SchemeYear
from portal.workflow import ApplicationKind, ApplicationStatus, EnrolmentStatus
from tests.factories import make_activity, make_association

S = ApplicationStatus
E = EnrolmentStatus
ZONE = ZoneInfo("Europe/Copenhagen")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ZONE).astimezone(UTC)


@dataclass
class World:
    leisure_id: int
    equipment_id: int
    cricket_id: int
    football_id: int
    cricket_club_id: int
    football_club_id: int


def _scheme(kind: SchemeKind, prefix: str, name: str, pool: int, target: int, goal: str) -> Scheme:
    scheme = Scheme(code=prefix.lower(), kind=kind, reference_prefix=prefix)
    scheme.translations = [
        SchemeTranslation(locale="da", name=name, description=name, success_criterion=goal),
        SchemeTranslation(locale="ar", name=f"{name} (ar)", description=name),
        SchemeTranslation(locale="en", name=f"{name} (en)", description=name),
    ]
    scheme.years = [
        SchemeYear(year=2025, pool_kr=pool, cap_per_person_kr=5_000, target_people=target)
    ]
    db.session.add(scheme)
    return scheme


def _reason(code: str, text: str) -> ReasonTemplate:
    reason = ReasonTemplate(code=code, kind=ReasonKind.DECLINE_APPLICATION)
    reason.translations = [
        ReasonTemplateTranslation(locale=loc, text=f"{text} ({loc})") for loc in ("da", "ar", "en")
    ]
    db.session.add(reason)
    return reason


_numbers = iter(range(1, 10_000))


def _application(
    scheme: Scheme,
    *,
    person: Person | None = None,
    household: Household | None = None,
    activity_id: int | None,
    born: date,
    gender: Gender,
    locale: str,
    postcode: str,
    sent: datetime | None,
    status: ApplicationStatus,
) -> Application:
    n = next(_numbers)
    household = household or Household(postcode=postcode)
    application = Application(
        kind=ApplicationKind.LEISURE_PASS
        if scheme.kind is SchemeKind.LEISURE_PASS
        else ApplicationKind.EQUIPMENT,
        status=status,
        reference=f"RP-{n:04d}" if status is not S.DRAFT else None,
        scheme=scheme,
        household=household,
        activity_id=activity_id,
        participant=Participant(
            household=household,
            first_name=f"Barn{n}",
            last_name="Test",
            birth_on=born,
            gender=gender,
            person=person or Person(),
        ),
        applicant=Applicant(household=household, phone=f"+4520{n:06d}", preferred_locale=locale),
        submitted_at=sent,
    )
    db.session.add(application)
    db.session.flush()
    return application


def _decide(
    application: Application,
    days: int,
    amount: int | None = None,
    reason: ReasonTemplate | None = None,
) -> None:
    assert application.submitted_at is not None
    application.decided_at = application.submitted_at + timedelta(days=days)
    if reason is not None:
        application.decision_reason_id = reason.id
    if amount is not None:
        application.amount_approved_kr = amount
        assert ledger.reserve(application, amount, by=None) is None


def _enrol(
    application: Application,
    status: EnrolmentStatus,
    *,
    start_after: int | None = None,
    still_coming: bool | None = None,
) -> None:
    assert application.activity_id is not None and application.decided_at is not None
    start = None
    if start_after is not None:
        start = (application.decided_at + timedelta(days=start_after)).astimezone(ZONE).date()
    db.session.add(
        Enrolment(
            application=application,
            activity_id=application.activity_id,
            status=status,
            start_on=start,
            active_at_season_end=still_coming,
        )
    )


def build() -> World:
    """The year above, committed. Call inside an app context."""
    leisure = _scheme(
        SchemeKind.LEISURE_PASS, "FP", "Fritidspas", 100_000, 20, "20 børn får et fritidspas"
    )
    equipment = _scheme(SchemeKind.EQUIPMENT, "UD", "Udstyr", 10_000, 5, "5 får udstyr")
    no_money = _reason("test-no-money", "Ingen penge")
    not_resident = _reason("test-not-resident", "Bor ikke i kommunen")
    cricket_club = make_association(name="Vejle Cricket Klub")
    football_club = make_association(name="Boldklubben")
    cricket = make_activity(
        {"da": "Pigecricket", "ar": "كريكيت", "en": "Girls' cricket"}, association=cricket_club
    )
    football = make_activity(
        {"da": "Fodbold", "ar": "كرة القدم", "en": "Football"}, association=football_club
    )
    db.session.flush()

    # The girls' cricket: 9 girls, 3 March 2025.
    girls = [
        _application(
            leisure,
            activity_id=cricket.id,
            born=date(2014, 3, 1),
            gender=Gender.FEMALE,
            locale="ar",
            postcode="7100",
            sent=at(date(2025, 3, 3)),
            status=S.APPROVED,
        )
        for _ in range(9)
    ]
    for girl in girls[:6]:
        _decide(girl, 2, 1_000)
    for girl in girls[:4]:
        ledger.pay(girl, 1_000, by=None)
        girl.status = S.PAID
    for n, girl in enumerate(girls[:4]):
        _enrol(girl, E.CONFIRMED if n < 3 else E.STOPPED, start_after=7, still_coming=n < 3)
    ledger.release(girls[4], by=None)
    girls[4].status = S.CLOSED
    _enrol(girls[4], E.DECLINED)
    _enrol(girls[5], E.PENDING)
    girls[6].status = S.REJECTED
    _decide(girls[6], 2, reason=no_money)
    girls[7].status = S.WITHDRAWN
    girls[8].status = S.SUBMITTED

    # The boys' football: 7 boys, 1 April 2025.
    boys = [
        _application(
            leisure,
            activity_id=football.id,
            born=date(2016, 5, 1),
            gender=Gender.MALE,
            locale="da",
            postcode="7120",
            sent=at(date(2025, 4, 1)),
            status=S.APPROVED,
        )
        for _ in range(7)
    ]
    for boy in boys[:5]:
        _decide(boy, 4, 500)
    for boy in boys[:2]:
        ledger.pay(boy, 500, by=None)
        boy.status = S.PAID
        _enrol(boy, E.CONFIRMED, start_after=14)
    for boy in boys[2:5]:
        _enrol(boy, E.PENDING)
    for boy in boys[5:]:
        boy.status = S.REJECTED
        _decide(boy, 4, reason=not_resident)

    # Two older girls at football, 2 April 2025.
    for _ in range(2):
        older = _application(
            leisure,
            activity_id=football.id,
            born=date(2011, 2, 1),
            gender=Gender.FEMALE,
            locale="so",
            postcode="7100",
            sent=at(date(2025, 4, 2)),
            status=S.APPROVED,
        )
        _decide(older, 10, 500)
        _enrol(older, E.CONFIRMED, start_after=21, still_coming=True)

    # Equipment, 5 May 2025: a woman (not paid), and the first girl again (paid).
    woman = _application(
        equipment,
        activity_id=None,
        born=date(1990, 1, 1),
        gender=Gender.FEMALE,
        locale="en",
        postcode="7130",
        sent=at(date(2025, 5, 5)),
        status=S.APPROVED,
    )
    _decide(woman, 1, 200)
    first = girls[0].participant
    assert first is not None
    again = _application(
        equipment,
        person=first.person,
        household=girls[0].household,
        activity_id=None,
        born=date(2014, 3, 1),
        gender=Gender.FEMALE,
        locale="ar",
        postcode="7100",
        sent=at(date(2025, 5, 5), 11),
        status=S.PAID,
    )
    _decide(again, 1, 300)
    ledger.pay(again, 300, by=None)

    # The year before (no pool that year: no money), a draft, and next year.
    for _ in range(3):
        before = _application(
            leisure,
            activity_id=cricket.id,
            born=date(2014, 3, 1),
            gender=Gender.FEMALE,
            locale="ar",
            postcode="7100",
            sent=at(date(2024, 3, 4)),
            status=S.APPROVED,
        )
        _decide(before, 2)
    _application(
        leisure,
        activity_id=cricket.id,
        born=date(2014, 3, 1),
        gender=Gender.FEMALE,
        locale="ar",
        postcode="7100",
        sent=None,
        status=S.DRAFT,
    )
    _application(
        leisure,
        activity_id=cricket.id,
        born=date(2014, 3, 1),
        gender=Gender.FEMALE,
        locale="ar",
        postcode="7100",
        sent=at(date(2026, 1, 5)),
        status=S.SUBMITTED,
    )
    db.session.commit()
    return World(
        leisure.id, equipment.id, cricket.id, football.id, cricket_club.id, football_club.id
    )
