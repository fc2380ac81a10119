import math

import pytest

from analysis.codebook import Codebook, Variable
from analysis.frames import frame_from_records
from analysis.waves import compare_waves, order_waves, two_proportion_p
from tests.analysis.survey import response

ANSWER = Variable("answer", "single", "Works?", ("yes", "no"))
SCORE = Variable("score", "numeric", "Score")
CODEBOOK = Codebook((ANSWER, SCORE))


def wave(campaign, day, yes, no, scores=()):
    answers = ["yes"] * yes + ["no"] * no
    rows = [response(f"{campaign}-{i}", campaign, day, answer=a) for i, a in enumerate(answers)]
    for row, score in zip(rows, scores, strict=False):
        row["score"] = score
    return rows


def test_shares_side_by_side_with_change_in_points_and_z_test():
    # 2014: 40 yes of 100; 2015: 55 of 100. Pooled share 0.475,
    # se = sqrt(0.475 × 0.525 × (1/100 + 1/100)) = 0.070622, z = 0.15 / se = 2.1240,
    # two-sided p = 0.0337 < 0.05: significant.
    frame = frame_from_records(
        wave("2015", "2015-03-01", 55, 45) + wave("2014", "2014-03-01", 40, 60), CODEBOOK
    )
    result = compare_waves(frame, ANSWER)
    assert result.waves == ("2014", "2015")  # by first submission, not row order
    assert result.bases.tolist() == [100, 100]
    assert result.values.loc["yes"].tolist() == [0.40, 0.55]
    assert result.changes.loc["yes", "2015"] == pytest.approx(15.0)
    assert result.changes.loc["no", "2015"] == pytest.approx(-15.0)
    assert result.p_values.loc["yes", "2015"] == pytest.approx(0.03367, abs=1e-4)
    assert bool(result.significant.loc["yes", "2015"])


def test_a_small_change_is_not_significant():
    frame = frame_from_records(
        wave("a", "2014-01-01", 40, 60) + wave("b", "2015-01-01", 44, 56), CODEBOOK
    )
    assert not compare_waves(frame, ANSWER).significant.loc["yes", "b"]


def test_waves_can_be_chosen_and_ordered():
    frame = frame_from_records(
        wave("a", "2014-01-01", 1, 1) + wave("b", "2015-01-01", 2, 0), CODEBOOK
    )
    result = compare_waves(frame, ANSWER, ["b", "a"])
    assert result.values.loc["yes"].tolist() == [1.0, 0.5]
    assert result.changes.loc["yes", "a"] == pytest.approx(-50.0)


def test_numeric_means_with_welch_test():
    scores_a = [1, 2, 3, 4, 5]  # mean 3, variance 2.5
    scores_b = [6, 7, 8, 9, 10]  # mean 8, variance 2.5
    frame = frame_from_records(
        wave("a", "2014-01-01", 5, 0, scores_a) + wave("b", "2015-01-01", 5, 0, scores_b),
        CODEBOOK,
    )
    result = compare_waves(frame, SCORE)
    assert result.values.loc["mean"].tolist() == [3.0, 8.0]
    assert result.changes.loc["mean", "b"] == 5.0
    # t = 5 / sqrt(2.5/5 + 2.5/5) = 5, Welch dof = 8: p = 0.00105.
    assert result.p_values.loc["mean", "b"] == pytest.approx(0.001052, abs=1e-5)
    assert bool(result.significant.loc["mean", "b"])


def test_two_proportion_p_of_identical_extremes_is_one_and_of_empty_wave_nan():
    assert two_proportion_p([0], 10, [0], 20).tolist() == [1.0]
    assert math.isnan(two_proportion_p([0], 0, [1], 20)[0])


def test_waves_are_ordered_by_first_submission(frame):
    assert order_waves(frame) == ("2013",)


def test_multi_choice_shares_per_wave_are_of_respondents():
    hobbies = Variable("hobbies", "multi", "Hobbies", ("sport", "music", "reading"))
    picks = {"a": [["sport"], ["sport", "music"]], "b": [["music"], [], ["sport"], ["music"]]}
    rows = [
        response(f"{w}{i}", w, "2014-01-01" if w == "a" else "2015-01-01", hobbies=p)
        for w, lists in picks.items()
        for i, p in enumerate(lists)
    ]
    result = compare_waves(frame_from_records(rows, Codebook((hobbies,))), hobbies)
    assert result.bases.tolist() == [2, 4]
    assert result.values.to_dict("list") == {"a": [1.0, 0.5, 0.0], "b": [0.25, 0.5, 0.0]}
    assert result.changes["b"].tolist() == pytest.approx([-75.0, 0.0, 0.0])
