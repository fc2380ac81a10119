"""Cross-tabulation of two categorical questions, formatted for the page."""

from dataclasses import dataclass

import pandas as pd

from analysis.charts import Chart, crosstab_chart
from analysis.crosstab import CrossTab, crosstab
from analysis.disclosure import suppress_crosstab
from analysis.formats import format_number
from analysis.problems import Problem
from analysis.weights import weighted_crosstab
from surveys.results.cache import ResultsData
from surveys.results.filters import Filtered
from surveys.results.messages import Message, explain, gettext_for
from surveys.results.tables import Table, _cell
from surveys.results.weighting import weights_key


@dataclass(frozen=True)
class CrossTabView:
    table: CrossTab
    counts: Table
    row_shares: Table
    column_shares: Table
    p_value: str
    cramers_v: str
    significant: bool | None
    small_expected: bool
    multiple_response: bool
    alt_text: str


def choosable(data: ResultsData) -> list[tuple[str, str]]:
    """Variables that can be cross-tabulated or compared: (name, label)."""
    return [(v.name, v.label) for v in data.codebook.categorical()]


def check_pair(data: ResultsData, row: str, column: str) -> list[Message]:
    problems = []
    for name in (row, column):
        variable = data.codebook.get(name)
        if variable is None:
            problems.append(Problem("RESULTS_UNKNOWN_QUESTION", name))
        elif not variable.is_categorical:
            problems.append(Problem("RESULTS_NOT_CATEGORICAL", name))
    if not problems and row == column:
        problems.append(Problem("RESULTS_SAME_QUESTION", column))
    return explain(problems)


def crosstab_of(
    data: ResultsData,
    applied: Filtered,
    row: str,
    column: str,
    k: int | None = None,
    weights: pd.Series | None = None,
) -> CrossTab:
    """The cross-tab (suppressed below ``k``; weighted shares and Rao–Scott with weights)."""

    def build() -> CrossTab:
        table = crosstab(applied.frame, data.codebook[row], data.codebook[column])
        table = suppress_crosstab(table, k) if k else table
        return table if weights is None else weighted_crosstab(table, applied.frame, weights)

    return data.memo(("crosstab", applied.key, row, column, k, weights_key(weights)), build)


def crosstab_chart_of(data, applied, row, column, k=None, weights=None) -> Chart:
    table = crosstab_of(data, applied, row, column, k, weights)
    key = ("crosstab-chart", applied.key, row, column, k, weights_key(weights))
    return data.memo(key, lambda: crosstab_chart(table, data.lang))


def crosstab_view(
    data: ResultsData,
    applied: Filtered,
    row: str,
    column: str,
    k: int | None = None,
    weights: pd.Series | None = None,
) -> CrossTabView:
    table = crosstab_of(data, applied, row, column, k, weights)
    lang = data.lang
    _ = gettext_for(lang)
    rows, columns = list(table.row.categories), list(table.column.categories)
    row_labels, column_labels = list(table.row.labels()), list(table.column.labels())
    headers = (table.row.label, *column_labels)

    def grid(frame: pd.DataFrame, share: bool, totals: pd.Series | None) -> Table:
        body = []
        for value, label in zip(rows, row_labels, strict=True):
            cells = [_cell(frame.loc[value, c], share, lang, table.k) for c in columns]
            if totals is not None:
                cells.append(_cell(totals.loc[value], False, lang, table.k))
            body.append((label, *cells))
        return Table(headers + ((_("Total"),) if totals is not None else ()), tuple(body))

    counts = grid(table.counts, False, table.row_totals)
    total_row = (
        _("Total"),
        *(_cell(table.column_totals.loc[c], False, lang, table.k) for c in columns),
        _cell(None, False, lang, table.k) if table.withheld else format_number(table.n, lang),
    )
    counts = Table(counts.headers, counts.rows + (total_row,), _("Number of respondents"))
    test = table.test
    chart = crosstab_chart_of(data, applied, row, column, k, weights)
    return CrossTabView(
        table=table,
        counts=counts,
        row_shares=Table(
            grid(table.row_shares, True, None).headers,
            grid(table.row_shares, True, None).rows,
            _("Share of each row"),
        ),
        column_shares=Table(
            grid(table.column_shares, True, None).headers,
            grid(table.column_shares, True, None).rows,
            _("Share of each column"),
        ),
        p_value=format_number(round(test.p_value, 3), lang, 3) if test else "",
        cramers_v=format_number(round(test.cramers_v, 2), lang, 2) if test else "",
        significant=(test.p_value < 0.05) if test else None,
        small_expected=bool(test and test.small_expected),
        multiple_response=bool(test and test.multiple_response),
        alt_text=chart.alt_text,
    )
