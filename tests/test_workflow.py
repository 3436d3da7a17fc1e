"""The status machine, walked whole: every (status, action, actor) is allowed or refused exactly
as the table says, and every allowed move is recorded with who, when and why."""

from __future__ import annotations

import itertools

import pytest

import portal.models  # noqa: F401  (every mapped class, so relationships resolve)
from portal.applications.models import Application
from portal.workflow import (
    APPLICATION_TRANSITIONS,
    WITHDRAWABLE,
    Action,
    Actor,
    ApplicationKind,
    ApplicationStatus,
    TransitionRefused,
    transition,
)

CASES = list(itertools.product(ApplicationStatus, Action, Actor))


@pytest.mark.parametrize(("status", "action", "actor"), CASES)
def test_every_status_action_and_actor(
    status: ApplicationStatus, action: Action, actor: Actor
) -> None:
    application = Application(kind=ApplicationKind.LEISURE_PASS, status=status, history=[])
    rule = APPLICATION_TRANSITIONS.get((status, action))
    if rule is not None and actor in rule[1]:
        moved = transition(application, action, actor, actor_id=7, reason="because")
        assert (moved.before, moved.after) == (status, rule[0])
        assert application.status is rule[0]
        [change] = application.history
        assert (change.from_status, change.to_status, change.action) == (
            status.value,
            rule[0].value,
            action.value,
        )
        assert (change.actor_id, change.actor_role, change.reason) == (7, actor.value, "because")
        assert change.created_at is not None
    else:
        with pytest.raises(TransitionRefused):
            transition(application, action, actor)
        assert application.status is status and application.history == []


def test_the_family_can_withdraw_only_before_a_decision() -> None:
    assert {
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.NEEDS_INFO,
    } == WITHDRAWABLE


def test_only_staff_decide() -> None:
    for (_status, action), (_after, actors) in APPLICATION_TRANSITIONS.items():
        if action in (Action.APPROVE, Action.REJECT, Action.ASK_FOR_INFORMATION, Action.PAY):
            assert actors <= {Actor.GUIDE, Actor.ADMIN}
