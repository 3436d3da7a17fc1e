"""What every life cycle shares: who acts, a status with its label, the shape of a transition
table, the one way a thing moves, and the refusal."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from flask_babel import LazyString

from portal.workflow.history import record_change

if TYPE_CHECKING:
    from portal.applications.models import Application


class Actor(enum.StrEnum):
    """Who takes an action: the family (no account), staff, a club, or the portal itself."""

    CITIZEN = "citizen"
    GUIDE = "guide"
    ADMIN = "admin"
    ASSOCIATION = "association"
    SYSTEM = "system"


STAFF = frozenset({Actor.GUIDE, Actor.ADMIN})


class Status(enum.StrEnum):
    """A status, stored as its value, with its translated label beside it:
    ``APPROVED = "approved", _lp("application status", "Approved")``."""

    label: LazyString

    # (``label`` has a default only so that a look-up, ``ApplicationStatus("paid")``, type-checks:
    # that goes through the enum's metaclass, never through here.)
    def __new__(cls, value: str, label: LazyString | None = None) -> Status:
        if label is None:
            raise TypeError(f"the status {value!r} needs its label")
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


S = TypeVar("S", bound=Status)
A = TypeVar("A", bound=enum.StrEnum)


class TransitionRefused(Exception):
    """The action is not in the table for this status, or this actor may not take it."""

    def __init__(
        self, subject: str, status: enum.StrEnum | None, action: enum.StrEnum, actor: Actor
    ) -> None:
        super().__init__(f"{actor} may not {action} a {subject} that is {status or 'new'}")
        self.subject, self.status, self.action, self.actor = subject, status, action, actor


@dataclass(frozen=True)
class Transition(Generic[S]):
    before: S | None
    after: S


@dataclass(frozen=True)
class Lifecycle(Generic[S, A]):
    """One life cycle: its statuses, actions and the table that joins them. A status of
    ``None`` in the table is "not there yet" (a payment that is being made)."""

    #: The word in the history's ``subject`` column: ``application``, ``enrolment``, ``payment``.
    subject: str
    statuses: type[S]
    actions: type[A]
    #: (status, action) → (next status, who may take the action).
    table: Mapping[tuple[S | None, A], tuple[S, frozenset[Actor]]]
    #: The application whose history records a move of the thing.
    owner: Callable[[Any], Application]

    def allowed(self, status: S | None, action: A, actor: Actor) -> bool:
        rule = self.table.get((status, action))
        return rule is not None and actor in rule[1]

    def next(self, status: S | None, action: A, actor: Actor) -> Transition[S]:
        """The move the table allows, or ``TransitionRefused``."""
        rule = self.table.get((status, action))
        if rule is None or actor not in rule[1]:
            raise TransitionRefused(self.subject, status, action, actor)
        return Transition(status, rule[0])

    def move(
        self,
        thing: Any,
        action: A,
        actor: Actor,
        *,
        actor_id: int | None = None,
        reason: str | None = None,
    ) -> Transition[S]:
        """Move ``thing`` by ``action`` and record who, when and why in its application's
        history — the only code that sets a status. Raises ``TransitionRefused`` when the table
        has no such move for this actor. The caller's transaction commits the change (and the
        outbox messages it queued with it)."""
        moved = self.next(thing.status, action, actor)
        thing.status = moved.after
        record_change(
            self.owner(thing), self.subject, action, moved.before, moved.after,
            actor=actor, actor_id=actor_id, reason=reason,
        )  # fmt: skip
        return moved

    def label(self, status: str) -> str:
        return str(self.statuses(status).label)
