"""What every life cycle shares: who acts, the shape of a transition table, and the refusal."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from flask_babel import LazyString


class Actor(enum.StrEnum):
    """Who takes an action: the family (no account), staff, a club, or the portal itself."""

    CITIZEN = "citizen"
    GUIDE = "guide"
    ADMIN = "admin"
    ASSOCIATION = "association"
    SYSTEM = "system"


STAFF = frozenset({Actor.GUIDE, Actor.ADMIN})

S = TypeVar("S", bound=enum.StrEnum)
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
    """One life cycle: its statuses, actions and the table that joins them.

    A status of ``None`` in the table is "not there yet" (a payment that is being made).
    """

    #: The word in the history's ``subject`` column: ``application``, ``enrolment``, ``payment``.
    subject: str
    statuses: type[S]
    actions: type[A]
    #: (status, action) → (next status, who may take the action).
    table: Mapping[tuple[S | None, A], tuple[S, frozenset[Actor]]]
    labels: Mapping[S, LazyString]

    def allowed(self, status: S | None, action: A, actor: Actor) -> bool:
        rule = self.table.get((status, action))
        return rule is not None and actor in rule[1]

    def next(self, status: S | None, action: A, actor: Actor) -> Transition[S]:
        """The move the table allows, or ``TransitionRefused``."""
        rule = self.table.get((status, action))
        if rule is None or actor not in rule[1]:
            raise TransitionRefused(self.subject, status, action, actor)
        return Transition(status, rule[0])

    def label(self, status: str) -> str:
        return str(self.labels[self.statuses(status)])
