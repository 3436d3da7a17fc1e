"""The flow over the questions: which ones an application asks, which comes next, how far the
family has come, and the "check your answers" list. The questions themselves, each describing
itself, are in :mod:`portal.applications.questions`."""

from __future__ import annotations

from dataclasses import dataclass

from portal.applications.models import Application
from portal.applications.queries import Answer
from portal.applications.questions import QUESTIONS, Question

#: A question is a step of the flow.
Step = type[Question]

STEPS: tuple[Step, ...] = QUESTIONS
BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}
_ORDER = [step.name for step in STEPS]


def reached(application: Application, name: str) -> bool:
    """The family has been past question ``name`` (the last one it completed is as far)."""
    if application.current_step not in _ORDER:
        return False
    return _ORDER.index(application.current_step) >= _ORDER.index(name)


def later(name: str, than: str | None) -> bool:
    """Question ``name`` comes after ``than`` (``None``: no question yet)."""
    return than is None or _ORDER.index(name) > _ORDER.index(than)


def steps_for(application: Application) -> list[Step]:
    """The questions this application asks, in order."""
    return [step for step in STEPS if application.kind in step.kinds and step.needed(application)]


def is_answered(application: Application, step: Step) -> bool:
    return step.answered(application)


def first_unanswered(application: Application) -> Step | None:
    for step in steps_for(application):
        if not step.answered(application):
            return step
    return None


def step_after(application: Application, name: str) -> Step | None:
    """The next unanswered question after ``name`` (``None``: go to "check your answers").

    Questions answered before (a second child of the same family, or a family going back to
    look) are not asked again; "check your answers" shows them with a link to change each.
    """
    steps = steps_for(application)
    names = [step.name for step in steps]
    if name not in names:
        return first_unanswered(application)
    for step in steps[names.index(name) + 1 :]:
        if not step.answered(application):
            return step
    return first_unanswered(application)


def step_before(application: Application, name: str) -> Step | None:
    steps = steps_for(application)
    names = [step.name for step in steps]
    if name not in names or names.index(name) == 0:
        return None
    return steps[names.index(name) - 1]


@dataclass(frozen=True)
class Progress:
    number: int
    total: int


def progress(application: Application, step: Step) -> Progress:
    """Where ``step`` is among the questions the family answers: those answered before it saw
    any (the activity chosen in the catalogue) are not counted, unless it is back on one."""
    given = set((application.answered_at_start or "").split(","))
    asked = [s for s in steps_for(application) if s.name not in given or s is step]
    return Progress(asked.index(step) + 1, len(asked))


def answers(application: Application) -> list[Answer]:
    """The check-your-answers list (also on the consent page and the case): one row per
    question asked, in the order asked."""
    rows = (step.answer(application) for step in steps_for(application))
    return [row for row in rows if row is not None]
