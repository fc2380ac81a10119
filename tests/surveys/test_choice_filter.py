"""Cascading lists (XLSForm ``choice_filter``): the choices a select offers follow earlier
answers, through the condition language's own evaluator; an answer outside them is refused."""

import io

import pytest
from pyxform.xls2xform import convert

from surveys.answers import check_answers, parse_section
from surveys.capture import drivers
from surveys.choice_filter import (
    compiled_filter,
    filter_columns,
    filter_questions,
    narrowed,
    offered,
)
from surveys.conditions import ConditionError
from surveys.document import Choice, from_json, to_json
from surveys.messages import render
from surveys.problems import codes
from surveys.validation import validate
from surveys.xlsform import import_xlsform
from surveys.xlsform_export import export_xlsform
from tests.surveys.helpers import L, doc, q, xlsx
from tests.third_party import fixture

SURVEY = """
| type              | name     | label    | choice_filter                              |
| select_one commune | commune | Commune  |                                            |
| select_one quartier | quartier | Quartier | {filter}                                 |
| select_multiple lieu | lieux | Lieux    | commune=${commune} and not(selected(${quartier}, name)) |
"""
CHOICES = """
| list_name | name        | label          | commune    |
| commune   | thionville  | Thionville     |            |
| commune   | yutz        | Yutz           |            |
| quartier  | centre      | Centre         | thionville |
| quartier  | guentrange  | Guentrange     | thionville |
| quartier  | centre      | Centre         | yutz       |
| quartier  | cite        | Cité           | yutz       |
| lieu      | centre      | Centre         | thionville |
| lieu      | guentrange  | Guentrange     | thionville |
| lieu      | cite        | Cité           | yutz       |
"""

# pyxform refuses a value twice in a list unless told so
SETTINGS = """
| allow_choice_duplicates |
| yes                     |
"""


def cascade():
    survey = SURVEY.replace("{filter}", "commune=${commune}")
    document, problems, warnings = import_xlsform(
        xlsx(survey=survey, choices=CHOICES, settings=SETTINGS)
    )
    assert problems == [], problems
    assert validate(document) == []
    return document, warnings


def values(question, answers, waiting=frozenset()):
    return [c.value for c in offered(question, answers, waiting)]


def test_a_filter_reads_columns_of_the_choice_and_answers():
    assert filter_columns("commune=${commune} and not(selected(${q}, name))") == {"commune"}
    assert filter_questions("commune=${commune} and not(selected(${q}, name))") == {
        "commune",
        "q",
    }
    # functions, operators and strings are left alone
    assert filter_columns("starts-with(code, 'A') or zone div 2 = ${n} mod 3") == {"code", "zone"}


def test_a_filter_that_cannot_be_read_is_a_coded_problem_naming_it_as_written():
    with pytest.raises(ConditionError) as caught:
        compiled_filter("commune = = ${commune}")
    assert caught.value.problem.code == "C_SYNTAX"
    assert caught.value.problem.params["expression"] == "commune = = ${commune}"


def test_the_choices_offered_follow_the_earlier_answer():
    document, warnings = cascade()
    assert warnings == []  # applied, nothing to say
    quartier = document.question("quartier")
    assert values(quartier, {"commune": "thionville"}) == ["centre", "guentrange"]
    assert values(quartier, {"commune": "yutz"}) == ["centre", "cite"]
    assert values(quartier, {}) == []  # as ODK: nothing matches an empty commune
    lieux = document.question("lieux")
    answers = {"commune": "thionville", "quartier": "centre"}
    assert values(lieux, answers) == ["guentrange"]  # `name` is the choice's value


def test_a_value_repeated_under_two_parents_is_one_choice_offered_under_both():
    document, _ = cascade()
    centre = document.question("quartier").choices[0]
    assert centre.value == "centre"
    assert centre.columns == ({"commune": "thionville"}, {"commune": "yutz"})
    assert document.question("quartier").choice_values() == ["centre", "guentrange", "cite"]


def test_on_the_same_page_every_choice_is_offered_until_the_parent_is_answered():
    document, _ = cascade()
    quartier = document.question("quartier")
    assert values(quartier, {}, waiting={"commune"}) == ["centre", "guentrange", "cite"]
    page = narrowed(list(document.questions()), {"commune": "yutz"})
    assert [c.value for c in page[1].choices] == ["centre", "cite"]
    assert drivers(document, document.sections[0].name) == {"commune", "quartier"}


def test_an_answer_the_earlier_answers_do_not_offer_is_refused_with_a_clear_message():
    document, _ = cascade()
    checked = check_answers(document, {"commune": "yutz", "quartier": "guentrange"})
    assert codes(checked.problems) == ["A_NOT_OFFERED"]
    assert checked.problems[0].where == "quartier"
    message = render(checked.problems[0], "fr", with_location=False)
    assert "réponses précédentes" in message
    assert check_answers(document, {"commune": "yutz", "quartier": "cite"}).problems == ()
    # a multiple choice too, and a posted page is checked the same way
    section = document.sections[0].name
    form = {"commune": ["thionville"], "quartier": ["centre"], "lieux": ["centre", "cite"]}
    assert codes(parse_section(document, section, form, {}).problems) == ["A_NOT_OFFERED"]


def test_choices_without_rows_are_always_offered():
    """or_other's "other", a « None of these », a choice added in the designer."""
    quartier = q("quartier", "multiple_choice", choice_filter="commune = ${commune}",
                 choices=(Choice("centre", L("Centre"), columns=({"commune": "yutz"},)),
                          Choice("aucun", L("Aucun"), exclusive=True)))  # fmt: skip
    document = doc(q("commune", "text"), quartier)
    assert validate(document) == []
    assert values(quartier, {"commune": "metz"}) == ["aucun"]


def test_a_filter_on_a_later_or_unknown_question_is_refused():
    quartier = q("quartier", "single_choice", choices=["a"], choice_filter="c = ${commune}")
    problems = validate(doc(quartier, q("commune", "text")))
    assert codes(problems) == ["C_LATER_QUESTION"]
    assert problems[0].params["field"] == "choice_filter"
    assert codes(validate(doc(quartier))) == ["C_UNKNOWN_NAME"]
    broken = q("quartier", "single_choice", choices=["a"], choice_filter="c = = 1")
    assert codes(validate(doc(broken))) == ["C_SYNTAX"]


def test_a_filter_reading_a_column_the_sheet_lacks_is_removed_with_a_warning():
    survey = SURVEY.replace("{filter}", "zone=${commune}")
    document, problems, warnings = import_xlsform(
        xlsx(survey=survey, choices=CHOICES, settings=SETTINGS)
    )
    assert problems == []
    # without a filter, the second "centre" of the list cannot be told apart: dropped
    assert codes(warnings) == ["W_CHOICE_FILTER", "W_DUPLICATE_CHOICE"]
    assert warnings[0].params["choices_column"] == "zone" and warnings[0].params["row"] == 3
    quartier = document.question("quartier")
    assert quartier.choice_filter is None
    assert all(not c.columns for c in quartier.choices)
    assert values(quartier, {"commune": "yutz"}) == ["centre", "guentrange", "cite"]


def test_a_cascading_list_is_stored_exported_and_read_back_unchanged():
    document, _ = cascade()
    assert from_json(to_json(document)) == document
    data = export_xlsform(document)
    xform = convert(xlsform=io.BytesIO(data), validate=False, file_type=".xlsx").xform
    assert "<h:html" in xform and "commune" in xform
    again, problems, warnings = import_xlsform(data)
    assert problems == [] and warnings == []
    assert again == document


def test_the_real_choice_filter_form_of_pyxform_cascades():
    """pyxform's choice_filter_test.xlsx: state, county (``${state}=cf``), city
    (``${county}=cf``); King county is in both states, under one value."""
    data = fixture("xlsform", "choice_filter_test.xlsx").read_bytes()
    document, problems, warnings = import_xlsform(data)
    assert problems == [] and warnings == []
    state, county, city = document.questions()
    assert (county.choice_filter, city.choice_filter) == ("${state}=cf", "${county}=cf")
    assert county.choices[0].columns == ({"cf": "washington"}, {"cf": "texas"})
    texas = {"state": "texas"}
    assert values(county, texas) == ["king", "cameron"]
    assert values(county, {"state": "washington"}) == ["king", "pierce"]
    assert values(city, {**texas, "county": "cameron"}) == ["brownsville", "harlingen"]
    # the form filters cities by county alone: King's cities of both states
    assert values(city, {**texas, "county": "king"}) == ["dumont", "finney", "seattle", "redmond"]
    assert codes(check_answers(document, {**texas, "county": "pierce"}).problems) == [
        "A_NOT_OFFERED"
    ]


def test_a_required_list_that_earlier_answers_leave_empty_does_not_block_the_respondent():
    quartier = q("quartier", "single_choice", required=True, choice_filter="commune = ${commune}",
                 choices=(Choice("centre", L("Centre"), columns=({"commune": "yutz"},)),))  # fmt: skip
    document = doc(q("commune", "text"), quartier)
    assert codes(check_answers(document, {"commune": "yutz"}).problems) == ["A_REQUIRED"]
    assert check_answers(document, {"commune": "metz"}).problems == ()


def test_the_real_cascade_written_with_relevance_and_calculations_cascades_too():
    """pyxform's cascading_select_test_equivalent.xls: the same cascade without
    choice_filter, one question per parent shown by relevance, through calculations."""
    from surveys.answers import relevance

    data = fixture("xlsform", "cascading_select_test_equivalent.xls").read_bytes()
    document, problems, _ = import_xlsform(data)
    assert problems == []
    answers = {"mylga_zone": "zone_1", "mylga_state_in_zone_1": "state_2"}
    shown = [n for n, on in relevance(document, answers).questions.items() if on]
    assert shown == ["mylga_zone", "mylga_state_in_zone_1", "mylga_lga_in_state_2"]
    assert document.question("mylga_lga_in_state_2").choice_values() == ["lga_3", "lga_4"]
