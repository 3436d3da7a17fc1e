"""Many applications at once, for measuring the guides' pages at a municipality's scale
(``flask generate-applications 100000``). Rows go in with bulk inserts, a batch at a time."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, insert, select

from portal.applications.models import Applicant, Application, Household, Participant
from portal.applications.services import SCHEME_FOR_KIND
from portal.catalogue.models import Activity
from portal.db import new_token, utcnow
from portal.extensions import db
from portal.people.models import Person
from portal.schemes.models import Scheme
from portal.workflow import ApplicationKind, ApplicationStatus

T = TypeVar("T")
Row = dict[str, Any]

FIRST_NAMES = [
    "Amira",
    "Sara",
    "Yusuf",
    "Omar",
    "Ali",
    "Freja",
    "Noah",
    "Layla",
    "Emil",
    "Zainab",
    "Ida",
    "Hassan",
    "Mads",
    "Fatima",
]
LAST_NAMES = [
    "Haddad",
    "Nielsen",
    "Ahmadi",
    "Hassan",
    "Jensen",
    "Hansen",
    "Rahimi",
    "Pedersen",
    "Karimi",
    "Andersen",
]
#: Most applications are long decided; a few thousand wait, as in a busy real queue.
STATUSES = [
    (ApplicationStatus.CLOSED, 50),
    (ApplicationStatus.PAID, 20),
    (ApplicationStatus.APPROVED, 10),
    (ApplicationStatus.REJECTED, 10),
    (ApplicationStatus.WITHDRAWN, 5),
    (ApplicationStatus.NEEDS_INFO, 2),
    (ApplicationStatus.SUBMITTED, 3),
]
WAITING = (ApplicationStatus.SUBMITTED, ApplicationStatus.NEEDS_INFO)
LOCALES = [("da", 50), ("ar", 30), ("en", 20)]
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
MODELS = (Person, Household, Participant, Applicant, Application)


def _weighted(choices: Sequence[tuple[T, int]], rng: random.Random) -> T:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _reference(prefix: str, n: int) -> str:
    """``GN-XXXX-XX`` from a counter: unique, and in the portal's alphabet."""
    digits = []
    for _ in range(6):
        n, rest = divmod(n, len(ALPHABET))
        digits.append(ALPHABET[rest])
    code = "".join(reversed(digits))
    return f"{prefix}-{code[:4]}-{code[4:]}"


def _next_id(model: Any) -> int:
    return int(db.session.execute(select(func.coalesce(func.max(model.id), 0))).scalar_one()) + 1


def generate(
    count: int, *, batch: int = 5_000, seed: int = 2026, progress: Callable[[int], Any] = print
) -> None:
    """Add ``count`` sent applications (one person, household, participant and applicant
    each), spread over the last two years, across the catalogue's activities and the schemes."""
    rng = random.Random(seed)  # noqa: S311 - test data, not secrets
    activities = [tuple(row) for row in db.session.execute(select(Activity.id, Activity.scheme_id))]
    schemes = {
        kind: scheme_id for scheme_id, kind in db.session.execute(select(Scheme.id, Scheme.kind))
    }
    if not activities or not schemes:
        raise LookupError("load the demo data first (flask seed-demo)")
    first_id = {model: _next_id(model) for model in MODELS}
    now = utcnow()
    for start in range(0, count, batch):
        numbers = range(start, min(start + batch, count))
        rows = [_rows(n, first_id, rng, activities, schemes, now) for n in numbers]
        for model, values in zip(MODELS, zip(*rows, strict=True), strict=True):
            db.session.execute(insert(model), list(values))
        db.session.commit()
        progress(len(rows))


def _rows(
    n: int,
    first_id: dict[Any, int],
    rng: random.Random,
    activities: list[tuple[Any, ...]],
    schemes: dict[Any, int],
    now: datetime,
) -> tuple[Row, Row, Row, Row, Row]:
    """The n-th generated family: the child as a person, household, participant, applicant and
    application."""
    person_id, household_id, participant_id, applicant_id, application_id = (
        first_id[model] + n for model in MODELS
    )
    status = _weighted(STATUSES, rng)
    days = rng.randint(0, 40) if status in WAITING else rng.randint(0, 730)
    sent = now - timedelta(days=days, minutes=rng.randint(0, 1439))
    household, participant, applicant = _family(
        (household_id, participant_id, applicant_id), application_id, rng, sent
    )
    participant["person_id"] = person_id
    activity_id, scheme_id = rng.choice(activities)
    kind = ApplicationKind.ACTIVITY_PLACE if scheme_id else ApplicationKind.LEISURE_PASS
    application = {
        "id": application_id,
        "reference": _reference("GN", application_id),
        "kind": kind,
        "scheme_id": scheme_id or schemes[SCHEME_FOR_KIND[kind]],
        "activity_id": activity_id,
        "household_id": household_id,
        "applicant_id": applicant_id,
        "participant_id": participant_id,
        **_application_state(status, sent),
    }
    return {"id": person_id, "created_at": sent}, household, participant, applicant, application


def _family(
    ids: tuple[int, int, int], application_id: int, rng: random.Random, sent: datetime
) -> tuple[Row, Row, Row]:
    """A generated household, its child and its parent."""
    household_id, participant_id, applicant_id = ids
    stamps = {"created_at": sent, "updated_at": sent}
    household = {"id": household_id, "token": new_token(), "postcode": "7100", **stamps}
    participant = {
        "id": participant_id,
        "household_id": household_id,
        "first_name": rng.choice(FIRST_NAMES),
        "last_name": rng.choice(LAST_NAMES),
        "birth_on": date(2008, 1, 1) + timedelta(days=rng.randint(0, 365 * 12)),
        **stamps,
    }
    applicant = {
        "id": applicant_id,
        "household_id": household_id,
        "phone": f"+452{rng.randint(0, 9_999_999):07d}",
        "email": f"familie{application_id}@example.org",
        "preferred_locale": _weighted(LOCALES, rng),
        **stamps,
    }
    return household, participant, applicant


def _application_state(status: ApplicationStatus, sent: datetime) -> Row:
    """The columns every generated application has, for its status and the time it was sent."""
    return {
        "token": new_token(),
        "status": status,
        "submitted_at": sent,
        "decided_at": None if status in WAITING else sent,
        "question_from_guide": "Hvilket hold?" if status is ApplicationStatus.NEEDS_INFO else None,
        "current_step": "message",
        "version": 1,
        "age_exception": False,
        "gender_exception": False,
        "waiting_list_ok": False,
        "created_at": sent,
        "updated_at": sent,
    }
