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


# --- weighted waves: weighted shares, tests on each wave's effective n ------------------------


def weights_of(frame, by_id):
    import pandas as pd

    return pd.Series([by_id(i) for i in frame["response_id"]], index=frame.index, dtype=float)


def test_weighted_waves_test_changes_on_the_effective_n():
    # Wave 2014: 100 respondents, 50 weighing 2 (20 of them say yes) and 50 weighing 1 (10
    # yes): weighted yes share (40 + 10) / 150 = 1/3, effective n 150² / (50·4 + 50) = 90,
    # design effect 100 / 90. Wave 2015: 100 of weight 1, 50 yes: 1/2, effective n 100.
    # Pooled share (90/3 + 100/2) / 190 = 80/190; se = √(80/190 · 110/190 · (1/90 + 1/100))
    # = 0.071737; z = (1/2 − 1/3) / se = 2.3233; two-sided p = 0.02016.
    heavy = [f"2014-{i}" for i in range(20)] + [f"2014-{i}" for i in range(30, 60)]
    frame = frame_from_records(
        wave("2014", "2014-03-01", 30, 70) + wave("2015", "2015-03-01", 50, 50), CODEBOOK
    )
    weights = weights_of(frame, lambda rid: 2.0 if rid in heavy else 1.0)
    result = compare_waves(frame, ANSWER, weights=weights)
    assert result.bases.tolist() == [100, 100]  # respondents, not weights
    assert result.counts.loc["yes"].tolist() == [30, 50]
    assert result.values.loc["yes", "2014"] == pytest.approx(1 / 3)
    assert result.n_effective.tolist() == pytest.approx([90.0, 100.0])
    assert result.deff.tolist() == pytest.approx([100 / 90, 1.0])
    assert result.changes.loc["yes", "2015"] == pytest.approx(50 - 100 / 3)
    assert result.p_values.loc["yes", "2015"] == pytest.approx(0.02016, abs=1e-4)
    # the same shares on the nominal n would look more certain than they are
    nominal = two_proportion_p([100 / 3], 100, [50], 100)[0]
    assert nominal < result.p_values.loc["yes", "2015"]


def test_equal_weights_give_the_unweighted_comparison():
    frame = frame_from_records(
        wave("2014", "2014-03-01", 40, 60, range(100))
        + wave("2015", "2015-03-01", 55, 45, range(3, 103)),
        CODEBOOK,
    )
    weights = weights_of(frame, lambda rid: 3.0 if rid.startswith("2014") else 0.5)
    for variable in (ANSWER, SCORE):
        plain = compare_waves(frame, variable)
        weighted = compare_waves(frame, variable, weights=weights)
        assert weighted.values.to_numpy() == pytest.approx(plain.values.to_numpy())
        assert weighted.p_values.to_numpy() == pytest.approx(plain.p_values.to_numpy())
        assert weighted.deff.tolist() == pytest.approx([1.0, 1.0])
        assert plain.n_effective is None and plain.deff is None


def test_a_weighted_mean_is_tested_with_welch_on_the_effective_n():
    # Wave a: scores 1..4, weights 1, 1, 1, 3: mean (1 + 2 + 3 + 12) / 6 = 3, weighted
    # variance (4 + 1 + 0 + 3·1) / 6 = 4/3, times n/(n−1) = 16/9, effective n 36/12 = 3.
    # Wave b: scores 6..9, weights 1: mean 7.5, variance 5/3, n 4. se² = 16/27 + 5/12,
    # t = 4.5 / √(1.00926) = 4.4793, Welch dof = 1.00926² / ((16/27)²/2 + (5/12)²/3) = 4.3632,
    # two-sided p = 0.00900 (unweighted, Welch gives 0.0015: the weights cost precision).
    frame = frame_from_records(
        wave("a", "2014-01-01", 4, 0, [1, 2, 3, 4]) + wave("b", "2015-01-01", 4, 0, [6, 7, 8, 9]),
        CODEBOOK,
    )
    weights = weights_of(frame, lambda rid: 3.0 if rid == "a-3" else 1.0)
    result = compare_waves(frame, SCORE, weights=weights)
    assert result.values.loc["mean"].tolist() == pytest.approx([3.0, 7.5])
    assert result.counts.loc["mean"].tolist() == [4, 4]
    assert result.std.loc["mean", "a"] == pytest.approx(4 / 3)
    assert result.n_effective.tolist() == pytest.approx([3.0, 4.0])
    assert result.p_values.loc["mean", "b"] == pytest.approx(0.00900, abs=1e-4)
