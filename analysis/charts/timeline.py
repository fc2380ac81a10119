"""Responses over time."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis.charts.base import Chart, Style
from analysis.charts.layout import (
    _below_zero,
    _columns,
)
from analysis.charts.measure import text_size
from analysis.formats import format_day, format_number
from analysis.i18n import gettext_for
from analysis.palette import PRIMARY

SPARSE_DAYS = 0.5  # per-day bars when at least half the days of the span had a response


def timeline_period(frame: pd.DataFrame) -> str:
    """``"day"`` when responses came on most days of their span, else ``"week"``: a span of
    sparse days drawn per day is a comb of thin bars and a long table of zeros."""
    submitted = pd.to_datetime(frame["submitted_at"]).dropna()
    if submitted.empty:
        return "day"
    days = submitted.dt.normalize()
    span = (days.max() - days.min()).days + 1
    return "day" if span <= 14 or days.nunique() / span >= SPARSE_DAYS else "week"


def timeline_chart(frame: pd.DataFrame, lang: str = "fr", *, by: str | None = None) -> Chart:
    """Responses over time: one bar per day (``by="day"``) or ISO week (``"week"``, bars at
    the Monday; ``None`` chooses, see :func:`timeline_period`), every period from the first
    to the last response, empty ones included."""
    _ = gettext_for(lang)
    by = by or timeline_period(frame)
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

    def draw(style: Style) -> Figure:
        title = _("Responses per week") if by == "week" else _("Responses per day")
        subtitle = _("Respondents: {n}").format(n=format_number(len(days), lang))
        ymax = float(counts.max()) if len(counts) else 0
        # x: the period's index (0 = the first), bars 0.8 wide centred on it
        plot = _columns(
            style, title, subtitle, _("Number of responses"), ymax,
            (-0.6, max(len(periods), 1) - 0.4), lang,
        )  # fmt: skip
        for i, count in enumerate(counts.to_numpy()):
            if count:
                plot.rect(i - 0.4, 0, 0.8, count, PRIMARY)
        if len(periods):
            label_w = text_size(format_day(periods[0].date(), lang), style.font)[0]
            slots = max(1, int(plot.width // (label_w * 1.4)))
            every = max(1, math.ceil(len(periods) / slots))
            ticks = list(range(0, len(periods), every))
            plot.x_axis(ticks, [format_day(periods[t].date(), lang) for t in ticks], style,
                        grid=False, gap=_below_zero(style))  # fmt: skip
        return plot.figure

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
    return Chart(alt, data, draw)
