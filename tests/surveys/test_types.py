"""Each type reads raw form values (a browser's multi-dict) into its canonical answer."""

import pytest

from surveys.answers import parse_question
from surveys.problems import codes
from surveys.types import REGISTRY
from tests.surveys.helpers import q


def read(question, form):
    result = parse_question(question, form)
    return result.entries, codes(result.problems)


def test_every_type_has_one_registry_entry_with_its_template():
    assert set(REGISTRY) == {
        "single_choice", "multiple_choice", "likert", "rating", "integer", "decimal", "text",
        "long_text", "date", "yes_no", "ranking", "matrix", "note",
    }  # fmt: skip
    assert REGISTRY["single_choice"].template == "questions/single_choice.html"
    assert REGISTRY["note"].analysis_kind is None


def test_integer_reads_whole_numbers():
    age = q("age", "integer")
    assert read(age, {"age": ["17"]}) == ({"age": 17}, [])
    assert read(age, {"age": [" 1 000 "]}) == ({"age": 1000}, [])
    assert read(age, {"age": ["17 ans"]}) == ({}, ["A_NOT_INTEGER"])
    assert read(age, {"age": ["17.5"]}) == ({}, ["A_NOT_INTEGER"])
    assert read(age, {"age": [""]}) == ({}, [])
    assert read(age, {}) == ({}, [])


def test_integer_range():
    age = q("age", "integer", min=14, max=25)
    assert read(age, {"age": ["30"]})[1] == ["A_OUT_OF_RANGE"]
    assert read(q("n", "integer", min=0), {"n": ["-1"]})[1] == ["A_BELOW_MIN"]


def test_decimal_accepts_the_french_comma():
    amount = q("amount", "decimal")
    assert read(amount, {"amount": ["12,5"]}) == ({"amount": 12.5}, [])
    assert read(amount, {"amount": ["12.5"]}) == ({"amount": 12.5}, [])
    assert read(amount, {"amount": ["douze"]}) == ({}, ["A_NOT_NUMBER"])


def test_rating_is_0_to_10_by_default_and_configurable():
    mark = q("mark", "rating")
    assert read(mark, {"mark": ["10"]}) == ({"mark": 10}, [])
    assert read(mark, {"mark": ["11"]})[1] == ["A_OUT_OF_RANGE"]
    assert read(q("stars", "rating", min=1, max=5), {"stars": ["0"]})[1] == ["A_OUT_OF_RANGE"]


def test_text_is_stripped_and_empty_is_no_answer():
    name = q("t", "text")
    assert read(name, {"t": ["  Thionville  "]}) == ({"t": "Thionville"}, [])
    assert read(name, {"t": ["   "]}) == ({}, [])
    assert read(name, {"t": ["x" * 2000]})[1] == ["A_TOO_LONG"]
    assert read(q("l", "long_text"), {"l": ["x" * 2000]}) == ({"l": "x" * 2000}, [])


def test_date_reads_iso_and_french_dates():
    day = q("d", "date")
    assert read(day, {"d": ["2025-12-24"]}) == ({"d": "2025-12-24"}, [])
    assert read(day, {"d": ["24/12/2025"]}) == ({"d": "2025-12-24"}, [])
    assert read(day, {"d": ["2025-02-30"]}) == ({}, ["A_NOT_A_DATE"])
    assert read(day, {"d": ["demain"]}) == ({}, ["A_NOT_A_DATE"])


def test_single_choice_value_must_exist():
    g = q("g", "single_choice", choices=["a", "b"])
    assert read(g, {"g": ["a"]}) == ({"g": "a"}, [])
    assert read(g, {"g": ["z"]}) == ({}, ["A_UNKNOWN_CHOICE"])
    assert read(g, {"g": ["a", "b"]}) == ({}, ["A_ONE_CHOICE_ONLY"])


def test_other_specify_travels_in_its_own_key():
    s = q("s", "single_choice", choices=["a", "other"], other=True)
    assert read(s, {"s": ["other"], "s_other": [" apprentie "]}) == (
        {"s": "other", "s_other": "apprentie"},
        [],
    )
    assert read(s, {"s": ["other"]})[1] == ["A_OTHER_MISSING"]
    assert read(s, {"s": ["a"], "s_other": ["ignored"]}) == ({"s": "a"}, [])


def test_multiple_choice_in_choice_order_with_pick_limits():
    acts = q("acts", "multiple_choice", choices=["sport", "music", "dance", "other"],
             other=True, min_picks=2, max_picks=3)  # fmt: skip
    form = {"acts": ["dance", "sport"], "acts_other": ["escalade"]}
    assert read(acts, form) == ({"acts": ["sport", "dance"]}, [])
    assert read(acts, {"acts": ["sport"]})[1] == ["A_TOO_FEW_PICKS"]
    assert read(acts, {"acts": ["sport", "music", "dance", "other"], "acts_other": ["x"]})[1] == [
        "A_TOO_MANY_PICKS"
    ]
    assert read(acts, {"acts": ["sport", "music", "other"], "acts_other": ["escalade"]}) == (
        {"acts": ["sport", "music", "other"], "acts_other": "escalade"},
        [],
    )
    assert read(acts, {"acts": ["sport", "golf"]})[1] == ["A_UNKNOWN_CHOICE"]


def test_likert_and_yes_no_are_single_values():
    assert read(q("f", "likert", choices=["low", "high"]), {"f": ["high"]}) == ({"f": "high"}, [])
    yes_no = q("yn", "yes_no")
    assert read(yes_no, {"yn": ["no"]}) == ({"yn": "no"}, [])
    assert read(yes_no, {"yn": ["oui"]})[1] == ["A_UNKNOWN_CHOICE"]


def test_ranking_by_positions_or_by_order():
    rank = q("r", "ranking", choices=["a", "b", "c"])
    assert read(rank, {"r/a": ["2"], "r/b": ["3"], "r/c": ["1"]}) == ({"r": ["c", "a", "b"]}, [])
    assert read(rank, {"r/a": ["1"], "r/c": ["2"]}) == ({"r": ["a", "c"]}, [])
    assert read(rank, {"r": ["b", "a", "c"]}) == ({"r": ["b", "a", "c"]}, [])
    assert read(rank, {"r/a": ["1"], "r/b": ["1"]})[1] == ["A_RANK_DUPLICATE"]
    assert read(rank, {"r/a": ["9"]})[1] == ["A_BAD_RANK"]
    assert read(rank, {"r": ["a", "a"]})[1] == ["A_RANK_REPEATED"]


def test_matrix_rows_share_one_scale():
    grid = q("m", "matrix", choices=["no", "yes"], rows=["r1", "r2"])
    assert read(grid, {"m/r1": ["yes"], "m/r2": ["no"]}) == ({"m": {"r1": "yes", "r2": "no"}}, [])
    assert read(grid, {"m/r1": ["yes"]}) == ({"m": {"r1": "yes"}}, [])
    assert read(grid, {"m/r1": ["maybe"]})[1] == ["A_UNKNOWN_CHOICE"]


def test_note_takes_no_answer():
    assert read(q("n", "note"), {"n": ["x"]}) == ({}, [])


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        (q("a", "integer"), {"a": 3}),
        (q("a", "decimal"), {"a": 2.5}),
        (q("a", "rating"), {"a": 7}),
        (q("a", "text"), {"a": "x"}),
        (q("a", "date"), {"a": "2024-01-31"}),
        (
            q("a", "single_choice", choices=["x", "other"], other=True),
            {"a": "other", "a_other": "y"},
        ),
        (q("a", "multiple_choice", choices=["x", "y"]), {"a": ["x", "y"]}),
        (q("a", "ranking", choices=["x", "y"]), {"a": ["y", "x"]}),
        (q("a", "matrix", choices=["x", "y"], rows=["r"]), {"a": {"r": "y"}}),
        (q("a", "yes_no"), {"a": "yes"}),
    ],
)
def test_an_answer_written_back_to_the_form_reads_the_same(question, answer):
    kind = REGISTRY[question.type]
    assert kind.parse(question, kind.to_form(question, answer)).entries == answer
