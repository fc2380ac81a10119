"""Designer actions as pure changes of a document."""

import pytest

from surveys.conditions import parse
from surveys.editing import (
    add_question,
    add_section,
    blank_document,
    build_condition,
    combine_condition,
    delete_question,
    move_question,
    question_from_form,
    restore_question,
    simple_clause,
)
from surveys.validation import validate
from tests.surveys.helpers import doc, q


def names(document):
    return [[q.name for q in s.questions] for s in document.sections]


def test_a_blank_document_has_one_empty_section_and_says_so():
    document = blank_document("Essai", ("fr", "en"))
    assert [p.code for p in validate(document)] == ["S_EMPTY"]


def test_added_questions_get_free_names_at_the_end_of_their_section():
    document, first = add_question(blank_document("Essai"), "section_1", "yes_no", {"fr": "Q ?"})
    document, second = add_question(document, "section_1", "text", {"fr": "Q ?"})
    assert (first, second) == ("q1", "q2")
    assert validate(document) == []


def test_an_unknown_type_is_refused():
    with pytest.raises(KeyError):
        add_question(blank_document("Essai"), "section_1", "hologram", {"fr": "?"})


def test_moving_past_the_edge_of_a_section_goes_into_the_next_one():
    document = doc(q("a", "text"), q("b", "text"))
    document, _ = add_section(document, {"fr": "Deux", "en": "Two"})
    document = move_question(document, "b", +1)
    assert names(document) == [["a"], ["b"]]
    assert names(move_question(document, "b", -1)) == [["a", "b"], []]
    assert names(move_question(document, "a", -1)) == [["a"], ["b"]]  # already first


def test_a_deleted_question_comes_back_where_it_was():
    document = doc(q("a", "text"), q("b", "yes_no"), q("c", "text"))
    without, deleted = delete_question(document, "b")
    assert names(without) == [["a", "c"]]
    assert restore_question(without, deleted) == document


def test_the_edit_form_reads_only_the_fields_of_the_type():
    document = doc(q("color", "single_choice", choices=["red", "blue"]))
    form = {
        "name": "colour",
        "label_fr": "Couleur ?",
        "label_en": "Colour?",
        "has_required": "1",
        "required": "1",
        "has_choices": "1",
        "choice_0_value": "red",
        "choice_0_label_fr": "Rouge",
        "choice_0_label_en": "Red",
        "choice_1_value": "blue",
        "choice_1_remove": "1",
        "choice_2_value": "",
        "choice_2_label_fr": "Vert",
        "min": "3",  # not a field of a single choice: ignored
    }
    question = question_from_form(document, "color", form)
    assert question.name == "colour" and question.required
    assert question.label == {"fr": "Couleur ?", "en": "Colour?"}
    assert [(c.value, c.label) for c in question.choices] == [
        ("red", {"fr": "Rouge", "en": "Red"}),
        ("option_3", {"fr": "Vert"}),
    ]
    assert question.min is None


def test_the_condition_builder_writes_the_condition_language():
    document = doc(
        q("sport", "yes_no"),
        q("age", "integer"),
        q("act", "multiple_choice", choices=["foot", "judo"]),
    )
    assert build_condition(document, "sport", "=", "yes") == "${sport} = 'yes'"
    assert build_condition(document, "age", ">=", "16") == "${age} >= 16"
    assert build_condition(document, "act", "selected", "judo") == "selected(${act}, 'judo')"
    both = combine_condition("${sport} = 'yes'", "${age} >= 16", "and")
    assert both == "${sport} = 'yes' and ${age} >= 16"
    parse(both)
    assert simple_clause("${age} >= 16") == ("age", ">=", "16")
    assert simple_clause(both) is None
    with pytest.raises(ValueError):
        build_condition(document, "sport", "like", "yes")
