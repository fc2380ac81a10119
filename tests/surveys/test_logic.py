"""Conditions as clauses: read, said in words, written back to the same expression."""

from surveys import logic
from surveys.document import Choice, Document, Question, Section
from surveys.messages import render
from surveys.validation import validate

CLUB = Question("club", "yes_no", {"fr": "Fais-tu partie d’un club ?"})
AGE = Question("age", "integer", {"fr": "Ton âge ?"})
SPORTS = Question(
    "sports",
    "multiple_choice",
    {"fr": "Sports ?"},
    choices=(Choice("foot", {"fr": "Football"}), Choice("danse", {"fr": "Danse"})),
)
DOC = Document({"fr": "T"}, ("fr",), (Section("s", {"fr": "S"}, questions=(CLUB, AGE, SPORTS)),))


def test_flat_chains_of_clauses_are_read_and_anything_else_is_text_only():
    logic_ = logic.read("${club} = 'yes' and ${age} >= 18 and selected(${sports}, 'foot')")
    assert logic_.joiner == "and" and [c.op for c in logic_.clauses] == ["=", ">=", "selected"]
    assert logic.read("not(selected(${sports}, 'danse'))").clauses[0].op == "not_selected"
    assert logic.read(". >= 0 and . <= 100").clauses[1] == logic.Clause(".", "<=", 100)
    assert not logic.read("(${club} = 'yes' and ${age} > 3) or ${age} < 2").simple
    assert not logic.read("${club} = ").simple


def test_a_condition_is_said_with_labels_and_written_back_unchanged():
    said, joiner, _ = logic.say(DOC, "${club}='yes' or selected(${sports}, 'danse')", "fr")
    assert joiner == "or"
    assert [(s.label, s.op, s.value) for s in said] == [
        ("Fais-tu partie d’un club ?", "=", "Oui"),
        ("Sports ?", "selected", "Danse"),
    ]
    clauses = logic.read("${club}='yes'").clauses
    assert logic.write(clauses, "and", previous="${club}='yes'") == "${club}='yes'"
    assert logic.write(clauses, "and", previous="${club}='no'") == "${club} = 'yes'"


def test_a_label_is_taken_for_its_value_and_a_wrong_value_lists_the_valid_ones():
    clause, problem = logic.build_clause(DOC, CLUB, "club", "=", "oui", "fr")
    assert clause == logic.Clause("club", "=", "yes") and problem is None
    clause, problem = logic.build_clause(DOC, CLUB, "club", "=", "peut-être", "fr")
    assert clause is None and problem.code == "L_NOT_A_CHOICE"
    assert "« Oui » (yes), « Non » (no)" in render(problem, "fr")
    _, problem = logic.build_clause(DOC, AGE, "age", ">=", "beaucoup", "fr")
    assert problem.code == "L_NOT_A_NUMBER"


def test_a_condition_on_an_unknown_choice_names_the_valid_ones():
    follow = Question("which", "text", {"fr": "Lequel ?"}, relevant="${club} = 'Oui'")
    document = Document(
        {"fr": "T"}, ("fr",), (Section("s", {"fr": "S"}, questions=(CLUB, follow)),)
    )
    [problem] = [p for p in validate(document) if p.code == "C_UNKNOWN_CHOICE"]
    assert problem.params["valid"] == "yes (Oui), no (Non)"
    assert "Choix possibles" in render(problem, "fr")
