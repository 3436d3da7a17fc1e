"""A question describes itself: one class in ``portal/applications/questions.py`` and one
template. Each is asked by at least one kind of application, has its own page template, a
heading in every language, and a row on "check your answers" once answered."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale

from portal.applications.questions import QUESTIONS, Question
from portal.applications.steps import BY_NAME
from portal.i18n import supported_locales

TEMPLATES = Path(__file__).parents[2] / "portal" / "templates"


def test_every_question_has_one_name_and_a_place_in_the_flow() -> None:
    names = [question.name for question in QUESTIONS]
    assert len(names) == len(set(names)) == len(BY_NAME)
    for question in QUESTIONS:
        assert question.kinds, question.name


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.name)
def test_every_question_has_its_template(question: type[Question]) -> None:
    if question.template == Question.template:
        assert (TEMPLATES / "applications" / "questions" / f"_{question.name}.html").is_file()
    else:
        assert (TEMPLATES / question.template).is_file()
    if question.fragment is not None:
        assert (TEMPLATES / question.fragment).is_file()


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.name)
def test_every_heading_is_translated(app: Flask, question: type[Question]) -> None:
    """Asked in every language: the heading is there, and is not the English one."""
    with app.test_request_context("/"):
        with force_locale("en"):
            english = str(question.question)
        for locale in supported_locales():
            with force_locale(locale):
                text = str(question.question)
            assert text.strip(), (question.name, locale)
            assert locale == "en" or text != english, (question.name, locale)
