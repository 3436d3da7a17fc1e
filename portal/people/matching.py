"""Finding the same person among earlier applications, and the guides' merge and split.

With an earlier application's participant (the table in ``tests/people/test_matching.py``):

- the same CPR number: the same person (certain); a different CPR number: not the same;
- the same birth date and the same name once folded (:mod:`names`), and a shared phone or
  e-mail: the same person (certain);
- the same birth date and the same or a similar name, without a shared contact: possibly the
  same (a guide decides);
- the same birth date and a different name (twins), or another birth date: not the same.

A certain match links the new application to the person at once; a possible one is held for a
guide, and money cannot be approved until it is settled. Every decision can be changed: a merge
moves the participant (and all who were the same person with it) and their money to the other
person; a split moves the one participant back.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from portal.applications.models import Applicant, Application, Participant
from portal.audit import services as audit
from portal.audit.models import AuditAction
from portal.db import utcnow
from portal.extensions import db
from portal.people import names
from portal.people.models import MatchState, Person, PersonMatch
from portal.schemes import ledger


class Verdict(enum.StrEnum):
    CERTAIN = "certain"
    POSSIBLE = "possible"
    DIFFERENT = "different"


@dataclass(frozen=True)
class Someone:
    """What matching compares: the name in Latin letters, birth date, CPR hash, contact."""

    first: str
    last: str
    birth_on: date | None
    cpr_hash: str | None = None
    phone: str | None = None
    email: str | None = None

    @classmethod
    def of(cls, participant: Participant, applicant: Applicant | None) -> Someone:
        return cls(
            first=participant.latin_first_name or participant.first_name,
            last=participant.latin_last_name or participant.last_name,
            birth_on=participant.birth_on,
            cpr_hash=participant.cpr_hash,
            phone=applicant.phone if applicant else None,
            email=applicant.email if applicant else None,
        )

    def shares_contact(self, other: Someone) -> bool:
        return bool(
            (self.phone and self.phone == other.phone)
            or (self.email and other.email and self.email.casefold() == other.email.casefold())
        )


def compare(a: Someone, b: Someone) -> Verdict:
    """The table in this module's docstring."""
    if a.cpr_hash and b.cpr_hash:
        return Verdict.CERTAIN if a.cpr_hash == b.cpr_hash else Verdict.DIFFERENT
    if a.birth_on is None or a.birth_on != b.birth_on:
        return Verdict.DIFFERENT
    if names.same(a.first, a.last, b.first, b.last):
        return Verdict.CERTAIN if a.shares_contact(b) else Verdict.POSSIBLE
    if names.similar(a.first, a.last, b.first, b.last):
        return Verdict.POSSIBLE
    return Verdict.DIFFERENT


def _earlier(participant: Participant) -> list[tuple[Participant, Applicant | None]]:
    """Participants of sent applications with the same birth date or CPR hash (the birth-date
    index keeps this to a handful of rows)."""
    same = [Participant.birth_on == participant.birth_on]
    if participant.cpr_hash:
        same.append(Participant.cpr_hash == participant.cpr_hash)
    rows = db.session.execute(
        select(Participant, Applicant)
        .join(Application, Application.participant_id == Participant.id)
        .outerjoin(Applicant, Applicant.id == Application.applicant_id)
        .where(
            Participant.person_id.is_not(None),
            Participant.id != participant.id,
            or_(*same),
        )
        .order_by(Participant.id)
    ).all()
    return [(row[0], row[1]) for row in rows]


def link(application: Application) -> None:
    """On submission: the application's participant joins the person it certainly is, or
    becomes a new person; possible matches wait on the case for a guide. The applicant (the
    parent) is the person who applied before with the same phone or e-mail."""
    db.session.flush()  # the rows' own ids, to leave them out of the search
    if application.applicant is not None and application.applicant.person_id is None:
        _link_applicant(application.applicant)
    participant = application.participant
    if participant is None or participant.person_id is not None:
        return
    me = Someone.of(participant, application.applicant)
    certain: list[Participant] = []
    possible: list[Participant] = []
    for other, applicant in _earlier(participant):
        verdict = compare(me, Someone.of(other, applicant))
        if verdict is Verdict.CERTAIN:
            certain.append(other)
        elif verdict is Verdict.POSSIBLE:
            possible.append(other)
    now = utcnow()
    if certain:
        participant.person_id = certain[0].person_id
        db.session.add(
            PersonMatch(
                participant=participant,
                person_id=certain[0].person_id,
                matched=certain[0],
                certain=True,
                state=MatchState.SAME,
                decided_at=now,
            )
        )
    else:
        participant.person = Person()
    seen = {participant.person_id} if participant.person_id else set()
    for other in possible + certain[1:]:
        if other.person_id is None or other.person_id in seen:
            continue
        seen.add(other.person_id)
        db.session.add(
            PersonMatch(
                participant=participant,
                person_id=other.person_id,
                matched=other,
                certain=False,
                state=MatchState.OPEN,
            )
        )


def _link_applicant(applicant: Applicant) -> None:
    same = []
    if applicant.phone:
        same.append(Applicant.phone == applicant.phone)
    if applicant.email:
        same.append(func.lower(Applicant.email) == applicant.email.lower())
    earlier = (
        db.session.execute(
            select(Applicant.person_id)
            .where(Applicant.person_id.is_not(None), Applicant.id != applicant.id, or_(*same))
            .order_by(Applicant.id)
        )
        .scalars()
        .first()
        if same
        else None
    )
    if earlier is not None:
        applicant.person_id = earlier
    else:
        applicant.person = Person()


def unsettled(application: Application) -> bool:
    """Is a possible match waiting for a guide (money waits too)?"""
    if application.participant_id is None:
        return False
    return (
        db.session.execute(
            select(PersonMatch.id).where(
                PersonMatch.participant_id == application.participant_id,
                PersonMatch.state == MatchState.OPEN,
            )
        ).first()
        is not None
    )


def decide(match: PersonMatch, same: bool, *, by: int, application: Application) -> None:
    """A guide says whether the match is the same person (the caller commits).

    The same: the participant's person, with everyone who was that person, becomes the matched
    person, and their money counts there (:func:`ledger.move_participant`). Not the same, after
    being the same: the participant goes back to its own person (a new one if it never had one).
    """
    participant = match.participant
    if same and match.state is not MatchState.SAME:
        previous = participant.person_id
        if previous is not None and previous != match.person_id:
            _merge(previous, match.person_id, by)
        match.previous_person_id = previous
    elif not same and match.state is MatchState.SAME:
        target = match.previous_person_id
        if target is None:
            person = Person()
            db.session.add(person)
            db.session.flush()
            target = person.id
        ledger.move_participant(participant.id, match.person_id, target)
        participant.person_id = target
    match.state = MatchState.SAME if same else MatchState.NOT_SAME
    match.decided_by_id, match.decided_at = by, utcnow()
    # The case changed: a guide deciding on it at this moment gets "changed meanwhile".
    application.updated_at = utcnow()
    audit.note(
        by,
        AuditAction.CHANGE,
        "same person" if same else "not the same person",
        application=application,
        details=f"person {match.person_id}",
    )


def _merge(from_person_id: int, to_person_id: int, by: int) -> None:
    """Everyone who was ``from_person_id`` becomes ``to_person_id``, with their money; their
    open questions "the same as ``to_person_id``?" are answered by this merge."""
    moving = list(
        db.session.execute(
            select(Participant).where(Participant.person_id == from_person_id)
        ).scalars()
    )
    for participant in moving:
        ledger.move_participant(participant.id, from_person_id, to_person_id)
        participant.person_id = to_person_id
    answered = db.session.execute(
        select(PersonMatch).where(
            PersonMatch.participant_id.in_([p.id for p in moving]),
            PersonMatch.person_id == to_person_id,
            PersonMatch.state == MatchState.OPEN,
        )
    ).scalars()
    for match in answered:
        match.state, match.previous_person_id = MatchState.SAME, from_person_id
        match.decided_by_id, match.decided_at = by, utcnow()


def add_cpr(
    participant: Participant, cpr_hash: str, birth_part: str, *, by: int, application: Application
) -> None:
    """A guide has seen the health card: keep the number's hash, and if an earlier application
    has the same number, it is the same person (merged now, recorded as the guide's)."""
    participant.cpr_hash, participant.cpr_birth = cpr_hash, birth_part
    others = (
        db.session.execute(
            select(Participant)
            .where(
                Participant.cpr_hash == cpr_hash,
                Participant.id != participant.id,
                Participant.person_id.is_not(None),
                Participant.person_id != participant.person_id,
            )
            .order_by(Participant.id)
        )
        .scalars()
        .first()
    )
    audit.note(by, AuditAction.CHANGE, "CPR number entered", application=application)
    if others is None or others.person_id is None:
        return
    match = db.session.execute(
        select(PersonMatch).where(
            PersonMatch.participant_id == participant.id,
            PersonMatch.person_id == others.person_id,
        )
    ).scalar_one_or_none()
    if match is None:
        match = PersonMatch(
            participant=participant,
            person_id=others.person_id,
            matched=others,
            certain=True,
            state=MatchState.OPEN,
        )
        db.session.add(match)
    match.certain = True
    decide(match, True, by=by, application=application)
