"""Who an activity is for: its ages, its audience, and whether it has room."""

from __future__ import annotations

from datetime import date

from portal.applications.models import Gender
from portal.catalogue.models import Activity, Audience


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
