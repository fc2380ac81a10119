"""Tables ready to print: every cell formatted in the reader's language, hidden cells "< k"."""

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from analysis.formats import below_k, format_number, format_share
from analysis.summaries import Summary, summary_rows
from surveys.results.messages import gettext_for


@dataclass(frozen=True)
class Table:
    """A table ready to print: headers and rows of text (numbers in the reader's format)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


def _cell(value: Any, share: bool, lang: str, k: int | None) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return below_k(k, lang) if (k and not share) else ("" if not k else below_k(k, lang))
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        return format_share(float(value), lang) if share else format_number(float(value), lang)
    return str(value)


def summary_view(summary: Summary, lang: str) -> Table:
    """The summary table of analysis, every cell formatted; hidden cells read "< k"."""
    _ = gettext_for(lang)
    bare = summary.table.drop(columns=["ci_low", "ci_high"], errors="ignore")
    columns, values = summary_rows(dataclasses.replace(summary, table=bare), lang)
    shares = {_("Share of respondents"), _("Share of mentions")}
    categorical = summary.variable.is_categorical
    rows = []
    hidden = summary.hidden.to_numpy() if summary.hidden is not None else None
    for i, row in enumerate(values):
        is_hidden = hidden is not None and i < len(hidden) and bool(hidden[i])
        cells = []
        for header, value in zip(columns, row, strict=True):
            if value is None and not (categorical and is_hidden):
                cells.append("")
            else:
                cells.append(_cell(value, header in shares, lang, summary.k if is_hidden else None))
        rows.append(tuple(cells))
    headers = tuple(columns)
    if "ci_low" in summary.table.columns and categorical:
        # the categories come first, then the total, no-answer and not-asked rows
        headers += (_("95 % interval"),)
        lows, highs = list(summary.table["ci_low"]), list(summary.table["ci_high"])
        rows = [
            row
            + (
                _interval(lows[i], highs[i], lang, hidden is not None and bool(hidden[i]))
                if i < len(lows)
                else "",
            )
            for i, row in enumerate(rows)
        ]
    return Table(headers, tuple(rows), summary.variable.label)


def _interval(low: float, high: float, lang: str, hidden: bool) -> str:
    if hidden or pd.isna(low) or pd.isna(high):
        return ""
    return f"{format_share(low, lang)} – {format_share(high, lang)}"
