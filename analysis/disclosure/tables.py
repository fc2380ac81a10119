"""1-D and 2-D count tables protected with their margins."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.disclosure.audit import K, Line, protect
from analysis.formats import below_k, format_number

TOTAL_KEY = "(total)"  # index label of the margins in suppressed tables


@dataclass(frozen=True)
class SuppressedCounts:
    """A 1-D count table (categories, then ``TOTAL_KEY`` if it has a total) and its mask."""

    counts: pd.Series
    hidden: pd.Series
    k: int
    withheld: bool = False

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
    withheld: bool = False

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
    """The hidden mask of a flat array of counts whose ``lines`` are index arrays, each ending
    with the cell holding the sum of the others (everything hidden when it cannot be
    protected)."""
    values = np.asarray(values, dtype=np.int64)
    as_lines = [Line(tuple(int(i) for i in line[:-1]), int(line[-1])) for line in lines]
    hidden = protect(values, as_lines, k, margins=margins, suppress_zeros=suppress_zeros)
    return np.ones(len(values), dtype=bool) if hidden is None else hidden


def suppress_counts(
    counts: pd.Series, k: int = K, *, total: bool = True, suppress_zeros: bool = False
) -> SuppressedCounts:
    """Suppress a 1-D table of counts; with ``total``, its sum is published too (a line).
    A table whose total is below k is withheld (every cell hidden)."""
    values = counts.to_numpy(dtype=np.int64)
    if total:
        values = np.append(values, values.sum())
        index = [*counts.index, TOTAL_KEY]
        margins = np.zeros(len(values), dtype=bool)
        margins[-1] = True
        lines = [Line(tuple(range(len(values) - 1)), len(values) - 1)]
    else:
        index, margins, lines = list(counts.index), None, []
    hidden = None
    if not total or values[-1] >= k or (values[-1] == 0 and not suppress_zeros):
        hidden = protect(values, lines, k, margins=margins, suppress_zeros=suppress_zeros)
    withheld = hidden is None
    if withheld:
        hidden = np.ones(len(values), dtype=bool)
    return SuppressedCounts(
        counts=pd.Series(values, index=index, name=counts.name),
        hidden=pd.Series(hidden, index=index, name=counts.name),
        k=k,
        withheld=withheld,
    )


def table_lines(
    r: int, c: int, *, with_rows: bool, with_columns: bool, rows_exact: bool, columns_exact: bool
) -> list[Line]:
    """Lines of an r×c table laid out with its margins: row totals in column c, column totals
    in row r, the grand total at (r, c) (flat indices, row-major over (r+1)×(c+1))."""
    width = c + with_rows
    at = lambda i, j: i * width + j  # noqa: E731
    lines = []
    if with_rows:
        lines += [Line(tuple(at(i, j) for j in range(c)), at(i, c), rows_exact) for i in range(r)]
    if with_columns:
        lines += [
            Line(tuple(at(i, j) for i in range(r)), at(r, j), columns_exact) for j in range(c)
        ]
    if with_rows and with_columns:
        # the grand total: the sum of the row totals when each person is in one row, and
        # the sum of the column totals when each is in one column
        if columns_exact:
            lines.append(Line(tuple(at(i, c) for i in range(r)), at(r, c), True))
        if rows_exact:
            lines.append(Line(tuple(at(r, j) for j in range(c)), at(r, c), True))
    return lines


def suppress_table(
    counts: pd.DataFrame,
    k: int = K,
    *,
    row_totals: bool | pd.Series = True,
    column_totals: bool | pd.Series = True,
    grand_total: int | None = None,
    suppress_zeros: bool = False,
    rows_exact: bool = True,
    columns_exact: bool = True,
    fixed_grand_total: bool = False,
) -> SuppressedTable:
    """Suppress a 2-D table of counts together with its published margins.

    A margin is ``True`` (the sums of the cells), a Series (respondents per row or column of
    a multiple-choice table, not the sums: then ``rows_exact``/``columns_exact`` is False) or
    ``False`` (not published: no line). ``rows_exact`` says each row's cells add up to its
    total (each person in one column), ``columns_exact`` the same of columns.
    """
    inner = counts.to_numpy(dtype=np.int64)
    r, c = inner.shape
    with_rows, with_columns = row_totals is not False, column_totals is not False
    full = np.zeros((r + with_columns, c + with_rows), dtype=np.int64)
    full[:r, :c] = inner
    if with_rows:
        full[:r, c] = _margin(row_totals, inner.sum(axis=1))
    if with_columns:
        full[r, :c] = _margin(column_totals, inner.sum(axis=0))
    if with_rows and with_columns:
        full[r, c] = grand_total if grand_total is not None else inner.sum()
    lines = table_lines(
        r,
        c,
        with_rows=with_rows,
        with_columns=with_columns,
        rows_exact=rows_exact and not isinstance(row_totals, pd.Series),
        columns_exact=columns_exact and not isinstance(column_totals, pd.Series),
    )
    margins = np.zeros(full.shape, dtype=bool)
    margins[r:, :] = True
    margins[:, c:] = True
    fixed = np.zeros(full.shape, dtype=bool)
    if fixed_grand_total and with_rows and with_columns:
        fixed[r, c] = True
    hidden = protect(
        full.ravel(),
        lines,
        k,
        margins=margins.ravel(),
        fixed=fixed.ravel(),
        suppress_zeros=suppress_zeros,
    )
    withheld = hidden is None
    mask = np.ones(full.shape, dtype=bool) if withheld else hidden.reshape(full.shape)
    index = [*counts.index, *([TOTAL_KEY] if with_columns else [])]
    columns = [*counts.columns, *([TOTAL_KEY] if with_rows else [])]
    return SuppressedTable(
        counts=pd.DataFrame(full, index=index, columns=columns),
        hidden=pd.DataFrame(mask, index=index, columns=columns),
        k=k,
        withheld=withheld,
    )


def _margin(given: bool | pd.Series, sums: np.ndarray) -> np.ndarray:
    if isinstance(given, pd.Series):
        return given.to_numpy(dtype=np.int64)
    return sums
