import pandas as pd
import pytest

from analysis.codebook import Codebook, Variable
from analysis.crosstab import chi_square, crosstab
from analysis.frames import frame_from_records
from tests.analysis.survey import GENDER, HOBBIES, SATISFACTION


def test_single_by_multi_counts_respondents_per_choice(frame):
    table = crosstab(frame, GENDER, HOBBIES)
    # Answered both: 1-4. Women 1 (sport, music), 2 (music); men 3 (all three), 4 (none).
    assert table.counts.to_dict("index") == {
        "f": {"sport": 1, "music": 2, "reading": 0},
        "m": {"sport": 1, "music": 1, "reading": 1},
    }
    assert table.n == 4
    assert list(table.row_totals) == [2, 2]
    assert list(table.column_totals) == [2, 3, 1]
    assert table.row_shares.loc["f"].tolist() == [0.5, 1.0, 0.0]
    assert table.column_shares["music"].tolist() == [2 / 3, 1 / 3]
    assert table.test.multiple_response


def test_single_by_single_shares(frame):
    table = crosstab(frame, SATISFACTION, GENDER)
    # 1: m; 2: (6 has no gender); 3: f; 4: f, m.
    assert table.counts.to_dict("list") == {"f": [0, 0, 1, 1], "m": [1, 0, 0, 1]}
    assert table.row_shares.loc["4"].tolist() == [0.5, 0.5]
    assert table.column_shares["f"].tolist() == [0, 0, 0.5, 0.5]
    assert not table.test.multiple_response


def test_chi_square_of_a_two_by_three_table_worked_by_hand():
    # Row totals 60, 60; column totals 30, 40, 50; n = 120.
    # Expected: 60 × 30 / 120 = 15, 60 × 40 / 120 = 20, 60 × 50 / 120 = 25 in each row.
    # Chi² = 2 × [(10-15)²/15 + 0 + (30-25)²/25] = 2 × (5/3 + 1) = 16/3.
    # dof = (2-1)(3-1) = 2; for 2 dof, p = exp(-chi²/2) = exp(-8/3).
    # Cramér's V = sqrt(chi² / (n × (min(2, 3) - 1))) = sqrt(16/3 / 120).
    observed = pd.DataFrame([[10, 20, 30], [20, 20, 20]])
    test = chi_square(observed)
    assert test.statistic == pytest.approx(16 / 3)
    assert test.dof == 2
    assert test.p_value == pytest.approx(0.0694835, rel=1e-5)  # exp(-8/3)
    assert test.cramers_v == pytest.approx((16 / 3 / 120) ** 0.5)
    assert test.expected.to_numpy().tolist() == [[15, 20, 25], [15, 20, 25]]
    assert not test.small_expected
    assert not test.yates


def test_two_by_two_is_uncorrected_unless_yates_is_asked():
    # Expected 25 everywhere. Pearson: 4 × 5²/25 = 4, p = 0.0455 (1 dof), V = sqrt(4/100).
    # Yates: 4 × (5 - 0.5)²/25 = 3.24.
    observed = pd.DataFrame([[20, 30], [30, 20]])
    plain = chi_square(observed)
    assert (plain.statistic, plain.dof, plain.yates) == (pytest.approx(4.0), 1, False)
    assert plain.p_value == pytest.approx(0.0455003, rel=1e-5)
    assert plain.cramers_v == pytest.approx(0.2)
    corrected = chi_square(observed, yates=True)
    assert (corrected.statistic, corrected.yates) == (pytest.approx(3.24), True)
    assert corrected.cramers_v == pytest.approx(0.2)


def test_small_expected_counts_raise_the_warning_flag():
    # Row totals 3, 27; column totals 15, 15; n = 30: expected 1.5 in the first row,
    # 2 cells of 4 (50 %) below 5.
    assert chi_square(pd.DataFrame([[1, 2], [14, 13]])).small_expected


def test_empty_rows_are_left_out_of_the_test_and_one_row_gives_none():
    assert chi_square(pd.DataFrame([[10, 20], [0, 0], [20, 10]])).dof == 1
    assert chi_square(pd.DataFrame([[10, 20], [0, 0]])) is None


def test_not_asked_and_unanswered_rows_are_left_out():
    a = Variable("a", "single", categories=("x", "y"), asked_column="a.asked")
    b = Variable("b", "single", categories=("u", "v"))
    rows = [
        {
            "response_id": 1,
            "campaign": "w",
            "submitted_at": "2013-01-01",
            "channel": "l",
            "a": "x",
            "b": "u",
        },
        {
            "response_id": 2,
            "campaign": "w",
            "submitted_at": "2013-01-01",
            "channel": "l",
            "a": "x",
            "b": None,
        },
        {
            "response_id": 3,
            "campaign": "w",
            "submitted_at": "2013-01-01",
            "channel": "l",
            "a": "y",
            "b": "v",
            "a.asked": False,
        },
    ]
    table = crosstab(frame_from_records(rows, Codebook((a, b))), a, b)
    assert table.n == 1
    assert int(table.counts.to_numpy().sum()) == 1
