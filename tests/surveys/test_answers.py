"""A posted page, relevance, and the check of a whole response."""

from surveys.answers import check_answers, parse_section, relevance
from surveys.document import Section
from surveys.messages import render
from surveys.problems import codes
from tests.surveys.helpers import L, doc, q

SURVEY = doc(
    q("age", "integer", required=True, constraint=". >= 14 and . <= 25",
      constraint_message=L("Réservé aux 14–25 ans.", "For 14–25-year-olds.")),
    q("practises", "yes_no", required=True),
    q("activities", "multiple_choice", required=True, relevant="${practises} = 'yes'",
      choices=["sport", "music", "other"], other=True, max_picks=2),
    q("wish", "text", relevant="${practises} = 'no'"),
)  # fmt: skip


def test_required_question_left_empty():
    result = parse_section(SURVEY, "main", {"age": ["17"]}, {})
    assert codes(result.problems) == ["A_REQUIRED"]
    assert result.problems[0].where == "practises"


def test_required_only_when_relevant():
    result = parse_section(SURVEY, "main", {"age": ["17"], "practises": ["no"]}, {})
    assert result.ok
    assert result.answers == {"age": 17, "practises": "no"}


def test_not_relevant_answers_are_dropped():
    form = {"age": ["17"], "practises": ["no"], "activities": ["sport"], "wish": ["boxe"]}
    assert parse_section(SURVEY, "main", form, {}).answers == {
        "age": 17,
        "practises": "no",
        "wish": "boxe",
    }


def test_constraint_is_checked_with_the_value_as_dot():
    result = parse_section(SURVEY, "main", {"age": ["30"], "practises": ["no"]}, {})
    assert codes(result.problems) == ["A_CONSTRAINT"]
    assert render(result.problems[0], "fr", with_location=False) == "Réservé aux 14–25 ans."


def test_parse_problems_say_which_question():
    form = {"age": ["dix-sept"], "practises": ["yes"], "activities": ["sport", "music", "other"]}
    result = parse_section(SURVEY, "main", form, {})
    assert [(p.code, p.where) for p in result.problems] == [
        ("A_NOT_INTEGER", "age"),
        ("A_TOO_MANY_PICKS", "activities"),
        ("A_OTHER_MISSING", "activities"),
    ]


def test_section_relevance_uses_answers_from_earlier_pages():
    two_pages = doc(
        sections=[
            Section("one", L("Un"), questions=(q("minor", "yes_no"),)),
            Section("two", L("Deux"), relevant="${minor} = 'yes'",
                    questions=(q("school", "text", required=True),)),
        ]
    )  # fmt: skip
    assert parse_section(two_pages, "two", {}, {"minor": "no"}).ok
    assert codes(parse_section(two_pages, "two", {}, {"minor": "yes"}).problems) == ["A_REQUIRED"]
    state = relevance(two_pages, {"minor": "no", "school": "x"})
    assert state.sections == {"one": True, "two": False}
    assert state.answers == {"minor": "no"}


def test_required_matrix_needs_every_row():
    grid = doc(q("m", "matrix", required=True, choices=["no", "yes"], rows=["r1", "r2"]))
    result = parse_section(grid, "main", {"m/r1": ["yes"]}, {})
    assert codes(result.problems) == ["A_MATRIX_INCOMPLETE"]
    assert result.problems[0].params["rows"] == ["r2"]


def test_check_answers_keeps_only_relevant_well_formed_answers():
    stored = {"age": 17, "practises": "no", "activities": ["sport"], "wish": "boxe"}
    checked = check_answers(SURVEY, stored)
    assert checked.ok
    assert checked.answers == {"age": 17, "practises": "no", "wish": "boxe"}


def test_check_answers_reports_values_of_the_wrong_shape():
    checked = check_answers(SURVEY, {"age": "17", "practises": "maybe", "ghost": 1})
    assert sorted(codes(checked.problems)) == sorted(
        ["A_BAD_VALUE", "A_UNKNOWN_CHOICE", "A_UNKNOWN_QUESTION", "A_REQUIRED", "A_REQUIRED"]
    )
