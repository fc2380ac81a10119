"""Cross-tabulation of two categorical variables, with a chi-square test of independence.

A multiple-choice variable enters as respondents per choice: a respondent who picked two
choices counts in both rows. Cells then no longer partition the respondents, so the
chi-square test is only indicative; ``ChiSquare.multiple_response`` says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.codebook import Variable
from analysis.frames import answered_mask, asked_mask, category_codes, indicators

# Cochran's rule of thumb for the chi-square approximation.
SMALL_EXPECTED = 5.0
SMALL_EXPECTED_SHARE = 0.2


@dataclass(frozen=True)
class ChiSquare:
    statistic: float
    p_value: float
    dof: int
    cramers_v: float
    expected: pd.DataFrame
    small_expected: bool  # >20 % of expected counts below 5, or any below 1
    yates: bool  # continuity correction applied (only ever on a 2×2 table)
    multiple_response: bool  # a multi variable is involved: indicative only


@dataclass(frozen=True)
class CrossTab:
    """``counts`` has the row variable's categories as index and the column variable's as
    columns (values, codebook order). ``row_totals``/``column_totals`` count respondents
    (for a multi variable they are not the sums of the cells). ``row_shares`` divide each cell
    by its row's respondents, ``column_shares`` by its column's. ``hidden`` is set by
    :func:`analysis.disclosure.suppress_crosstab`."""

    row: Variable
    column: Variable
    counts: pd.DataFrame
    row_totals: pd.Series
    column_totals: pd.Series
    n: int
    row_shares: pd.DataFrame
    column_shares: pd.DataFrame
    test: ChiSquare | None
    hidden: pd.DataFrame | None = None
    k: int | None = None
    withheld: bool = False  # fewer than k respondents: no figure may be shown


def one_hot(frame: pd.DataFrame, variable: Variable) -> np.ndarray:
    """(rows × categories) bool: the categories each respondent is counted in."""
    if variable.kind == "multi":
        picks = indicators(frame, variable)
    else:
        codes = category_codes(frame, variable)
        picks = np.zeros((len(frame), len(variable.categories)), dtype=bool)
        valid = codes >= 0
        picks[np.flatnonzero(valid), codes[valid]] = True
    return picks & asked_mask(frame, variable)[:, None]


def crosstab(
    frame: pd.DataFrame, row: Variable, column: Variable, *, yates: bool = False
) -> CrossTab:
    """Counts, shares and independence test of ``row`` × ``column``.

    Only respondents who answered both count. The test is Pearson's chi-square without
    continuity correction, also on 2×2 tables by default: Yates' correction is known to be
    over-conservative and would make the 2×2 statistic disagree with Cramér's V; pass
    ``yates=True`` to apply it to a 2×2 table (larger tables never get it).
    """
    if not (row.is_categorical and column.is_categorical):
        raise ValueError("crosstab needs two categorical variables")
    both = (
        answered_mask(frame, row)
        & answered_mask(frame, column)
        & asked_mask(frame, row)
        & asked_mask(frame, column)
    )
    r = one_hot(frame, row)[both].astype(np.int64)
    c = one_hot(frame, column)[both].astype(np.int64)
    counts = pd.DataFrame(r.T @ c, index=list(row.categories), columns=list(column.categories))
    counts.index.name, counts.columns.name = row.name, column.name
    # Respondents per category, counted among those who answered both questions.
    row_totals = pd.Series(r.sum(axis=0), index=counts.index, name="total")
    column_totals = pd.Series(c.sum(axis=0), index=counts.columns, name="total")
    with np.errstate(invalid="ignore", divide="ignore"):
        row_shares = counts.div(row_totals.where(row_totals > 0), axis=0)
        column_shares = counts.div(column_totals.where(column_totals > 0), axis=1)
    multiple = row.kind == "multi" or column.kind == "multi"
    return CrossTab(
        row=row,
        column=column,
        counts=counts,
        row_totals=row_totals,
        column_totals=column_totals,
        n=int(both.sum()),
        row_shares=row_shares,
        column_shares=column_shares,
        test=chi_square(counts, yates=yates, multiple_response=multiple),
    )


def chi_square(
    counts: pd.DataFrame, *, yates: bool = False, multiple_response: bool = False
) -> ChiSquare | None:
    """Chi-square test of independence of a count table; None when fewer than two non-empty
    rows or columns remain (nothing to compare). Empty rows and columns are left out, since
    their expected counts would be zero."""
    table = counts.loc[counts.sum(axis=1) > 0, counts.sum(axis=0) > 0]
    if table.shape[0] < 2 or table.shape[1] < 2:
        return None
    observed = table.to_numpy(dtype=float)
    correction = yates and observed.shape == (2, 2)
    from scipy import stats  # on use: a command that tests nothing never loads scipy

    result = stats.chi2_contingency(observed, correction=correction)
    expected = result.expected_freq
    n = observed.sum()
    # Cramér's V from the uncorrected statistic, so it never depends on the correction.
    pearson = ((observed - expected) ** 2 / expected).sum()
    v = float(np.sqrt(pearson / (n * (min(observed.shape) - 1))))
    small = bool((expected < SMALL_EXPECTED).mean() > SMALL_EXPECTED_SHARE or (expected < 1).any())
    return ChiSquare(
        statistic=float(result.statistic),
        p_value=float(result.pvalue),
        dof=int(result.dof),
        cramers_v=v,
        expected=pd.DataFrame(expected, index=table.index, columns=table.columns),
        small_expected=small,
        yates=correction,
        multiple_response=multiple_response,
    )
