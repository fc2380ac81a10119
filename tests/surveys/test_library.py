import pytest

from surveys.library import list_templates, load_template, template_keys
from surveys.types import REGISTRY
from surveys.validation import validate


def test_the_library_holds_the_three_templates():
    assert template_keys() == ["event_satisfaction", "partner_tool_evaluation", "youth_free_time"]
    assert all(t.title["fr"] and t.title["en"] for t in list_templates())


@pytest.mark.parametrize("key", template_keys())
def test_every_template_is_valid(key):
    assert validate(load_template(key)) == []


def test_youth_study_uses_every_type_and_conditions():
    document = load_template("youth_free_time")
    questions = list(document.questions())
    assert {q.type for q in questions} == set(REGISTRY)
    assert 20 <= len(questions) <= 30 and len(document.sections) == 5
    assert sum(1 for q in questions if q.relevant) >= 2
    assert document.question("age").constraint


def test_unknown_template():
    with pytest.raises(KeyError):
        load_template("../../etc/passwd")
