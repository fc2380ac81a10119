"""Date bounds and exclusive choices in the question document (issue 16)."""

import datetime as dt

from surveys.document import from_dict, to_dict
from surveys.types import parse_date, parse_multiple
from surveys.validation import validate


def document(question: dict) -> dict:
    return {
        "title": {"fr": "T"},
        "languages": ["fr"],
        "sections": [{"name": "s", "questions": [question]}],
    }


DATE = {"name": "d", "type": "date", "label": {"fr": "Quand ?"}}
MULTI = {
    "name": "m",
    "type": "multiple_choice",
    "label": {"fr": "Lesquels ?"},
    "choices": [
        {"value": "a", "label": {"fr": "A"}},
        {"value": "aucun", "label": {"fr": "Aucun"}, "exclusive": True},
    ],
}


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_date_bounds_and_exclusive_choices_travel_in_the_json():
    doc = from_dict(document({**DATE, "min_date": "2020-01-01", "max_date": "today"}))
    assert to_dict(doc)["sections"][0]["questions"][0]["max_date"] == "today"
    multi = from_dict(document(MULTI))
    assert to_dict(multi)["sections"][0]["questions"][0]["choices"][1]["exclusive"] is True
    assert "exclusive" not in to_dict(multi)["sections"][0]["questions"][0]["choices"][0]


def test_a_date_bound_that_is_not_a_date_is_reported_to_the_designer():
    assert codes(validate(from_dict(document({**DATE, "max_date": "demain"})))) == [
        "Q_BAD_DATE_BOUND"
    ]
    inverted = {**DATE, "min_date": "2024-01-01", "max_date": "2023-01-01"}
    assert codes(validate(from_dict(document(inverted)))) == ["Q_BAD_DATE_RANGE"]
    assert codes(validate(from_dict(document({**DATE, "min_date": "today"})))) == []
    number = {"name": "n", "type": "integer", "label": {"fr": "?"}, "max_date": "today"}
    assert codes(validate(from_dict(document(number)))) == ["Q_FIELD_NOT_FOR_TYPE"]


def test_dates_are_checked_against_their_bounds():
    question = from_dict(document({**DATE, "min_date": "2020-01-01", "max_date": "today"}))
    q = question.sections[0].questions[0]
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert codes(parse_date(q, {"d": [tomorrow]}).problems) == ["A_DATE_IN_FUTURE"]
    assert codes(parse_date(q, {"d": ["2019-12-31"]}).problems) == ["A_DATE_BEFORE"]
    assert parse_date(q, {"d": ["01/02/2020"]}).entries == {"d": "2020-02-01"}


def test_an_exclusive_choice_stands_alone():
    q = from_dict(document(MULTI)).sections[0].questions[0]
    assert codes(parse_multiple(q, {"m": ["a", "aucun"]}).problems) == ["A_EXCLUSIVE_CHOICE"]
    assert parse_multiple(q, {"m": ["aucun"]}).entries == {"m": ["aucun"]}
