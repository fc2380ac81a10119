"""The active filter said in words: one part per value, one line for a file (issue 14)."""

from datetime import date

from analysis.codebook import Codebook, Variable
from analysis.filters import DateRange, Filter, describe_filters, filter_parts

CODEBOOK = Codebook.of(
    [
        Variable(
            "genre",
            "single",
            label="Tu es…",
            categories=("fille", "garcon"),
            category_labels={"fille": "Une fille", "garcon": "Un garçon"},
        )
    ]
)
FRENCH = {
    "Channel": "Canal",
    "Answered from": "Répondu à partir du",
    "or": "ou",
    "Filter: %(filters)s": "Filtre : %(filters)s",
}


def test_each_value_is_a_part_labelled_by_its_question_and_its_choice():
    parts = filter_parts([Filter("genre", ("fille", "garcon"))], CODEBOOK)
    assert [(p.key, p.value, p.label, p.value_label) for p in parts] == [
        ("genre", "fille", "Tu es…", "Une fille"),
        ("genre", "garcon", "Tu es…", "Un garçon"),
    ]


def test_meta_filters_and_dates_are_labelled_in_the_reader_s_language():
    conditions = [Filter("channel", ("web",)), DateRange(date(2013, 3, 4), None)]
    parts = filter_parts(conditions, CODEBOOK, FRENCH.get)
    assert [(p.key, p.label, p.value_label) for p in parts] == [
        ("channel", "Canal", "web"),
        ("from", "Répondu à partir du", "04/03/2013"),
    ]


def test_the_filter_in_one_line_joins_values_with_or():
    parts = filter_parts([Filter("genre", ("fille",))], CODEBOOK)
    assert describe_filters(parts, FRENCH.get) == "Filtre : Tu es… = Une fille"
    both = filter_parts(
        [Filter("genre", ("fille", "garcon")), Filter("channel", ("web",))], CODEBOOK
    )
    assert describe_filters(both) == "Filter: Tu es… = Une fille or Un garçon · Channel = web"
    assert describe_filters([]) == ""
