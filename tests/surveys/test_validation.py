"""A questionnaire is checked before it is saved: coded problems, never prose."""

from dataclasses import replace

from surveys.document import Choice, Section
from surveys.problems import codes
from surveys.validation import validate
from tests.surveys.helpers import L, doc, q


def problems_of(*questions, **kw):
    return codes(validate(doc(*questions, **kw)))


def test_a_sound_questionnaire_has_no_problem():
    assert problems_of(q("age", "integer"), q("g", "single_choice", choices=["a", "b"])) == []


def test_duplicate_question_name_is_rejected():
    found = validate(
        doc(
            sections=[
                Section("one", L("Un"), questions=(q("age", "integer"),)),
                Section("two", L("Deux"), questions=(q("age", "text"),)),
            ]
        )
    )
    assert codes(found) == ["Q_DUPLICATE_NAME"]
    assert found[0].params["first"] == "one" and found[0].params["second"] == "two"


def test_name_must_be_an_identifier():
    assert problems_of(q("mon âge", "integer")) == ["Q_BAD_NAME"]
    assert problems_of(q("1st", "integer")) == ["Q_BAD_NAME"]


def test_other_text_key_must_not_collide_with_a_question():
    assert problems_of(
        q("s", "single_choice", choices=["a", "other"], other=True), q("s_other", "text")
    ) == ["Q_OTHER_NAME_CLASH"]


def test_unknown_type():
    assert problems_of(q("x", "slider")) == ["Q_UNKNOWN_TYPE"]


def test_empty_choice_list():
    assert problems_of(q("x", "single_choice")) == ["Q_NO_CHOICES"]


def test_duplicate_choice_values():
    assert problems_of(q("x", "single_choice", choices=["a", "a"])) == ["Q_DUPLICATE_CHOICE"]


def test_choice_value_with_a_space():
    assert problems_of(q("x", "multiple_choice", choices=["a b"])) == ["Q_BAD_CHOICE_VALUE"]


def test_missing_label_in_a_declared_language():
    assert problems_of(q("x", "text", label={"fr": "Nom"})) == ["Q_MISSING_LABEL"]
    choice = Choice("a", {"fr": "A"})
    assert problems_of(q("x", "single_choice", choices=(choice,))) == ["Q_CHOICE_MISSING_LABEL"]


def test_other_needs_an_other_choice():
    assert problems_of(q("x", "single_choice", choices=["a"], other=True)) == [
        "Q_OTHER_CHOICE_MISSING"
    ]


def test_field_that_does_not_apply_to_the_type():
    assert problems_of(q("x", "integer", choices=["a"])) == ["Q_FIELD_NOT_FOR_TYPE"]
    assert problems_of(q("x", "note", constraint=". > 1")) == ["Q_FIELD_NOT_FOR_TYPE"]
    assert problems_of(q("x", "note", required=True)) == ["Q_FIELD_NOT_FOR_TYPE"]


def test_inconsistent_picks_and_ranges():
    assert problems_of(q("x", "multiple_choice", choices=["a", "b"], min_picks=2, max_picks=1)) == [
        "Q_BAD_PICKS"
    ]
    assert problems_of(q("x", "rating", min=10, max=0)) == ["Q_BAD_RANGE"]


def test_matrix_needs_rows():
    assert problems_of(q("m", "matrix", choices=["a"])) == ["Q_NO_ROWS"]
    assert problems_of(q("m", "matrix", choices=["a"], rows=["r", "r"])) == ["Q_DUPLICATE_ROW"]


def test_bad_expression_is_a_coded_problem_with_its_field():
    found = validate(doc(q("a", "integer"), q("b", "text", relevant="${a} >")))
    assert codes(found) == ["C_UNEXPECTED_END"]
    assert found[0].where == "b" and found[0].params["field"] == "relevant"


def test_condition_on_unknown_or_later_question():
    assert problems_of(q("a", "text", relevant="${ghost} = 1")) == ["C_UNKNOWN_NAME"]
    assert problems_of(q("a", "text", relevant="${b} = 1"), q("b", "integer")) == [
        "C_LATER_QUESTION"
    ]
    assert problems_of(q("a", "integer", relevant="${a} = 1")) == ["C_LATER_QUESTION"]


def test_dot_only_in_constraints():
    assert problems_of(q("a", "integer", relevant=". > 1")) == ["C_CURRENT_OUTSIDE_CONSTRAINT"]
    assert problems_of(q("a", "integer", constraint=". > 1")) == []


def test_constraint_impossible_for_the_type():
    assert problems_of(q("a", "integer", constraint="string-length(.) < 3")) == ["C_NOT_FOR_TYPE"]
    assert problems_of(q("a", "text"), q("b", "text", relevant="selected(${a}, 'x')")) == [
        "C_NOT_FOR_TYPE"
    ]


def test_condition_on_a_choice_that_does_not_exist():
    yes_no = q("yn", "yes_no")
    assert problems_of(yes_no, q("b", "text", relevant="${yn} = 'oui'")) == ["C_UNKNOWN_CHOICE"]
    assert problems_of(yes_no, q("b", "text", relevant="${yn} = 'yes'")) == []


def test_section_condition_may_not_read_its_own_questions():
    document = doc(
        sections=[
            Section("one", L("Un"), relevant="${a} = 1", questions=(q("a", "integer"),)),
        ]
    )
    assert codes(validate(document)) == ["C_LATER_QUESTION"]


def test_document_level_problems():
    document = doc(q("a", "text"))
    assert codes(validate(replace(document, languages=()))) == ["D_NO_LANGUAGES"]
    assert codes(validate(replace(document, title={"fr": "Essai"}))) == ["D_MISSING_TITLE"]
    assert codes(validate(replace(document, sections=()))) == ["D_NO_SECTIONS"]
