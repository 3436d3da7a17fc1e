"""Every life cycle walked whole: for applications, enrolments and payments, every
(status, action, actor) is allowed or refused exactly as its table says, and every allowed move
is recorded in the history with who, when and why — by the one writer, ``record_change``."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

import portal.models  # noqa: F401  (every mapped class, so relationships resolve)
from portal.applications.models import Application
from portal.enrolments.models import Enrolment
from portal.schemes.models import Payment
from portal.workflow import (
    APPLICATION_TRANSITIONS,
    APPLICATIONS,
    ENROLMENTS,
    LIFECYCLES,
    PAYMENTS,
    WITHDRAWABLE,
    Action,
    Actor,
    ApplicationKind,
    ApplicationStatus,
    Lifecycle,
    TransitionRefused,
    move_enrolment,
    move_payment,
    transition,
)


def _application(status: Any) -> tuple[Application, Application]:
    application = Application(kind=ApplicationKind.LEISURE_PASS, status=status, history=[])
    return application, application


def _enrolment(status: Any) -> tuple[Enrolment, Application]:
    application = Application(kind=ApplicationKind.ACTIVITY_PLACE, history=[])
    return Enrolment(status=status, application=application), application


def _payment(status: Any) -> tuple[Payment, Application]:
    application = Application(kind=ApplicationKind.LEISURE_PASS, history=[])
    return Payment(status=status, application=application), application


#: Each life cycle: how to make a thing in a status (with the application whose history
#: records its moves), and the one function that moves it.
WALKS: dict[str, tuple[Callable[[Any], tuple[Any, Application]], Callable[..., Any]]] = {
    APPLICATIONS.subject: (_application, transition),
    ENROLMENTS.subject: (_enrolment, move_enrolment),
    PAYMENTS.subject: (_payment, move_payment),
}


def _cases() -> list[tuple[str, Any, Any, Actor]]:
    cases = []
    for subject, lifecycle in LIFECYCLES.items():
        # None: a payment not made yet (only payments start there, but every table is asked).
        statuses = (
            [None, *lifecycle.statuses] if subject == PAYMENTS.subject else list(lifecycle.statuses)
        )
        for status, action, actor in itertools.product(statuses, lifecycle.actions, Actor):
            cases.append((subject, status, action, actor))
    return cases


CASES = _cases()


def test_the_walk_covers_all_three_life_cycles() -> None:
    assert set(LIFECYCLES) == set(WALKS) == {"application", "enrolment", "payment"}
    # 9 statuses × 9 actions × 5 actors + 6 × 5 × 5 + 4 × 3 × 5
    assert len(CASES) == 405 + 150 + 60


@pytest.mark.parametrize(("subject", "status", "action", "actor"), CASES)
def test_every_status_action_and_actor(
    subject: str, status: Any, action: Any, actor: Actor
) -> None:
    lifecycle: Lifecycle[Any, Any] = LIFECYCLES[subject]
    make, move = WALKS[subject]
    thing, application = make(status)
    rule = lifecycle.table.get((status, action))
    if rule is not None and actor in rule[1]:
        assert lifecycle.allowed(status, action, actor)
        moved = move(thing, action, actor, actor_id=7, reason="because")
        assert (moved.before, moved.after) == (status, rule[0])
        assert thing.status is rule[0]
        [change] = application.history
        assert change.subject == subject
        assert (change.from_status, change.to_status, change.action) == (
            status.value if status is not None else None,
            rule[0].value,
            action.value,
        )
        assert (change.actor_id, change.actor_role, change.reason) == (7, actor.value, "because")
        assert change.created_at is not None
    else:
        assert not lifecycle.allowed(status, action, actor)
        with pytest.raises(TransitionRefused):
            move(thing, action, actor)
        assert thing.status is status and application.history == []


def test_every_status_has_a_label_in_every_language(app: Flask) -> None:
    from flask_babel import force_locale

    from portal.i18n import supported_locales

    with app.test_request_context("/"):
        for lifecycle in LIFECYCLES.values():
            for status in lifecycle.statuses:
                with force_locale("en"):
                    english = str(status.label)
                for locale in supported_locales():
                    with force_locale(locale):
                        text = lifecycle.label(status.value)
                    assert text.strip(), (status, locale)
                    assert locale == "en" or text != english, (status, locale)


def test_the_family_can_withdraw_only_before_a_decision() -> None:
    assert {
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.NEEDS_INFO,
    } == WITHDRAWABLE


def test_only_staff_decide_and_pay() -> None:
    for (_status, action), (_after, actors) in APPLICATION_TRANSITIONS.items():
        if action in (Action.APPROVE, Action.REJECT, Action.ASK_FOR_INFORMATION, Action.PAY):
            assert actors <= {Actor.GUIDE, Actor.ADMIN}
    for (_status, action), (_after, actors) in PAYMENTS.table.items():
        if action.value == "pay":
            assert actors <= {Actor.GUIDE, Actor.ADMIN}
        if action.value == "request":
            assert actors == {Actor.ASSOCIATION}


def test_a_family_never_moves_an_enrolment_or_a_payment() -> None:
    for lifecycle in (ENROLMENTS, PAYMENTS):
        for _key, (_after, actors) in lifecycle.table.items():
            assert Actor.CITIZEN not in actors
