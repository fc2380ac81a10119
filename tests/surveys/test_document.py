import json

import pytest

from surveys.document import from_dict, from_json, to_dict, to_json
from surveys.library import HERE, template_keys
from surveys.problems import ProblemsError, codes
from tests.surveys.helpers import doc, q


@pytest.mark.parametrize("key", template_keys())
def test_json_document_json_is_identical(key):
    text = (HERE / f"{key}.json").read_text(encoding="utf-8")
    assert to_json(from_json(text)) == text


def test_defaults_are_left_out_of_the_json():
    data = to_dict(doc(q("age", "integer")))
    assert data["sections"][0]["questions"][0] == {
        "name": "age",
        "type": "integer",
        "label": {"fr": "age", "en": "age"},
    }
    assert from_dict(data) == doc(q("age", "integer"))


def test_wrong_shape_gives_coded_problems_with_paths():
    data = to_dict(doc(q("age", "integer")))
    data["sections"][0]["questions"][0]["required"] = "yes"
    data["sections"][0]["questions"][0]["colour"] = "red"
    del data["languages"]
    with pytest.raises(ProblemsError) as caught:
        from_dict(data)
    assert sorted(codes(caught.value.problems)) == [
        "J_MISSING_FIELD",
        "J_UNKNOWN_FIELD",
        "J_WRONG_TYPE",
    ]
    assert "sections[0].questions[0].required" in [p.where for p in caught.value.problems]


def test_not_json_at_all():
    with pytest.raises(ProblemsError) as caught:
        from_json("{oops")
    assert codes(caught.value.problems) == ["J_NOT_JSON"]


def test_an_integer_is_not_a_boolean():
    data = json.loads(to_json(doc(q("age", "integer"))))
    data["sections"][0]["questions"][0]["min"] = True
    with pytest.raises(ProblemsError):
        from_dict(data)
