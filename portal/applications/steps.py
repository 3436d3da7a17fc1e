"""The questions of the application, in order, and which ones a given application needs.

The three kinds share one flow; a question is asked only when the decision needs it (gender only
for an activity that is for girls, boys, women or men; the waiting list only when it is full).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from portal.applications import forms
from portal.applications.models import Application, Gender
from portal.catalogue.models import Activity, Audience
from portal.workflow import ApplicationKind

_ALL = frozenset(ApplicationKind)
_PLACES = frozenset({ApplicationKind.LEISURE_PASS, ApplicationKind.ACTIVITY_PLACE})
_EQUIPMENT = frozenset({ApplicationKind.EQUIPMENT})


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def age_fits(activity: Activity, born: date, today: date | None = None) -> bool:
    age = age_on(born, today or date.today())
    return activity.min_age <= age <= activity.max_age


#: Which genders an activity's audience welcomes (``None``: everyone).
AUDIENCE_GENDERS: dict[Audience, frozenset[Gender] | None] = {
    Audience.ANYONE: None,
    Audience.GIRLS: frozenset({Gender.FEMALE}),
    Audience.WOMEN: frozenset({Gender.FEMALE}),
    Audience.BOYS: frozenset({Gender.MALE}),
    Audience.MEN: frozenset({Gender.MALE}),
}


def gender_fits(activity: Activity, gender: Gender) -> bool:
    allowed = AUDIENCE_GENDERS[activity.audience]
    return allowed is None or gender in allowed


def activity_is_full(activity: Activity) -> bool:
    return activity.free_places <= 0 or not activity.is_open


def _has_activity(application: Application) -> bool:
    return application.activity is not None or bool(application.other_club_name)


def _for_restricted_activity(application: Application) -> bool:
    activity = application.activity
    return activity is not None and activity.audience is not Audience.ANYONE


def _for_full_activity(application: Application) -> bool:
    return application.activity is not None and activity_is_full(application.activity)


def _participant(application: Application) -> bool:
    return application.participant is not None and bool(application.participant.first_name)


def _birth_date(application: Application) -> bool:
    """Answered, and either the age fits the activity or the family chose to ask anyway
    (after a change of activity the question is asked again)."""
    participant, activity = application.participant, application.activity
    if participant is None or participant.birth_on is None:
        return False
    return activity is None or application.age_exception or age_fits(activity, participant.birth_on)


def _gender(application: Application) -> bool:
    participant, activity = application.participant, application.activity
    if participant is None or participant.gender is None:
        return False
    return (
        activity is None
        or application.gender_exception
        or gender_fits(activity, participant.gender)
    )


def _contact(application: Application) -> bool:
    applicant = application.applicant
    return applicant is not None and bool(applicant.phone or applicant.email)


def _receipts(application: Application) -> bool:
    """A refund needs a photo of the receipt; for help to buy, a photo of the price is welcome
    but not needed (answered once the family has been past the page)."""
    if application.already_paid:
        return bool(application.uploads)
    return _reached(application, "receipts")


def _reached(application: Application, name: str) -> bool:
    order = [step.name for step in STEPS]
    if application.current_step not in order:
        return False
    return order.index(application.current_step) >= order.index(name)


@dataclass(frozen=True)
class Step:
    #: The URL part and the name the check-answers page links to.
    name: str
    form: type[forms.StepForm]
    kinds: frozenset[ApplicationKind]
    #: Does this application need the question at all?
    needed: Callable[[Application], bool] = lambda application: True
    #: Is it answered? (``None``: answered once the family has been past it.)
    answered: Callable[[Application], bool] | None = None
    #: The page; a question with more than one form on it (a list to add to) has its own.
    template: str = "applications/question.html"


STEPS: tuple[Step, ...] = (
    Step("activity", forms.ActivityChoiceForm, _PLACES, answered=_has_activity),
    Step("eligibility", forms.EligibilityForm, _EQUIPMENT),
    Step("participant", forms.ParticipantForm, _ALL, answered=_participant),
    Step("birth-date", forms.BirthDateForm, _ALL, answered=_birth_date),
    Step("gender", forms.GenderForm, _PLACES, _for_restricted_activity, _gender),
    Step(
        "waiting-list",
        forms.WaitingListForm,
        _PLACES,
        _for_full_activity,
        lambda application: application.waiting_list_ok,
    ),
    Step(
        "items",
        forms.ItemsForm,
        _EQUIPMENT,
        answered=lambda application: bool(application.items),
        template="applications/items.html",
    ),
    Step(
        "paid",
        forms.PaidForm,
        _EQUIPMENT,
        answered=lambda application: application.already_paid is not None,
    ),
    Step(
        "receipts",
        forms.ReceiptsForm,
        _EQUIPMENT,
        answered=_receipts,
        template="applications/receipts.html",
    ),
    Step(
        "relation",
        forms.RelationForm,
        _ALL,
        answered=lambda application: application.relation is not None,
    ),
    Step("contact", forms.ContactForm, _ALL, answered=_contact),
    Step(
        "postcode",
        forms.PostcodeForm,
        _ALL,
        answered=lambda application: bool(application.household.postcode),
    ),
    Step("message", forms.MessageForm, _ALL),
)

BY_NAME = {step.name: step for step in STEPS}


def steps_for(application: Application) -> list[Step]:
    """The questions this application asks, in order."""
    return [step for step in STEPS if application.kind in step.kinds and step.needed(application)]


def is_answered(application: Application, step: Step) -> bool:
    if step.answered is not None:
        return step.answered(application)
    return _reached(application, step.name)


def first_unanswered(application: Application) -> Step | None:
    for step in steps_for(application):
        if not is_answered(application, step):
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
        if not is_answered(application, step):
            return step
    return first_unanswered(application)


def step_before(application: Application, name: str) -> Step | None:
    steps = steps_for(application)
    names = [step.name for step in steps]
    if name not in names or names.index(name) == 0:
        return None
    return steps[names.index(name) - 1]
