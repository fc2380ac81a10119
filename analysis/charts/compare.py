"""Charts that compare groups: cross-tabs and waves."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from analysis.charts.base import Chart, Style
from analysis.charts.layout import (
    _grouped,
    _join_items,
    _percent,
    _stacked,
    _title_line,
)
from analysis.crosstab import CrossTab
from analysis.formats import below_k, format_number, format_points, format_share
from analysis.i18n import gettext_for
from analysis.palette import diverging_colours, series_colours
from analysis.waves import WaveComparison


def crosstab_chart(table: CrossTab, lang: str = "fr", *, shares: str = "row") -> Chart:
    """A cross-tab as bars, one row per category of the row variable. When the column
    variable has one answer per person and shares are per row, each row is a bar of 100 %
    stacked by column category (compact, and read left to right); otherwise (several answers
    possible) grouped bars, one per column category, its length the share in % of the row's
    (``shares="row"``) or column's (``"column"``) respondents."""
    _ = gettext_for(lang)
    frame = table.row_shares if shares == "row" else table.column_shares
    values = frame.astype(float).fillna(0).to_numpy() * 100
    hidden = (
        table.hidden.loc[frame.index, frame.columns].to_numpy()
        if table.hidden is not None
        else np.zeros(values.shape, dtype=bool)
    )
    groups, series = list(table.row.labels()), list(table.column.labels())
    labels = [
        [
            below_k(table.k, lang) if hidden[i, j] else format_share(values[i, j] / 100, lang)
            for i in range(len(groups))
        ]
        for j in range(len(series))
    ]
    stacked = shares == "row" and table.column.kind != "multi" and not hidden.any()
    heading = f"{table.column.label} × {table.row.label}"
    # A scale reads from one end to the other: its shades, not unrelated colours.
    ordinal = table.column.kind == "ordinal"
    colours = diverging_colours(len(series)) if ordinal else series_colours(len(series))

    def draw(style: Style) -> Figure:
        title, subtitle = _title_line(heading, table.n, lang)
        if stacked:
            starts = np.hstack([np.zeros((len(groups), 1)), np.cumsum(values, axis=1)[:, :-1]])
            return _stacked(
                style, title=title, subtitle=subtitle, rows=groups, categories=series,
                colours=colours, shares=values, starts=starts,
                xlabel=_("Share of respondents"), lang=lang, diverging=False,
            )  # fmt: skip
        return _grouped(
            style, title=title, subtitle=subtitle, groups=groups, series=series,
            values=values, labels=labels, xlabel=_("Share of respondents"),
            fmt=_percent(lang), floor=10, lang=lang,
        )  # fmt: skip

    items = [
        f"{group}: " + ", ".join(f"{series[j]} {labels[j][i]}" for j in range(len(series)))
        for i, group in enumerate(groups)
    ]
    alt = _("Grouped bar chart of “{column}” by “{row}”, {n} respondents: {items}.").format(
        column=table.column.label,
        row=table.row.label,
        n=format_number(table.n, lang),
        items=_join_items(items, lang),
    )
    if table.test is not None:
        alt += " " + _("Chi-square test: p = {p}, Cramér's V = {v}.").format(
            p=format_number(round(table.test.p_value, 3), lang, 3),
            v=format_number(round(table.test.cramers_v, 2), lang, 2),
        )
    data = frame.copy()
    data.index = groups
    data.columns = series
    data.index.name = table.row.label
    return Chart(alt, data, draw)


def waves_chart(comparison: WaveComparison, lang: str = "fr") -> Chart:
    """Grouped bars comparing waves: one group per category (for a numeric variable, a single
    group of means), one bar per wave, its length the share in % (or the mean)."""
    _ = gettext_for(lang)
    variable = comparison.variable
    numeric = variable.kind == "numeric"
    scale = 1 if numeric else 100
    values = comparison.values.astype(float).fillna(0).to_numpy() * scale
    hidden = (
        comparison.hidden.loc[comparison.values.index, list(comparison.waves)].to_numpy()
        if comparison.hidden is not None
        else np.zeros(values.shape, dtype=bool)
    )
    groups = [_("Mean")] if numeric else list(variable.labels())
    waves = [str(w) for w in comparison.waves]

    def text(i: int, j: int) -> str:
        if hidden[i, j]:
            return below_k(comparison.k, lang)
        if numeric:
            return format_number(round(values[i, j], 1), lang)
        return format_share(values[i, j] / 100, lang)

    labels = [[text(i, j) for i in range(len(groups))] for j in range(len(waves))]

    def draw(style: Style) -> Figure:
        title, subtitle = _title_line(variable.label, int(comparison.bases.sum()), lang)
        fmt = (lambda v: format_number(v, lang)) if numeric else _percent(lang)
        return _grouped(
            style, title=title, subtitle=subtitle, groups=groups, series=waves, values=values,
            labels=labels, xlabel=_("Mean") if numeric else _("Share of respondents"), fmt=fmt,
            floor=1 if numeric else 10, lang=lang,
        )  # fmt: skip

    items = []
    for i, group in enumerate(groups):
        steps = " → ".join(labels[j][i] for j in range(len(waves)))
        if len(waves) > 1:
            change = comparison.changes.iloc[i, -1]
            significant = bool(comparison.significant.iloc[i, -1])
            if not np.isnan(change):
                verdict = _("significant") if significant else _("not significant")
                change_text = (
                    format_number(round(change, 1), lang)
                    if numeric
                    else format_points(change, lang)
                )
                steps += f" ({change_text}, {verdict})"
        items.append(f"{group}: {steps}")
    alt = _("Comparison of “{title}” across {count} waves ({waves}): {items}.").format(
        title=variable.label,
        count=len(waves),
        waves=", ".join(waves),
        items=_join_items(items, lang),
    )
    data = comparison.values.copy()
    data.index = groups
    return Chart(alt, data, draw)
