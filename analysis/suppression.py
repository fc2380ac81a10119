"""Small-cell suppression for everything shown beyond the commission.

Primary suppression hides every count of 1..k-1 respondents. Complementary suppression then
makes sure no hidden count can be worked out from the shown totals: every *line* — a set of
cells tied by one published sum, i.e. a row or a column together with its total — holds either
no hidden cell or at least two. While some line holds exactly one, the smallest other count of
that line is hidden too (a non-zero inner cell first, since hiding a zero protects little, then a
zero, then the total itself), until nothing changes.

Zeros are shown by default: a zero names nobody. ``suppress_zeros=True`` hides them as well.
This is the usual line-by-line rule of statistical offices, not a full audit by linear
programming: hidden cells spread over several lines could, in rare patterns, still be bounded
more tightly than "< k".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.crosstab import CrossTab
from analysis.formats import below_k, format_number
from analysis.summaries import Summary
from analysis.waves import WaveComparison

K = 5
TOTAL_KEY = "(total)"  # index label of the margins in suppressed tables


@dataclass(frozen=True)
class SuppressedCounts:
    """A 1-D count table (categories, then ``TOTAL_KEY`` if it has a total) and its mask."""

    counts: pd.Series
    hidden: pd.Series
    k: int

    def shown(self) -> pd.Series:
        """Counts with the hidden ones as NA."""
        return self.counts.astype("Int64").mask(self.hidden)

    def display(self, lang: str = "fr") -> pd.Series:
        """Counts as text, hidden ones as "< k"."""
        return _display(self.counts, self.hidden, self.k, lang)


@dataclass(frozen=True)
class SuppressedTable:
    """A 2-D count table with its margins (``TOTAL_KEY`` row/column) and its mask."""

    counts: pd.DataFrame
    hidden: pd.DataFrame
    k: int

    def shown(self) -> pd.DataFrame:
        return self.counts.astype("Int64").mask(self.hidden)

    def display(self, lang: str = "fr") -> pd.DataFrame:
        return self.counts.apply(lambda col: _display(col, self.hidden[col.name], self.k, lang))


def _display(counts: pd.Series, hidden: pd.Series, k: int, lang: str) -> pd.Series:
    text = [
        below_k(k, lang) if h else format_number(int(c), lang)
        for c, h in zip(counts, hidden, strict=True)
    ]
    return pd.Series(text, index=counts.index, name=counts.name, dtype="string")


def protect_cells(
    values: np.ndarray,
    lines: Sequence[np.ndarray],
    k: int = K,
    *,
    margins: np.ndarray | None = None,
    suppress_zeros: bool = False,
) -> np.ndarray:
    """The hidden mask of a flat array of counts.

    ``lines`` are index arrays into ``values``, each the cells of one published sum (cells and
    total). ``margins`` marks the totals, taken as complements only when nothing else is left.
    """
    values = np.asarray(values, dtype=np.int64)
    margins = np.zeros(len(values), dtype=bool) if margins is None else np.asarray(margins)
    low = values < k if suppress_zeros else (values > 0) & (values < k)
    hidden = low.copy()
    # Cheaper cells to hide sort first: inner before margin, non-zero before zero, then small.
    cost = np.lexsort((values, values == 0, margins))
    rank = np.empty(len(values), dtype=np.int64)
    rank[cost] = np.arange(len(values))
    changed = True
    while changed:
        changed = False
        for line in lines:
            line_hidden = hidden[line]
            if line_hidden.sum() != 1:
                continue
            candidates = line[~line_hidden]
            hidden[candidates[np.argmin(rank[candidates])]] = True
            changed = True
    return hidden


def suppress_counts(
    counts: pd.Series, k: int = K, *, total: bool = True, suppress_zeros: bool = False
) -> SuppressedCounts:
    """Suppress a 1-D table of counts; with ``total``, its sum is published too (a line)."""
    values = counts.to_numpy(dtype=np.int64)
    if total:
        values = np.append(values, values.sum())
        index = [*counts.index, TOTAL_KEY]
        margins = np.zeros(len(values), dtype=bool)
        margins[-1] = True
        lines = [np.arange(len(values))]
    else:
        index, margins, lines = list(counts.index), None, []
    hidden = protect_cells(values, lines, k, margins=margins, suppress_zeros=suppress_zeros)
    return SuppressedCounts(
        counts=pd.Series(values, index=index, name=counts.name),
        hidden=pd.Series(hidden, index=index, name=counts.name),
        k=k,
    )


def suppress_table(
    counts: pd.DataFrame,
    k: int = K,
    *,
    row_totals: bool | pd.Series = True,
    column_totals: bool | pd.Series = True,
    grand_total: int | None = None,
    suppress_zeros: bool = False,
) -> SuppressedTable:
    """Suppress a 2-D table of counts together with its published margins.

    A margin is ``True`` (the sums of the cells), a Series (totals that are not plain sums,
    such as respondents of a multiple-choice table; treated as tied to the cells all the same,
    which only hides more) or ``False`` (not published: no line).
    """
    inner = counts.to_numpy(dtype=np.int64)
    r, c = inner.shape
    with_rows, with_columns = row_totals is not False, column_totals is not False
    rows_total = _margin(row_totals, inner.sum(axis=1))
    columns_total = _margin(column_totals, inner.sum(axis=0))
    full = np.zeros((r + with_columns, c + with_rows), dtype=np.int64)
    full[:r, :c] = inner
    if with_rows:
        full[:r, c] = rows_total
    if with_columns:
        full[r, :c] = columns_total
    if with_rows and with_columns:
        full[r, c] = grand_total if grand_total is not None else inner.sum()
    positions = np.arange(full.size).reshape(full.shape)
    lines = []
    if with_rows:
        lines += list(positions)  # each row with its total, the total row included
    if with_columns:
        lines += list(positions.T)
    margins = np.zeros(full.shape, dtype=bool)
    margins[r:, :] = True
    margins[:, c:] = True
    hidden = protect_cells(
        full.ravel(), lines, k, margins=margins.ravel(), suppress_zeros=suppress_zeros
    ).reshape(full.shape)
    index = [*counts.index, *([TOTAL_KEY] if with_columns else [])]
    columns = [*counts.columns, *([TOTAL_KEY] if with_rows else [])]
    return SuppressedTable(
        counts=pd.DataFrame(full, index=index, columns=columns),
        hidden=pd.DataFrame(hidden, index=index, columns=columns),
        k=k,
    )


def _margin(given: bool | pd.Series, sums: np.ndarray) -> np.ndarray:
    if isinstance(given, pd.Series):
        return given.to_numpy(dtype=np.int64)
    return sums


def suppress_summary(summary: Summary, k: int = K, *, suppress_zeros: bool = False) -> Summary:
    """The summary as it may leave the commission.

    Categorical: counts and shares of hidden categories become NA, ``hidden`` marks them; the
    total (valid n) is public anyway (the number of responses minus the non-answers), so it
    is never the complement. Numeric: every statistic is withheld when fewer than k answered
    (min and max name one person each, so they go whenever any statistic is shown for fewer
    than k). Text: words said fewer than k times are left out; the answers themselves are
    kept, choosing quotes is the commission's job. Dates: weeks with fewer than k are hidden.
    """
    kind = summary.variable.kind
    table = summary.table.copy()
    if summary.variable.is_categorical:
        result = suppress_counts(table["count"], k, suppress_zeros=suppress_zeros)
        # Inner cells always complement before the total does, so the mask of the categories
        # alone already holds 0 or >= 2 hidden cells whenever there are two categories or more.
        hidden = result.hidden.iloc[:-1].reset_index(drop=True)
        for column in ("count", "share", "share_of_mentions"):
            if column in table:
                table[column] = table[column].astype("Float64" if column != "count" else "Int64")
                table.loc[hidden.to_numpy(), column] = pd.NA
        return dataclasses.replace(summary, table=table, hidden=hidden, k=k)
    if kind == "numeric":
        hidden = pd.Series(summary.n_valid < k, index=table.index)
        if summary.n_valid < k:
            table["value"] = np.nan
            table.loc[table["statistic"] == "n", "value"] = summary.n_valid
            stats = {"n": summary.n_valid}
        else:
            stats = dict(summary.stats)
        return dataclasses.replace(summary, table=table, stats=stats, hidden=hidden, k=k)
    if kind == "text":
        table = table[table["count"] >= k].reset_index(drop=True)
        return dataclasses.replace(
            summary, table=table, hidden=pd.Series(False, index=table.index), k=k
        )
    result = suppress_counts(table["count"], k, total=False, suppress_zeros=suppress_zeros)
    hidden = result.hidden.reset_index(drop=True)
    table["count"] = table["count"].astype("Int64").mask(hidden.to_numpy())
    return dataclasses.replace(summary, table=table, hidden=hidden, k=k)


def suppress_crosstab(table: CrossTab, k: int = K, *, suppress_zeros: bool = False) -> CrossTab:
    """The cross-tab as it may leave the commission: hidden cells (and any hidden margin)
    lose their counts, shares and expected counts; ``hidden`` is the mask over the counts
    with their margins (``TOTAL_KEY`` row and column)."""
    result = suppress_table(
        table.counts,
        k,
        row_totals=table.row_totals,
        column_totals=table.column_totals,
        grand_total=table.n,
        suppress_zeros=suppress_zeros,
    )
    cells = result.hidden.loc[table.counts.index, table.counts.columns]
    # A share of a cell with a hidden total would give that total away.
    row_margin = result.hidden.loc[table.counts.index, TOTAL_KEY]
    column_margin = result.hidden.loc[TOTAL_KEY, table.counts.columns]
    row_hide = cells | np.asarray(row_margin)[:, None]
    column_hide = cells | np.asarray(column_margin)[None, :]
    test = table.test
    if test is not None:
        shown = ~cells.loc[test.expected.index, test.expected.columns]
        test = dataclasses.replace(test, expected=test.expected.where(shown))
    return dataclasses.replace(
        table,
        counts=table.counts.astype("Int64").mask(cells),
        row_totals=table.row_totals.astype("Int64").mask(row_margin),
        column_totals=table.column_totals.astype("Int64").mask(column_margin),
        row_shares=table.row_shares.mask(row_hide),
        column_shares=table.column_shares.mask(column_hide),
        test=test,
        hidden=result.hidden,
        k=k,
    )


def suppress_waves(
    comparison: WaveComparison, k: int = K, *, suppress_zeros: bool = False
) -> WaveComparison:
    """The wave comparison as it may leave the commission: hidden counts lose their share,
    and a change (with its test) is withheld when either of its two cells is hidden. The
    bases per wave are the published column totals; a wave's categories are not summed
    across waves, so rows have no total."""
    waves = list(comparison.waves)
    numeric = comparison.variable.kind == "numeric"
    if numeric:  # n is shown; a mean of fewer than k values is not
        cells = comparison.counts < k
        hidden = pd.concat(
            [cells, pd.DataFrame([[False] * len(waves)], index=[TOTAL_KEY], columns=waves)]
        )
    else:
        result = suppress_table(
            comparison.counts,
            k,
            row_totals=False,
            column_totals=comparison.bases,
            suppress_zeros=suppress_zeros,
        )
        hidden = result.hidden
        cells = hidden.loc[comparison.counts.index, waves]
    pairs = pd.DataFrame(
        {
            after: cells[before] | cells[after]
            for before, after in zip(waves, waves[1:], strict=False)
        },
        index=cells.index,
        columns=waves[1:],
    ).astype(bool)
    std = comparison.std.mask(cells) if comparison.std is not None else None
    return dataclasses.replace(
        comparison,
        counts=comparison.counts if numeric else comparison.counts.astype("Int64").mask(cells),
        values=comparison.values.mask(cells),
        changes=comparison.changes.mask(pairs),
        p_values=comparison.p_values.mask(pairs),
        significant=comparison.significant & ~pairs,
        std=std,
        hidden=hidden,
        k=k,
    )
