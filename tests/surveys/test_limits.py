"""The JSON depth is read without parsing, strings and escapes taken into account."""

import pytest

from surveys.document import from_json
from surveys.limits import MAX_JSON_DEPTH, json_depth
from surveys.problems import ProblemsError, codes


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b"1", 0),
        (b"{}", 1),
        (b'[{"a": [1, {"b": []}]}]', 5),
        (b'["[[[", "]]]]]", "{"]', 1),  # brackets inside strings do not count
        (rb'["a\"[[[", [1]]', 2),  # nor after an escaped quote
        (rb'["a\\", [1]]', 2),  # an escaped backslash ends before the quote
        ("[" * 10_000 + "]" * 10_000, MAX_JSON_DEPTH + 1),
    ],
)
def test_json_depth(text, depth):
    assert json_depth(text) == depth


def test_a_document_nested_past_the_bound_is_refused_before_it_is_read():
    nested = '{"title": {"fr": "x"}, "languages": ["fr"], "sections": ' + "[" * 80 + "]" * 80 + "}"
    with pytest.raises(ProblemsError) as caught:
        from_json(nested)
    assert codes(caught.value.problems) == ["J_TOO_DEEP"]
