"""Disclosure control, tested as a property: an attacker holding everything published about a
table (shown cells, margins, bases, statistics) recovers no hidden cell."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from analysis.codebook import Codebook, Variable
from analysis.crosstab import chi_square, crosstab
from analysis.disclosure import (
    TOTAL_KEY,
    public_rows,
    published_margins,
    suppress_counts,
    suppress_crosstab,
    suppress_summaries,
    suppress_summary,
    suppress_table,
    suppress_waves,
)
from analysis.frames import frame_from_records
from analysis.summaries import describe_scale, summarise
from analysis.waves import compare_waves
from analysis.weights import margin_points
from tests.analysis.attack import counts_published, recovered, table_published
from tests.analysis.survey import response

K = 5


def published_table(result, n=None):
    """What a suppressed 2-D table publishes, as the attacker reads it."""
    counts, hidden = result.counts.to_numpy(), result.hidden.to_numpy()
    shown = np.where(hidden, None, counts).tolist()
    r, c = counts.shape[0] - 1, counts.shape[1] - 1
    return table_published(
        [row[:c] for row in shown[:r]],
        [row[c] for row in shown[:r]],
        shown[r][:c],
        shown[r][c] if n is None else n,
    )


# --- the oracle finds what the old outputs gave away -----------------------------------------


def test_the_attack_solves_a_lone_hidden_cell_beside_zeros():
    assert recovered(counts_published([None, 0, 0, 20], 23)) == {0: 3}


def test_the_attack_solves_hidden_cells_from_a_published_mean():
    counts = [12, None, 9, None, 30]  # a 1..5 scale, n = 56, mean published
    truth = [12, 3, 9, 2, 30]
    mean = round(describe_scale(np.array(truth))["mean"], 6)

    def same_mean(values):
        return round(describe_scale(np.array(values[:5]))["mean"], 6) == mean

    assert recovered(counts_published(counts, 56, check=same_mean)) == {1: 3, 3: 2}


def test_the_attack_solves_a_cross_tab_from_its_chi_square():
    truth = np.array([[3, 20, 2], [12, 4, 30]])
    published = chi_square(pd.DataFrame(truth)).statistic
    shown = [[None, 20, None], [12, None, 30]]

    def same_chi2(values):
        cells = np.array(values[:6]).reshape(2, 3)
        test = chi_square(pd.DataFrame(cells))
        return test is not None and abs(test.statistic - published) < 1e-9

    p = table_published(shown, [25, 46], [15, 24, 32], 71, check=same_chi2)
    assert recovered(p) == {0: 3, 2: 2, 4: 4}


# --- the property ----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(arrays(np.int64, st.integers(1, 6), elements=st.integers(0, 14)), st.integers(2, 5))
def test_no_hidden_cell_of_a_1d_table_can_be_recovered(values, k):
    result = suppress_counts(pd.Series(values), k)
    counts, hidden = result.counts.to_numpy(), result.hidden.to_numpy()
    shown = counts[~hidden]
    assert not ((shown > 0) & (shown < k)).any()
    if result.withheld:
        assert hidden.all()
        return
    cells = [None if h else int(c) for c, h in zip(counts[:-1], hidden[:-1], strict=True)]
    total = None if hidden[-1] else int(counts[-1])
    assert recovered(counts_published(cells, total)) == {}


@st.composite
def small_tables(draw):
    rows, columns = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    return draw(arrays(np.int64, (rows, columns), elements=st.integers(0, 12)))


@settings(max_examples=150, deadline=None)
@given(small_tables(), st.integers(2, 5))
def test_no_hidden_cell_of_a_2d_table_can_be_recovered(values, k):
    result = suppress_table(pd.DataFrame(values), k)
    counts, hidden = result.counts.to_numpy(), result.hidden.to_numpy()
    shown = counts[~hidden]
    assert not ((shown > 0) & (shown < k)).any()
    for line in [*hidden, *hidden.T]:
        assert line.sum() != 1
    assert recovered(published_table(result)) == {}


def _single(name, categories):
    return Variable(name, "single", categories=categories)


@settings(max_examples=60, deadline=None)
@given(small_tables())
def test_a_cross_tab_publishes_its_test_only_when_every_cell_is_shown(values):
    rows = _single("r", tuple(f"r{i}" for i in range(values.shape[0])))
    columns = _single("c", tuple(f"c{j}" for j in range(values.shape[1])))
    records = [
        response(f"{i}-{j}-{n}", "w", "2014-01-01", r=f"r{i}", c=f"c{j}")
        for (i, j), count in np.ndenumerate(values)
        for n in range(count)
    ]
    frame = frame_from_records(records, Codebook((rows, columns)))
    table = suppress_crosstab(crosstab(frame, rows, columns), K)
    if table.withheld:
        assert table.hidden.to_numpy().all() and table.test is None
        return
    if table.hidden.to_numpy().any():
        assert table.test is None
    elif table.test is not None:
        assert table.test.cramers_v == round(table.test.cramers_v, 2)
    counts = table.counts.to_numpy(dtype=object, na_value=None).tolist()
    p = table_published(
        counts,
        table.row_totals.to_numpy(dtype=object, na_value=None).tolist(),
        table.column_totals.to_numpy(dtype=object, na_value=None).tolist(),
        table.n,
    )
    assert recovered(p) == {}


# --- summaries -------------------------------------------------------------------------------


SCALE = Variable("scale", "ordinal", categories=("1", "2", "3", "4", "5"))
AGE = Variable("age", "numeric")


def _frame(variable, answers):
    records = [
        response(str(i), "w", "2014-01-01", **{variable.name: value})
        for i, value in enumerate(answers)
    ]
    return frame_from_records(records, Codebook((variable,)))


def test_a_scale_with_a_hidden_cell_publishes_no_mean():
    answers = ["1"] * 12 + ["2"] * 3 + ["3"] * 9 + ["4"] * 2 + ["5"] * 30
    summary = suppress_summary(summarise(_frame(SCALE, answers), SCALE), K)
    assert summary.hidden.tolist() == [False, True, False, True, False]
    assert summary.stats == {}
    full = ["1"] * 12 + ["2"] * 6 + ["3"] * 9 + ["4"] * 7 + ["5"] * 30
    summary = suppress_summary(summarise(_frame(SCALE, full), SCALE), K)
    assert not summary.hidden.any()
    assert summary.stats["mean"] == round(summary.stats["mean"], 2)


def test_a_base_below_k_withholds_the_whole_question():
    summary = suppress_summary(summarise(_frame(SCALE, ["2", "5", "5", None]), SCALE), K)
    assert summary.withheld and summary.n_valid is None and summary.stats == {}
    assert summary.table["count"].isna().all()


def test_numbers_publish_statistics_only_when_every_value_is_shared_by_k():
    common = [16] * 6 + [17] * 8 + [18] * 5
    summary = suppress_summary(summarise(_frame(AGE, common), AGE), K)
    assert summary.stats["min"] == 16 and summary.stats["max"] == 18
    summary = suppress_summary(summarise(_frame(AGE, [*common, 29]), AGE), K)
    assert summary.stats == {"n": 20}
    assert summary.table.set_index("statistic")["value"].drop("n").isna().all()


def test_the_split_of_non_answers_is_shown_only_when_neither_part_is_small():
    asked = dataclasses.replace(SCALE, asked_column="scale.asked")
    frame = pd.DataFrame({
        "scale.asked": [True] * 22 + [False] * 8,
        "scale": pd.Categorical(["1"] * 10 + ["5"] * 10 + [None] * 10, SCALE.categories),
    })  # fmt: skip
    summary = suppress_summary(summarise(frame, asked), K)
    assert summary.n_valid == 20 and summary.n_no_answer is None and summary.n_not_asked is None
    frame["scale.asked"] = [True] * 20 + [False] * 10
    summary = suppress_summary(summarise(frame, asked), K)
    assert (summary.n_no_answer, summary.n_not_asked) == (0, 10)


def test_blanks_of_a_question_asked_of_everyone_are_shown_being_the_responses_minus_the_base():
    """Nobody is "not asked" (a zero is never hidden), so hiding the blanks hid nothing: they
    are the number of responses minus the base, both published."""
    answers = ["1"] * 10 + ["5"] * 10 + [None] * 2
    summary = suppress_summary(summarise(_frame(SCALE, answers), SCALE), K)
    assert (summary.n_valid, summary.n_no_answer, summary.n_not_asked) == (20, 2, 0)
    assert summary.n_no_answer == summary.n_rows - summary.n_valid


def test_rows_asked_of_the_same_people_hide_their_split_together():
    """A grid's rows (and a question's "other" text) share who was asked: one row's shown
    "not asked" solved another's hidden "no answer" (the responses minus its base minus it)."""
    scale = ("1", "2", "3")
    rows = [Variable(f"g/{r}", "ordinal", categories=scale, asked_column="g.asked",
                     question="g") for r in ("a", "b")]  # fmt: skip
    alone = Variable("h", "ordinal", categories=scale, asked_column="h.asked", question="h")
    asked = [True] * 30 + [False] * 10
    frame = pd.DataFrame({
        "g.asked": asked, "h.asked": [True] * 40,
        "g/a": pd.Categorical(["1"] * 14 + ["3"] * 14 + [None] * 2 + [None] * 10, scale),
        "g/b": pd.Categorical(["2"] * 15 + ["3"] * 15 + [None] * 10, scale),
        "h": pd.Categorical(["1"] * 20 + ["2"] * 20, scale),
    })  # fmt: skip
    one_by_one = [suppress_summary(summarise(frame, v), K) for v in (*rows, alone)]
    a, b, _ = one_by_one
    assert a.n_no_answer is None and b.n_not_asked == 10  # what the attacker used
    assert a.n_rows - a.n_valid - b.n_not_asked == 2  # = a's hidden "no answer"
    published = suppress_summaries([summarise(frame, v) for v in (*rows, alone)], frame, K)
    for summary in published[:2]:
        assert summary.n_no_answer is None and summary.n_not_asked is None
        assert summary.n_valid is not None and not summary.withheld
    # asked of other people: its own split stands
    assert (published[2].n_no_answer, published[2].n_not_asked) == (0, 0)


def test_a_wave_with_fewer_than_k_respondents_is_withheld_whole():
    answer = _single("answer", ("x", "y", "z"))
    counts = {"a": {"x": 10, "y": 6, "z": 7}, "b": {"x": 0, "y": 0, "z": 1}}
    rows = [
        response(f"{w}{c}{i}", w, "2014-01-01" if w == "a" else "2015-01-01", answer=c)
        for w, per_value in counts.items()
        for c, n in per_value.items()
        for i in range(n)
    ]
    comparison = compare_waves(frame_from_records(rows, Codebook((answer,))), answer)
    result = suppress_waves(comparison, k=K)
    assert result.hidden["b"].all() and pd.isna(result.bases["b"])
    assert result.counts["b"].isna().all() and result.changes["b"].isna().all()
    assert result.counts["a"].tolist() == [10, 6, 7] and result.bases["a"] == 23
    assert not result.hidden.loc[TOTAL_KEY, "a"]


# --- margins of error ("± x pts" on a deck) -----------------------------------------------------

CHOICE = _single("choice", ("a", "b", "c", "d", "e"))


def _published_summary(values, variable=CHOICE):
    answers = [c for c, n in zip(variable.categories, values, strict=True) for _ in range(n)]
    return suppress_summary(summarise(_frame(variable, answers), variable), K)


def _margins_given(summary, cells, margins_of):
    """What ``margins_of`` would publish had the hidden cells held ``cells`` (the rest of the
    publication unchanged): the attacker's model of the margins of error."""
    n = summary.n_valid
    table = summary.table.copy()
    table["share"] = [c / n for c in cells]
    table["count"] = cells
    return margins_of(dataclasses.replace(summary, table=table))


def _attack_margins(summary, margins_of):
    cells = summary.table["count"].to_numpy(dtype=object, na_value=None).tolist()
    published = margins_of(summary)

    def same_margins(values):
        return _margins_given(summary, values[: len(cells)], margins_of) == published

    return recovered(counts_published(cells, summary.n_valid, check=same_margins))


def test_the_attack_solves_hidden_cells_from_margins_of_error_of_the_real_counts():
    """The oracle sees a leak through intervals: margins of error computed from the real
    counts, hidden ones included, name those counts."""
    truth = [12, 3, 9, 2, 30]
    summary = _published_summary(truth)
    assert summary.hidden.tolist() == [False, True, False, True, False]
    cells = summary.table["count"].to_numpy(dtype=object, na_value=None).tolist()

    def naive(counts):
        return [round(margin_points(c / 56, 56), 1) for c in counts]

    leaked = naive(truth)

    def same_margins(values):
        return naive(values[:5]) == leaked

    assert recovered(counts_published(cells, 56, check=same_margins)) == {1: 3, 3: 2}


@settings(max_examples=60, deadline=None)
@given(arrays(np.int64, 5, elements=st.integers(0, 14)))
def test_no_hidden_cell_can_be_recovered_from_the_published_margins_of_error(values):
    if not values.sum():
        return  # nobody answered: nothing is published
    summary = _published_summary(values.tolist())
    margins = published_margins(summary)
    if summary.withheld:
        assert margins == [None] * len(summary.table)
        return
    hidden = summary.hidden.to_numpy(dtype=bool)
    assert all((m is None) == h for m, h in zip(margins, hidden, strict=True))
    assert _attack_margins(summary, published_margins) == {}


def test_published_margins_use_the_rounded_share_and_the_effective_n_when_weighted():
    summary = _published_summary([40, 30, 20, 7, 3])
    margins = published_margins(summary)
    assert margins[4] is None  # 3 people: hidden
    assert margins[0] == round(margin_points(round(40 / 100, 3), 100), 1) == 9.4
    weighted = dataclasses.replace(summary, stats={"n_effective": 64.0})
    assert published_margins(weighted)[0] == round(margin_points(0.4, 64.0), 1)


# --- differencing ----------------------------------------------------------------------------


def test_public_rows_move_in_steps_of_k_per_wave():
    frame = pd.DataFrame(
        {"response_id": range(1, 15), "campaign": ["a"] * 7 + ["b"] * 7, "x": range(14)}
    )
    kept = public_rows(frame.iloc[::-1], k=5)
    assert sorted(kept["response_id"]) == [1, 2, 3, 4, 5, 8, 9, 10, 11, 12]
    for n in range(0, 14):
        assert len(public_rows(frame.iloc[:n], k=5, by=None)) == n // 5 * 5


@pytest.mark.parametrize("k", [2, 5])
def test_public_rows_never_differ_by_fewer_than_k(k):
    frame = pd.DataFrame({"response_id": range(40), "campaign": "a"})
    sizes = {len(public_rows(frame.iloc[:n], k)) for n in range(40)}
    assert all(b - a >= k for a, b in zip(sorted(sizes), sorted(sizes)[1:], strict=False))
