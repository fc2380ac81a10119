"""Charts of summaries, cross-tabs, wave comparisons and responses over time.

Each chart is a :class:`Chart`: a matplotlib Figure (built directly, never through pyplot,
so concurrent requests share no state), a sentence of alt text giving its main figures, and
the table of its data for those who cannot see it. Counts suppressed upstream
(``hidden``) are drawn as empty bars labelled "< k".
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib
import matplotlib.dates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis.codebook import Variable
from analysis.crosstab import CrossTab
from analysis.formats import below_k, format_day, format_number, format_points, format_share
from analysis.frames import answered_mask, asked_mask
from analysis.i18n import gettext_for
from analysis.palette import PRIMARY, TEXT, diverging_colours, series_colours
from analysis.summaries import Summary
from analysis.waves import WaveComparison

WIDTH = 7.5  # inches: fills a slide or a page at 100 dpi without scaling the text
BAR_HEIGHT = 0.42
MAX_ALT_ITEMS = 8
_SAVE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Chart:
    figure: Figure
    alt_text: str
    data: pd.DataFrame


def to_svg(chart: Chart) -> bytes:
    """SVG with text kept as text (small, searchable, styled by the page's fonts)."""
    return _save(chart.figure, "svg", {"svg.fonttype": "none", "svg.hashsalt": "consult"})


def to_png(chart: Chart, dpi: int = 150) -> bytes:
    return _save(chart.figure, "png", {}, dpi=dpi)


def _save(figure: Figure, fmt: str, rc: dict, **kwargs) -> bytes:
    buffer = io.BytesIO()
    # savefig reads rcParams, which are process-wide: one save at a time.
    with _SAVE_LOCK, matplotlib.rc_context(rc):
        figure.savefig(buffer, format=fmt, metadata=_metadata(fmt), **kwargs)
    return buffer.getvalue()


def _metadata(fmt: str) -> dict:
    # No creation date: the same chart gives the same bytes (cacheable, testable).
    return {"Date": None} if fmt == "svg" else {"Software": None}


def _new_figure(rows: int) -> tuple[Figure, object]:
    figure = Figure(figsize=(WIDTH, 1.4 + BAR_HEIGHT * max(rows, 1)), layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=TEXT)
    return figure, axes


def _percent_axis(axis, lang: str) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: format_share(v / 100, lang, 0)))


def _title(axes, title: str, n: int, lang: str) -> None:
    _ = gettext_for(lang)
    subtitle = _("Respondents: {n}").format(n=format_number(n, lang))
    axes.set_title(f"{title}\n{subtitle}", loc="left", color=TEXT, fontsize=11)


def _bar_labels(counts, shares, hidden, k, lang) -> list[str]:
    return [
        below_k(k, lang) if h else f"{format_share(s, lang)} ({format_number(int(c), lang)})"
        for c, s, h in zip(counts, shares, hidden, strict=True)
    ]


def _hidden_of(summary: Summary) -> np.ndarray:
    if summary.hidden is None:
        return np.zeros(len(summary.table), dtype=bool)
    return summary.hidden.to_numpy(dtype=bool)


def _join_items(items: list[str], lang: str) -> str:
    _ = gettext_for(lang)
    shown = items[:MAX_ALT_ITEMS]
    text = "; ".join(shown)
    if len(items) > len(shown):
        text += "; " + _("and {n} more").format(n=len(items) - len(shown))
    return text


def bar_chart(summary: Summary, lang: str = "fr", *, sort: bool | None = None) -> Chart:
    """Horizontal bars of a single or multiple choice (or ordinal) summary: one bar per
    category, its width the share of respondents in %, labelled with share and count.
    Sorted largest first, except an ordinal scale which keeps its order."""
    _ = gettext_for(lang)
    variable = summary.variable
    table = summary.table.assign(hidden=_hidden_of(summary))
    if sort if sort is not None else variable.kind != "ordinal":
        table = table.sort_values("count", ascending=False, kind="stable", na_position="last")
    shares = table["share"].astype(float).fillna(0).to_numpy()
    counts = table["count"].astype("Float64").fillna(0).to_numpy(dtype=float)
    hidden = table["hidden"].to_numpy()
    figure, axes = _new_figure(len(table))
    y = np.arange(len(table))[::-1]  # first row on top
    bars = axes.barh(y, shares * 100, height=0.7, color=PRIMARY)
    axes.set_yticks(y, list(table["label"]))
    axes.bar_label(bars, _bar_labels(counts, shares, hidden, summary.k, lang), padding=3)
    axes.set_xlim(0, max(shares.max(initial=0) * 100 * 1.3, 10))
    _percent_axis(axes.xaxis, lang)
    several = variable.kind == "multi"
    axes.set_xlabel(
        _("Share of respondents (several answers possible)")
        if several
        else _("Share of respondents")
    )
    _title(axes, variable.label, summary.n_valid, lang)
    items = [
        f"{label}: {text}"
        for label, text in zip(
            table["label"], _bar_labels(counts, shares, hidden, summary.k, lang), strict=True
        )
    ]
    alt = _("Bar chart of “{title}”, {n} respondents: {items}.").format(
        title=variable.label, n=format_number(summary.n_valid, lang), items=_join_items(items, lang)
    )
    data = pd.DataFrame(
        {
            _("Answer"): list(table["label"]),
            _("Number of respondents"): table["count"].astype("Int64").to_numpy(),
            _("Share of respondents"): table["share"].astype("Float64").to_numpy(),
        }
    )
    return Chart(figure, alt, data)


def likert_chart(
    summaries: Sequence[Summary], lang: str = "fr", *, title: str | None = None
) -> Chart:
    """Diverging stacked bars of ordinal items sharing one scale (the rows of a matrix, or
    one question): low categories extend left of zero, high ones right, the middle category
    of an odd scale straddles zero. One bar per item, one segment per category."""
    _ = gettext_for(lang)
    first = summaries[0].variable
    categories, labels = first.categories, first.labels()
    k = len(categories)
    shares = np.array(
        [s.table["share"].astype(float).fillna(0).to_numpy() * 100 for s in summaries]
    ).reshape(len(summaries), k)
    # Where each bar starts: everything below the middle, and half the middle, goes left.
    left_part = shares[:, : k // 2].sum(axis=1) + (shares[:, k // 2] / 2 if k % 2 else 0)
    starts = -left_part[:, None] + np.hstack(
        [np.zeros((len(summaries), 1)), np.cumsum(shares, axis=1)[:, :-1]]
    )
    figure, axes = _new_figure(len(summaries) + 2)
    y = np.arange(len(summaries))[::-1]
    for j, (label, colour) in enumerate(zip(labels, diverging_colours(k), strict=True)):
        bars = axes.barh(y, shares[:, j], left=starts[:, j], height=0.7, color=colour, label=label)
        texts = [format_share(s / 100, lang, 0) if s >= 6 else "" for s in shares[:, j]]
        axes.bar_label(bars, texts, label_type="center", fontsize=8)
    axes.axvline(0, color=TEXT, linewidth=0.8)
    axes.set_yticks(y, [s.variable.label for s in summaries])
    reach = max(np.abs(starts).max(initial=0), (starts + shares).max(initial=0), 10)
    axes.set_xlim(-reach * 1.05, reach * 1.05)
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: format_share(abs(v) / 100, lang, 0))
    )
    axes.set_xlabel(_("Share of respondents"))
    figure.legend(loc="outside lower center", ncols=min(k, 5), frameon=False)
    n = max((s.n_valid for s in summaries), default=0)
    _title(axes, title if title is not None else first.label, n, lang)
    items = [
        _("{item}: {share} in the top two").format(
            item=s.variable.label, share=format_share(s.stats.get("top2_share", np.nan), lang)
        )
        for s in summaries
    ]
    alt = _("Diverging bar chart of “{title}”, scale from “{low}” to “{high}”: {items}.").format(
        title=title if title is not None else first.label,
        low=labels[0] if labels else "",
        high=labels[-1] if labels else "",
        items=_join_items(items, lang),
    )
    data = pd.DataFrame(shares / 100, columns=list(labels))
    data.insert(0, _("Item"), [s.variable.label for s in summaries])
    data[_("Respondents")] = [s.n_valid for s in summaries]
    data[_("Mean")] = [s.stats.get("mean", np.nan) for s in summaries]
    return Chart(figure, alt, data)


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
    figure, axes = _new_figure(6)
    bars = axes.bar(
        edges[:-1], heights, width=np.diff(edges), align="edge", color=PRIMARY, edgecolor="white"
    )
    axes.bar_label(bars, [below_k(k, lang) if h else "" for h in hidden], fontsize=8)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel(_("Number of respondents"))
    axes.set_xlabel(variable.label)
    _title(axes, variable.label, len(values), lang)
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
    return Chart(figure, alt, data)


def _grouped_bars(
    axes, groups: list[str], series: list[str], values: np.ndarray, labels: list[list[str]]
) -> None:
    """Horizontal bars: one group per row of ``values``, one bar per column (series)."""
    n_series = len(series)
    height = 0.8 / max(n_series, 1)
    y = np.arange(len(groups))[::-1]
    for j, (name, colour) in enumerate(zip(series, series_colours(n_series), strict=True)):
        offsets = y + 0.4 - height * (j + 0.5)
        bars = axes.barh(offsets, values[:, j], height=height * 0.95, color=colour, label=name)
        axes.bar_label(bars, labels[j], padding=2, fontsize=8)
    axes.set_yticks(y, groups)
    axes.figure.legend(loc="outside lower center", ncols=min(n_series, 5), frameon=False)


def crosstab_chart(table: CrossTab, lang: str = "fr", *, shares: str = "row") -> Chart:
    """Grouped bars of a cross-tab: one group per category of the row variable, one bar per
    category of the column variable, its length the share in % of the group's respondents
    (``shares="row"``) or of the column's (``"column"``)."""
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
    figure, axes = _new_figure(len(groups) * max(len(series), 1) * 0.6 + 1)
    _grouped_bars(axes, groups, series, values, labels)
    axes.set_xlim(0, max(values.max(initial=0) * 1.25, 10))
    _percent_axis(axes.xaxis, lang)
    axes.set_xlabel(_("Share of respondents"))
    _title(axes, f"{table.column.label} × {table.row.label}", table.n, lang)
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
    return Chart(figure, alt, data)


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
    waves = list(comparison.waves)

    def text(i: int, j: int) -> str:
        if hidden[i, j]:
            return below_k(comparison.k, lang)
        if numeric:
            return format_number(round(values[i, j], 1), lang)
        return format_share(values[i, j] / 100, lang)

    labels = [[text(i, j) for i in range(len(groups))] for j in range(len(waves))]
    figure, axes = _new_figure(len(groups) * len(waves) * 0.6 + 1)
    _grouped_bars(axes, groups, waves, values, labels)
    axes.set_xlim(0, max(values.max(initial=0) * 1.25, 10 if not numeric else 1))
    if numeric:
        axes.set_xlabel(_("Mean"))
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: format_number(v, lang)))
    else:
        _percent_axis(axes.xaxis, lang)
        axes.set_xlabel(_("Share of respondents"))
    _title(axes, variable.label, int(comparison.bases.sum()), lang)
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
    return Chart(figure, alt, data)


def timeline_chart(frame: pd.DataFrame, lang: str = "fr", *, by: str = "day") -> Chart:
    """Responses over time: one bar per day (``by="day"``) or ISO week (``"week"``, bars at
    the Monday), every period from the first to the last response, empty ones included."""
    _ = gettext_for(lang)
    submitted = pd.to_datetime(frame["submitted_at"]).dropna()
    if submitted.dt.tz is not None:
        submitted = submitted.dt.tz_localize(None)
    days = submitted.dt.normalize()
    if by == "week":
        days = days - pd.to_timedelta(days.dt.day_of_week, unit="D")
    step = pd.Timedelta(days=7 if by == "week" else 1)
    if len(days):
        periods = pd.date_range(days.min(), days.max(), freq=step)
    else:
        periods = pd.DatetimeIndex([])
    counts = days.value_counts().reindex(periods, fill_value=0)
    figure, axes = _new_figure(6)
    axes.bar(periods, counts.to_numpy(), width=step * 0.8, color=PRIMARY)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_locator(MaxNLocator(nbins=8))
    axes.xaxis.set_major_formatter(
        FuncFormatter(lambda v, _pos: format_day(matplotlib.dates.num2date(v).date(), lang))
    )
    axes.set_ylabel(_("Number of responses"))
    axes.set_xlabel(_("Week") if by == "week" else _("Day"))
    axes.set_title(_("Responses over time"), loc="left", color=TEXT, fontsize=11)
    if len(periods):
        busiest = counts.idxmax()
        alt = _(
            "Bar chart of responses over time: {n} responses from {start} to {end}; "
            "the most, {most}, on {busiest}."
        ).format(
            n=format_number(len(days), lang),
            start=format_day(periods[0].date(), lang),
            end=format_day(periods[-1].date(), lang),
            most=format_number(int(counts.max()), lang),
            busiest=format_day(busiest.date(), lang),
        )
    else:
        alt = _("Bar chart of responses over time: no responses yet.")
    data = pd.DataFrame(
        {
            _("Week") if by == "week" else _("Day"): periods.date,
            _("Number of responses"): counts.to_numpy(dtype=np.int64),
        }
    )
    return Chart(figure, alt, data)
