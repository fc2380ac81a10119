from datetime import date

from analysis.filters import (
    DateRange,
    Filter,
    apply_filters,
    filter_mask,
    filters_to_query,
    parse_filters,
)
from analysis.frames import frame_from_records
from tests.analysis.survey import CODEBOOK, response


def ids(frame):
    return list(frame["response_id"])


def test_single_choice_filter_keeps_the_chosen_values(frame):
    assert ids(apply_filters(frame, CODEBOOK, [Filter("gender", ("f",))])) == [1, 2, 5]


def test_multi_choice_filter_keeps_anyone_who_picked_one_of_the_choices(frame):
    kept = apply_filters(frame, CODEBOOK, [Filter("hobbies", ("reading", "music"))])
    assert ids(kept) == [1, 2, 3]


def test_filters_combine_with_and(frame):
    conditions = [Filter("gender", ("m",)), Filter("hobbies", ("music",))]
    assert ids(apply_filters(frame, CODEBOOK, conditions)) == [3]


def test_date_range_includes_both_days():
    rows = [
        response(1, day="2013-01-01T23:00"),
        response(2, day="2013-01-02T00:00"),
        response(3, day="2013-01-03T23:59"),
        response(4, day="2013-01-04T00:00"),
    ]
    frame = frame_from_records(rows, CODEBOOK)
    kept = apply_filters(frame, CODEBOOK, [DateRange(date(2013, 1, 2), date(2013, 1, 3))])
    assert ids(kept) == [2, 3]


def test_no_filter_keeps_everything(frame):
    assert filter_mask(frame, CODEBOOK, []).all()


def test_query_dict_is_parsed_into_filters():
    conditions, problems = parse_filters(
        {"gender": ["f"], "hobbies": "sport", "from": "2013-01-01", "to": ""}, CODEBOOK
    )
    assert problems == []
    assert conditions == [
        Filter("gender", ("f",)),
        Filter("hobbies", ("sport",)),
        DateRange(date(2013, 1, 1), None),
    ]


def test_unknown_variables_values_and_dates_are_reported_not_raised():
    conditions, problems = parse_filters(
        {"colour": ["red"], "gender": ["f", "x"], "age": ["15"], "from": "01/02/2013"}, CODEBOOK
    )
    assert conditions == [Filter("gender", ("f",))]
    assert [(p.code, p.where) for p in problems] == [
        ("FILTER_UNKNOWN_VARIABLE", "colour"),
        ("FILTER_UNKNOWN_VALUE", "gender"),
        ("FILTER_NOT_CATEGORICAL", "age"),
        ("FILTER_BAD_DATE", "from"),
    ]
    assert problems[1].context["value"] == "x"


def test_reversed_date_range_is_reported():
    conditions, problems = parse_filters({"from": "2013-02-01", "to": "2013-01-01"}, CODEBOOK)
    assert conditions == []
    assert [p.code for p in problems] == ["FILTER_EMPTY_RANGE"]


def test_campaign_and_channel_filter_on_any_value(frame):
    conditions, problems = parse_filters({"campaign": "2013", "channel": "paper"}, CODEBOOK)
    assert problems == []
    assert ids(apply_filters(frame, CODEBOOK, conditions)) == []


def test_filters_survive_a_round_trip_through_a_query_dict():
    conditions = [Filter("gender", ("f", "m")), DateRange(date(2013, 1, 1), date(2013, 3, 31))]
    assert parse_filters(filters_to_query(conditions), CODEBOOK) == (conditions, [])
