import math

import pandas as pd
import pytest

from analysis.codebook import Codebook, Variable
from analysis.frames import frame_from_records
from analysis.summaries import count_by_week, summarise, summarise_all, summary_table
from tests.analysis.survey import AGE, CODEBOOK, COMMENT, GENDER, HOBBIES, SATISFACTION


def test_single_choice_counts_and_shares_over_valid_answers(frame):
    summary = summarise(frame, GENDER)
    assert (summary.n_valid, summary.n_no_answer, summary.n_not_asked) == (5, 1, 0)
    assert list(summary.table["value"]) == ["f", "m"]
    assert list(summary.table["label"]) == ["Woman", "Man"]
    assert list(summary.table["count"]) == [3, 2]
    assert list(summary.table["share"]) == [3 / 5, 2 / 5]


def test_multi_choice_shares_of_respondents_and_of_mentions(frame):
    summary = summarise(frame, HOBBIES)
    # Asked: 1-5 (6 was skipped); answered: 1-4 (4 picked none); 5 left it empty.
    assert (summary.n_valid, summary.n_no_answer, summary.n_not_asked) == (4, 1, 1)
    assert list(summary.table["count"]) == [2, 3, 1]
    assert list(summary.table["share"]) == [2 / 4, 3 / 4, 1 / 4]
    assert list(summary.table["share_of_mentions"]) == [2 / 6, 3 / 6, 1 / 6]


def test_ordinal_distribution_mean_median_and_top_two(frame):
    summary = summarise(frame, SATISFACTION)
    assert list(summary.table["count"]) == [1, 1, 1, 2]
    # Scores 1, 2, 3, 4, 4.
    assert summary.stats["mean"] == pytest.approx(14 / 5)
    assert summary.stats["median"] == 3
    assert summary.stats["median_position"] == 3
    assert summary.stats["top2_share"] == pytest.approx(3 / 5)


def test_ordinal_median_between_two_categories_is_their_midpoint():
    variable = Variable("s", "ordinal", categories=("1", "2", "3"))
    rows = [
        {"response_id": i, "campaign": "w", "submitted_at": "2013-01-01", "channel": "link", "s": s}
        for i, s in enumerate(["1", "1", "3", "3"])
    ]
    summary = summarise(frame_from_records(rows, Codebook((variable,))), variable)
    assert summary.stats["median"] == 2.0
    assert summary.stats["median_position"] == 1


def test_numeric_statistics(frame):
    summary = summarise(frame, AGE)
    stats = summary.stats
    assert (stats["n"], stats["min"], stats["max"]) == (5, 15, 30)
    assert stats["mean"] == pytest.approx(104 / 5)
    assert (stats["q1"], stats["median"], stats["q3"]) == (17, 20, 22)
    assert summary.n_no_answer == 1


def test_text_answers_and_frequent_words_without_stop_words(frame):
    summary = summarise(frame, COMMENT)
    # A blank answer counts as no answer.
    assert (summary.n_valid, summary.n_no_answer) == (2, 4)
    assert summary.answers == ("J'aime le sport", "Plus de sport !")
    assert summary.table.to_dict("list") == {"word": ["sport", "aime"], "count": [2, 1]}


def test_dates_are_counted_by_iso_week_including_empty_weeks():
    dates = pd.Series(pd.to_datetime(["2013-01-01", "2013-01-06", "2013-01-20"]))
    table = count_by_week(dates)
    assert list(table["week"]) == ["2013-W01", "2013-W02", "2013-W03"]
    assert list(table["count"]) == [2, 0, 1]
    assert list(table["week_start"].dt.strftime("%Y-%m-%d")) == [
        "2012-12-31",
        "2013-01-07",
        "2013-01-14",
    ]


def test_summarise_all_follows_codebook_order(frame):
    assert [s.variable.name for s in summarise_all(frame, CODEBOOK)] == list(CODEBOOK.names)


def test_display_table_reports_no_answer_and_not_asked_apart(frame):
    table = summary_table(summarise(frame, HOBBIES), lang="en")
    rows = dict(zip(table["Answer"], table["Number of respondents"], strict=True))
    assert rows == {
        "Sport": 2,
        "Music": 3,
        "Reading": 1,
        "Total": 4,
        "No answer": 1,
        "Not asked": 1,
    }


def test_display_table_is_in_french_by_default(frame):
    table = summary_table(summarise(frame, GENDER))
    assert list(table.columns) == ["Réponse", "Nombre de répondants", "Part des répondants"]
    assert list(table["Réponse"])[-2:] == ["Sans réponse", "Non posée"]


def test_empty_frame_gives_empty_shares():
    rows = []
    summary = summarise(frame_from_records(rows, Codebook((GENDER,))), GENDER)
    assert summary.n_valid == 0
    assert all(math.isnan(s) for s in summary.table["share"])
