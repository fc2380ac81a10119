"""Charts of one question's answers: bars, likert/grid (diverging stacked bars), histogram."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from analysis.charts.base import Chart, Style
from analysis.charts.layout import (
    _bar_labels,
    _below_zero,
    _columns,
    _fit_limit,
    _hbar_frame,
    _hidden_of,
    _join_items,
    _omitted,
    _percent,
    _stacked,
    _title_line,
    _value_labels,
)
from analysis.charts.measure import text_size
from analysis.codebook import Variable
from analysis.formats import below_k, format_number, format_share
from analysis.frames import answered_mask, asked_mask
from analysis.i18n import gettext_for
from analysis.palette import PRIMARY, diverging_colours
from analysis.summaries import Summary


def bar_chart(summary: Summary, lang: str = "fr", *, sort: bool | None = None) -> Chart:
    """Horizontal bars of a single or multiple choice (or ordinal) summary: one bar per
    category, its width the share of respondents in %, labelled with share and count.
    Sorted largest first, except an ordinal scale which keeps its order."""
    _ = gettext_for(lang)
    variable = summary.variable
    table = summary.table.assign(hidden=_hidden_of(summary))
    if sort if sort is not None else variable.kind != "ordinal":
        table = table.sort_values("share", ascending=False, kind="stable", na_position="last")
    shares = table["share"].astype(float).fillna(0).to_numpy()
    counts = table["count"].astype("Float64").fillna(0).to_numpy(dtype=float)
    hidden = table["hidden"].to_numpy()
    labels = [str(label) for label in table["label"]]
    texts = _bar_labels(counts, shares, hidden, summary.k, lang)
    several = variable.kind == "multi"
    xlabel = (
        _("Share of respondents (several answers possible)")
        if several
        else _("Share of respondents")
    )

    def draw(style: Style) -> Figure:
        title, subtitle = _title_line(variable.label, summary.n_valid, lang)
        frame = _hbar_frame(
            style, title=title, subtitle=subtitle, labels=labels, xlabel=xlabel,
            right_px=text_size(format_share(1, lang, 0), style.font)[0] / 2,
            omitted_note=_omitted(lang),
        )  # fmt: skip
        n = frame.rows
        values = shares[:n] * 100
        plot = frame.plot(0, _fit_limit(values, texts[:n], frame.box[2], style, 10))
        y = np.arange(n)[::-1]  # first row on top
        for yi, value in zip(y, values, strict=True):
            plot.rect(0, yi - 0.35, value, 0.7, PRIMARY)
        frame.axis(plot, _percent(lang))
        _value_labels(plot, y, np.zeros(n), values, texts[:n], style, [PRIMARY] * n,
                      outside=True)  # fmt: skip
        return frame.figure

    items = [f"{label}: {text}" for label, text in zip(labels, texts, strict=True)]
    alt = _("Bar chart of “{title}”, {n} respondents: {items}.").format(
        title=variable.label, n=format_number(summary.n_valid, lang), items=_join_items(items, lang)
    )
    data = pd.DataFrame(
        {
            _("Answer"): labels,
            _("Number of respondents"): table["count"].astype("Int64").to_numpy(),
            _("Share of respondents"): table["share"].astype("Float64").to_numpy(),
        }
    )
    return Chart(alt, data, draw)


def item_label(label: str, title: str) -> str:
    """A grid row's own statement: "Stem — statement" without the stem the chart's title
    already shows."""
    for prefix in (f"{title} — ", f"{title} - ", f"{title}: "):
        if title and label.startswith(prefix) and len(label) > len(prefix):
            return label[len(prefix) :]
    return label


def likert_chart(
    summaries: Sequence[Summary], lang: str = "fr", *, title: str | None = None
) -> Chart:
    """Diverging stacked bars of ordinal items sharing one scale (the rows of a matrix, or
    one question): low categories extend left of zero, high ones right, the middle category
    of an odd scale straddles zero. One bar per item, labelled by its own statement (the
    question, said once, is the title), one segment per category."""
    _ = gettext_for(lang)
    first = summaries[0].variable
    categories, labels = first.categories, list(first.labels())
    k = len(categories)
    heading = title if title is not None else first.label
    items = [item_label(s.variable.label, heading) for s in summaries]
    shares = np.array(
        [s.table["share"].astype(float).fillna(0).to_numpy() * 100 for s in summaries]
    ).reshape(len(summaries), k)
    # Where each bar starts: everything below the middle, and half the middle, goes left.
    left_part = shares[:, : k // 2].sum(axis=1) + (shares[:, k // 2] / 2 if k % 2 else 0)
    starts = -left_part[:, None] + np.hstack(
        [np.zeros((len(summaries), 1)), np.cumsum(shares, axis=1)[:, :-1]]
    )
    counts = [s.n_valid for s in summaries]

    def draw(style: Style) -> Figure:
        t, subtitle = _title_line(heading, min(counts, default=0), lang, max(counts, default=0))
        return _stacked(
            style, title=t, subtitle=subtitle, rows=items, categories=labels,
            colours=diverging_colours(k), shares=shares, starts=starts,
            xlabel=_("Share of respondents"), lang=lang, diverging=True,
        )  # fmt: skip

    alt_items = [
        _("{item}: {share} in the top two").format(
            item=item, share=format_share(s.stats.get("top2_share", np.nan), lang)
        )
        for item, s in zip(items, summaries, strict=True)
    ]
    alt = _("Diverging bar chart of “{title}”, scale from “{low}” to “{high}”: {items}.").format(
        title=heading,
        low=labels[0] if labels else "",
        high=labels[-1] if labels else "",
        items=_join_items(alt_items, lang),
    )
    data = pd.DataFrame(shares / 100, columns=labels)
    data.insert(0, _("Item"), items)
    data[_("Respondents")] = [s.n_valid for s in summaries]
    data[_("Mean")] = [s.stats.get("mean", np.nan) for s in summaries]
    return Chart(alt, data, draw)


def histogram_chart(
    frame: pd.DataFrame,
    variable: Variable,
    lang: str = "fr",
    *,
    bins: int | str | Sequence[float] = "auto",
    k: int | None = None,
) -> Chart:
    """Histogram of a numeric variable: one bar per bin, its height the number of answers.
    With ``k``, bins of fewer than k answers are drawn empty and labelled "< k"."""
    _ = gettext_for(lang)
    values = frame[variable.name].to_numpy(dtype=float, na_value=np.nan)
    values = values[answered_mask(frame, variable) & asked_mask(frame, variable)]
    values = values[~np.isnan(values)]
    if len(values) and np.all(values == np.round(values)) and isinstance(bins, str):
        # Whole numbers (ratings 0-10, ages): one bin per value reads better than "auto".
        bins = np.arange(values.min() - 0.5, values.max() + 1.5)
    counts, edges = np.histogram(values, bins=bins if len(values) else 1)
    hidden = (counts > 0) & (counts < k) if k else np.zeros(len(counts), dtype=bool)
    heights = np.where(hidden, 0, counts)

    def draw(style: Style) -> Figure:
        title, subtitle = _title_line(variable.label, len(values), lang)
        ymax = float(heights.max(initial=0))
        plot = _columns(
            style, title, subtitle, _("Number of respondents"), ymax, (edges[0], edges[-1]), lang
        )
        for left_edge, w, h in zip(edges[:-1], np.diff(edges), heights, strict=True):
            if h:
                plot.rect(left_edge, 0, w, h, PRIMARY, edgecolor="white", linewidth=0.8)
        axis_w = plot.width
        span = edges[-1] - edges[0] or 1
        label_w = text_size(format_number(edges[-1]), style.font)[0]
        nbins = max(2, min(len(edges), int(axis_w // (label_w * 2.2))))
        integer = bool(np.all(edges == np.round(edges - 0.5) + 0.5) or np.all(edges % 1 == 0))
        ticks = [
            t
            for t in MaxNLocator(nbins=nbins, integer=integer).tick_values(edges[0], edges[-1])
            if edges[0] <= t <= edges[-1]
        ]
        plot.x_axis(
            ticks,
            [format_number(round(t, 2), lang) for t in ticks],
            style,
            grid=False,
            gap=_below_zero(style),
        )
        mark = below_k(k, lang) if k else ""
        mark_w = text_size(mark, style.value_font)[0] if mark else 0
        for left_edge, w, h in zip(edges[:-1], np.diff(edges), hidden, strict=True):
            if h and w / span * axis_w >= mark_w + 2:
                plot.text(left_edge + w / 2, plot.dy(2), mark, style.value_font, "value",
                          ha="center", va="bottom")  # fmt: skip
        return plot.figure

    if len(values):
        alt = _(
            "Histogram of “{title}”, {n} answers: mean {mean}, median {median}, "
            "from {min} to {max}."
        ).format(
            title=variable.label,
            n=format_number(len(values), lang),
            mean=format_number(round(values.mean(), 1), lang),
            median=format_number(float(np.median(values)), lang),
            min=format_number(values.min(), lang),
            max=format_number(values.max(), lang),
        )
    else:
        alt = _("Histogram of “{title}”: no answers.").format(title=variable.label)
    data = pd.DataFrame(
        {
            _("From"): edges[:-1],
            _("To"): edges[1:],
            _("Number of respondents"): pd.array(counts, dtype="Int64"),
        }
    )
    data.loc[hidden, _("Number of respondents")] = pd.NA
    return Chart(alt, data, draw)
