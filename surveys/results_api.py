"""Results as plain JSON-ready data (the API's bodies): numbers, not formatted text.

With ``k`` (public scope) the figures are those of ``analysis.disclosure``: hidden counts are
``null`` (``hidden`` in the table), a question or table answered by fewer than k people is
``withheld`` with no figure, statistics come only with fully published tables, rounded; free
text answers are never included, only word counts of k or more.
"""

import math
from typing import Any

import numpy as np
import pandas as pd

from analysis.summaries import Summary
from surveys.results import Filtered, ResultsData, crosstab_of, question_label, summaries_of


def _number(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {str(c): _number(v) for c, v in zip(table.columns, row, strict=True)}
        for row in table.itertuples(index=False, name=None)
    ]


def _guard(value: Any, k: int | None) -> Any:
    """A count below k (but not zero, which names nobody) withheld in the public scope."""
    return None if k and isinstance(value, int) and 0 < value < k else value


def summary_json(summary: Summary) -> dict[str, Any]:
    variable = summary.variable
    k = summary.k
    table = summary.table
    if summary.hidden is not None and variable.is_categorical:
        table = table.assign(hidden=summary.hidden.to_numpy(dtype=bool))
    return {
        "name": variable.name,
        "label": variable.label,
        "kind": variable.kind,
        "n_valid": _guard(summary.n_valid, k),
        "n_no_answer": _guard(summary.n_no_answer, k),
        "n_not_asked": _guard(summary.n_not_asked, k),
        "suppressed_below": k,
        "withheld": summary.withheld,
        "stats": {
            name: _guard(v, k) if name == "n" else _number(v) for name, v in summary.stats.items()
        },
        "table": _records(table),
    }


def campaign_summary_json(data: ResultsData, applied: Filtered, k: int | None) -> dict[str, Any]:
    return {
        "campaign": data.campaign.slug,
        "name": data.campaign.name,
        "responses": len(applied.frame),
        "scope": "public" if k else "commission",
        "suppressed_below": k,
        "variables": [summary_json(s) for s in summaries_of(data, applied, k)],
    }


def question_json(
    data: ResultsData, applied: Filtered, question: str, k: int | None
) -> dict[str, Any]:
    names = {v.name for v in data.codebook.of_question(question)}
    return {
        "campaign": data.campaign.slug,
        "question": question,
        "label": question_label(data, question),
        "scope": "public" if k else "commission",
        "suppressed_below": k,
        "variables": [
            summary_json(s) for s in summaries_of(data, applied, k) if s.variable.name in names
        ],
    }


def _grid(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    return {str(r): {str(c): _number(frame.loc[r, c]) for c in frame.columns} for r in frame.index}


def crosstab_json(
    data: ResultsData, applied: Filtered, row: str, column: str, k: int | None
) -> dict[str, Any]:
    table = crosstab_of(data, applied, row, column, k)
    test = table.test
    return {
        "campaign": data.campaign.slug,
        "row": {"name": row, "label": table.row.label, "categories": list(table.row.categories)},
        "column": {
            "name": column,
            "label": table.column.label,
            "categories": list(table.column.categories),
        },
        "n": None if table.withheld else table.n,
        "withheld": table.withheld,
        "scope": "public" if k else "commission",
        "suppressed_below": k,
        "counts": _grid(table.counts),
        "row_totals": {str(i): _number(v) for i, v in table.row_totals.items()},
        "column_totals": {str(i): _number(v) for i, v in table.column_totals.items()},
        "row_shares": _grid(table.row_shares),
        "column_shares": _grid(table.column_shares),
        "test": None
        if test is None
        else {
            "chi_square": test.statistic,
            "p_value": test.p_value,
            "dof": test.dof,
            "cramers_v": test.cramers_v,
            "small_expected": test.small_expected,
            "multiple_response": test.multiple_response,
        },
    }
