import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from analysis.codebook import Codebook, Variable
from analysis.crosstab import crosstab
from analysis.frames import frame_from_records
from analysis.summaries import summarise
from analysis.suppression import (
    TOTAL_KEY,
    suppress_counts,
    suppress_crosstab,
    suppress_summary,
    suppress_table,
    suppress_waves,
)
from analysis.waves import compare_waves
from tests.analysis.survey import GENDER, HOBBIES, response


def test_a_small_cell_and_the_next_smallest_are_hidden_in_a_1d_table():
    result = suppress_counts(pd.Series([3, 12, 7, 20], index=list("abcd")))
    # Hiding 3 alone would leave it as total − 39; 7 is hidden with it.
    assert result.hidden.to_dict() == {
        "a": True,
        "b": False,
        "c": True,
        "d": False,
        TOTAL_KEY: False,
    }
    assert result.display("fr").tolist() == ["< 5", "12", "< 5", "20", "42"]
    assert result.shown().isna().tolist() == [True, False, True, False, False]


def test_zeros_are_shown_unless_asked_and_never_chosen_first_as_complement():
    result = suppress_counts(pd.Series([3, 0, 7, 20]))
    assert result.hidden.tolist() == [True, False, True, False, False]
    assert suppress_counts(pd.Series([3, 0, 7]), suppress_zeros=True).hidden.tolist() == [
        True,
        True,
        False,
        False,
    ]


def test_the_threshold_k_is_a_parameter():
    result = suppress_counts(pd.Series([8, 9, 30]), k=10)
    assert result.hidden.tolist() == [True, True, False, False]
    assert result.display("en").tolist()[:2] == ["< 10", "< 10"]


def test_complementary_suppression_in_a_2d_table_spreads_to_rows_and_columns():
    table = pd.DataFrame(
        [[3, 10, 12], [8, 9, 20], [15, 2, 30]], index=list("abc"), columns=list("xyz")
    )
    result = suppress_table(table)
    # 3 and 2 are primary; row a then needs 10, row c 15; columns x and y each hold two.
    assert result.hidden.to_numpy().astype(int).tolist() == [
        [1, 1, 0, 0],
        [0, 0, 0, 0],
        [1, 1, 0, 0],
        [0, 0, 0, 0],
    ]


def test_a_small_margin_is_itself_protected():
    table = pd.DataFrame([[2, 1], [10, 20]], index=["a", "b"], columns=["x", "y"])
    hidden = suppress_table(table).hidden
    assert hidden.loc["a", TOTAL_KEY]  # row a totals 3
    assert hidden.loc["a"].sum() >= 2 and hidden[TOTAL_KEY].sum() >= 2


@st.composite
def count_tables(draw):
    rows = draw(st.integers(1, 6))
    columns = draw(st.integers(1, 6))
    values = st.one_of(st.integers(0, 12), st.integers(0, 200))
    return draw(arrays(np.int64, (rows, columns), elements=values))


def lines_of(hidden: np.ndarray) -> list[np.ndarray]:
    return [*hidden, *hidden.T]


@settings(max_examples=300, deadline=None)
@given(count_tables(), st.integers(2, 10), st.booleans())
def test_no_shown_cell_is_below_k_and_no_hidden_cell_is_alone_in_its_line(values, k, zeros):
    result = suppress_table(pd.DataFrame(values), k, suppress_zeros=zeros)
    counts, hidden = result.counts.to_numpy(), result.hidden.to_numpy()
    shown = counts[~hidden]
    assert not ((shown < k) & ((shown > 0) | zeros)).any()
    # Every row and column of the table with its margins is one published sum: a single
    # hidden cell in it would be that sum minus the shown cells.
    for line in lines_of(hidden):
        assert line.sum() != 1


@settings(max_examples=200, deadline=None)
@given(arrays(np.int64, st.integers(1, 8), elements=st.integers(0, 40)), st.integers(2, 10))
def test_1d_tables_never_leave_a_lone_hidden_cell(values, k):
    result = suppress_counts(pd.Series(values), k)
    hidden, counts = result.hidden.to_numpy(), result.counts.to_numpy()
    assert not ((counts[~hidden] > 0) & (counts[~hidden] < k)).any()
    assert hidden.sum() != 1


def test_summary_hides_counts_and_shares_of_small_categories(frame):
    summary = suppress_summary(summarise(frame, HOBBIES), k=3)
    # Counts 2, 3, 1: 2 and 1 are below 3, 3 is shown.
    assert summary.hidden.tolist() == [True, False, True]
    assert summary.table["count"].isna().tolist() == [True, False, True]
    assert summary.table["share"].isna().tolist() == [True, False, True]
    assert summary.k == 3


def test_crosstab_hides_cells_shares_and_margins(frame):
    table = suppress_crosstab(crosstab(frame, GENDER, HOBBIES), k=2)
    # Counts f: 1 2 0 (total 2) / m: 1 1 1 (total 2); column totals 2 3 1; n = 4.
    # The ones go, the reading total (1) too; row f then needs a second: its 2 (the 0 would
    # protect nothing). With n published, the row totals 2 and 2 could then be worked out
    # from each other and the shown cells: they go as well, and every share with them.
    assert table.counts.isna().to_numpy().tolist() == [[True, True, False], [True, True, True]]
    assert table.row_shares.isna().to_numpy().all()
    assert table.column_totals.isna().tolist() == [True, False, True]
    assert table.row_totals.isna().all() and table.test is None
    assert table.hidden.shape == (3, 4)


def test_wave_changes_are_withheld_when_either_cell_is_hidden():
    answer = Variable("answer", "single", categories=("x", "y", "z"))
    counts = {"a": {"x": 10, "y": 2, "z": 7}, "b": {"x": 8, "y": 9, "z": 6}}
    rows = [
        response(f"{w}{c}{i}", w, "2014-01-01" if w == "a" else "2015-01-01", answer=c)
        for w, per_value in counts.items()
        for c, n in per_value.items()
        for i in range(n)
    ]
    comparison = compare_waves(frame_from_records(rows, Codebook((answer,))), answer)
    result = suppress_waves(comparison, k=5)
    # Wave a: 2 is below 5, and 7 goes with it so that the base (19) does not give it away.
    assert result.counts["a"].isna().tolist() == [False, True, True]
    assert result.values["a"].isna().tolist() == [False, True, True]
    assert result.counts["b"].tolist() == [8, 9, 6]
    assert result.changes["b"].isna().tolist() == [False, True, True]
    # published figures are rounded
    assert result.changes.loc["x", "b"] == pytest.approx((8 / 23 - 10 / 19) * 100, abs=0.01)
    assert not result.significant.loc[["y", "z"], "b"].any()
