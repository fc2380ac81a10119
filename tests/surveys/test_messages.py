"""Every problem code has an English message and a real French translation."""

import string

import pytest

from surveys.messages import LOCATION_CELL, MESSAGES, gettext_for, render
from surveys.problems import Problem


def fields_of(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_every_code_has_a_french_translation_that_formats(code):
    english = MESSAGES[code]
    french = gettext_for("fr")(english)
    assert french != english
    assert fields_of(french) == fields_of(english)
    params = {name: f"<{name}>" for name in fields_of(english)}
    problem = Problem(code, "somewhere", **params)
    assert render(problem, "fr")
    assert render(problem, "en")


def test_french_uses_french_typography():
    assert "«\u00a0" in gettext_for("fr")(MESSAGES["Q_UNKNOWN_TYPE"])


def test_xlsform_problem_says_sheet_row_and_column_in_both_languages():
    problem = Problem(
        "X_UNKNOWN_TYPE", "survey row 7, column type", sheet="survey", row=7, column="type",
        type="selct_one",
    )  # fmt: skip
    assert render(problem, "en") == (
        "Sheet “survey”, row 7, column “type”: “selct_one” is not an XLSForm question type."
    )
    french = render(problem, "fr")
    assert "ligne 7" in french and "colonne" in french and "selct_one" in french
    assert gettext_for("fr")(LOCATION_CELL) != LOCATION_CELL


def test_question_problems_are_prefixed_unless_shown_beside_their_field():
    problem = Problem("A_REQUIRED", "age", question="age")
    assert render(problem, "en") == "Question “age”: This question needs an answer."
    assert render(problem, "en", with_location=False) == "This question needs an answer."
