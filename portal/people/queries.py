"""What the case and the queue show about people: the person's applications this year, the
matches waiting for a guide, and who is over a cap after a merge."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.applications.models import Application, Participant
from portal.db import utcnow
from portal.extensions import db
from portal.people.models import MatchState, PersonMatch
from portal.schemes import ledger
from portal.workflow import ApplicationStatus


def _this_year() -> datetime:
    return datetime(utcnow().year, 1, 1, tzinfo=UTC)


def applications_of(person_id: int | None) -> list[Application]:
    """Every sent application of the person this year, oldest first."""
    if person_id is None:
        return []
    return list(
        db.session.execute(
            select(Application)
            .join(Participant, Participant.id == Application.participant_id)
            .where(
                Participant.person_id == person_id,
                Application.status != ApplicationStatus.DRAFT,
                Application.submitted_at >= _this_year(),
            )
            .options(joinedload(Application.participant))
            .order_by(Application.submitted_at, Application.id)
        ).scalars()
    )


def matches(application: Application) -> list[PersonMatch]:
    """The application's matches with people known before, with the earlier application each
    was found in."""
    if application.participant_id is None:
        return []
    return list(
        db.session.execute(
            select(PersonMatch)
            .where(PersonMatch.participant_id == application.participant_id)
            .options(joinedload(PersonMatch.matched))
            .order_by(PersonMatch.id)
        ).scalars()
    )


def application_of(participant: Participant) -> Application | None:
    return db.session.execute(
        select(Application).where(Application.participant_id == participant.id)
    ).scalar_one_or_none()


class Flag:
    """What the queue marks on a row."""

    POSSIBLE_MATCH = "possible_match"
    OVER_CAP = "over_cap"


def flags(rows: Iterable[Application]) -> dict[int, set[str]]:
    """For a page of the queue: which rows wait for "same person?" and whose person is over a
    cap (two queries for the page, not two per row)."""
    rows = list(rows)
    by_participant = {a.participant_id: a.id for a in rows if a.participant_id is not None}
    found: dict[int, set[str]] = {}
    if not by_participant:
        return found
    waiting = db.session.execute(
        select(PersonMatch.participant_id).where(
            PersonMatch.participant_id.in_(by_participant), PersonMatch.state == MatchState.OPEN
        )
    ).scalars()
    for participant_id in waiting:
        found.setdefault(by_participant[participant_id], set()).add(Flag.POSSIBLE_MATCH)
    by_person: dict[int, list[int]] = {}
    for application in rows:
        if application.participant is not None and application.participant.person_id is not None:
            by_person.setdefault(application.participant.person_id, []).append(application.id)
    for over in ledger.over_cap(set(by_person)):
        for application_id in by_person[over.person_id]:
            found.setdefault(application_id, set()).add(Flag.OVER_CAP)
    return found
