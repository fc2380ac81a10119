"""Layout shared by every chart kind: the plot rectangle, the frame of horizontal bars
(header, legend, bounded rows), value labels, stacked, grouped and column plots."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import Affine2D

from analysis.charts.base import DPI, GRID, MAX_ALT_ITEMS, MUTED, Style
from analysis.charts.measure import text_size, wrap
from analysis.formats import below_k, format_number, format_share
from analysis.i18n import gettext_for
from analysis.palette import TEXT, series_colours
from analysis.summaries import Summary


class _Plot:
    """A rectangle of the figure with data coordinates: bars, texts and lines are placed in
    it directly, without matplotlib Axes (no ticks, spines or locators to build: a chart is
    a few dozen artists, and drawing one costs a quarter of what an Axes costs).

    Positions are px from the figure's top left; the transform maps data to figure
    fractions, so a PNG at any dpi and an SVG draw the same picture."""

    def __init__(self, figure, left, top, width, height, xlim, ylim) -> None:
        self.figure = figure
        self.left, self.top, self.width, self.height = left, top, width, height
        self.xlim, self.ylim = xlim, ylim
        w, h = figure.get_size_inches() * DPI
        (x0, x1), (y0, y1) = xlim, ylim
        self.transform = (
            Affine2D()
            .translate(-x0, -y0)
            .scale(width / (x1 - x0) / w, height / (y1 - y0) / h)
            .translate(left / w, (h - top - height) / h)
            + figure.transFigure
        )

    def dx(self, px: float) -> float:
        return px * (self.xlim[1] - self.xlim[0]) / self.width

    def dy(self, px: float) -> float:
        return px * (self.ylim[1] - self.ylim[0]) / self.height

    def px(self, value: float) -> float:
        """Pixels from the plot's left edge to ``value``."""
        return (value - self.xlim[0]) / (self.xlim[1] - self.xlim[0]) * self.width

    def rect(self, x, y, width, height, colour, gid="bar", **kwargs) -> Rectangle:
        kwargs.setdefault("linewidth", 0)
        patch = Rectangle((x, y), width, height, transform=self.transform, facecolor=colour,
                          gid=gid, **kwargs)  # fmt: skip
        self.figure.add_artist(patch)
        return patch

    def text(self, x, y, s, size, gid, **kwargs) -> Text:
        kwargs.setdefault("color", TEXT)
        return self.figure.text(x, y, s, transform=self.transform, fontsize=size, gid=gid,
                                **kwargs)  # fmt: skip

    def line(self, xs, ys, colour=TEXT, width=0.8, zorder=2.5) -> None:
        self.figure.add_artist(
            Line2D(
                xs, ys, transform=self.transform, color=colour, linewidth=width, zorder=zorder
            )  # fmt: skip
        )

    def x_axis(self, ticks, labels, style: Style, *, grid: bool = True, gap: float = 4) -> None:
        """Tick labels ``gap`` px under the plot, light vertical grid lines, a baseline."""
        (y0, y1) = self.ylim
        for tick, label in zip(ticks, labels, strict=True):
            if grid:
                self.line([tick, tick], [y0, y1], GRID, 0.6, zorder=0.5)
            self.text(tick, y0 - self.dy(gap), label, style.font, "tick", ha="center", va="top")
        self.line(list(self.xlim), [y0, y0], MUTED, 0.8)

    def y_axis(self, ticks, labels, style: Style) -> None:
        """Tick labels left of the plot, light horizontal grid lines, a baseline."""
        (x0, x1) = self.xlim
        for tick, label in zip(ticks, labels, strict=True):
            self.line([x0, x1], [tick, tick], GRID, 0.6, zorder=0.5)
            self.text(x0 - self.dx(6), tick, label, style.font, "tick", ha="right", va="center")
        self.line([x0, x0], list(self.ylim), MUTED, 0.8)

    def categories(self, ys, labels, style: Style) -> None:
        for y, label in zip(ys, labels, strict=True):
            self.text(self.xlim[0] - self.dx(6), y, label, style.font, "category", ha="right",
                      va="center")  # fmt: skip


@dataclass
class _Frame:
    figure: Figure
    rows: int  # rows drawn (the first ``rows`` of the ones asked)
    pitch_px: float  # height of a row
    box: tuple[float, float, float, float]  # left, top, width, height of the plot in px
    labels: list[str]  # the wrapped labels of the rows drawn
    xlabel: str
    style: Style

    def plot(self, low: float, high: float) -> _Plot:
        """The plot of the rows, from ``low`` to ``high`` across, first row on top."""
        left, top, width, height = self.box
        return _Plot(self.figure, left, top, width, height, (low, high), (-0.5, self.rows - 0.5))

    def axis(self, plot: _Plot, fmt: Callable[[float], str]) -> None:
        """Category labels, x tick labels and the x label."""
        style = self.style
        plot.categories(np.arange(self.rows)[::-1], self.labels, style)
        low, high = plot.xlim
        widest = max(text_size(fmt(v), style.font)[0] for v in (low, high, (low + high) / 2))
        nbins = max(2, min(8, int(plot.width // (widest * 2.2))))
        # steps 1, 2, 5: ticks at 2.5 % would print as "2 %" or "3 %" with whole percents
        locator = MaxNLocator(nbins=nbins, steps=[1, 2, 5, 10])
        ticks = [t for t in locator.tick_values(low, high) if low <= t <= high]
        plot.x_axis(ticks, [fmt(t) for t in ticks], style)
        if self.xlabel:
            left, top, width, height = self.box
            line_h = text_size("lp", style.font)[1]
            x, y = _px_to_fig(self.figure, left + width / 2, top + height + line_h + 10)
            self.figure.text(x, y, self.xlabel, ha="center", va="top", fontsize=style.font,
                             color=TEXT, gid="xlabel")  # fmt: skip


def _px_to_fig(figure: Figure, x: float, y_from_top: float) -> tuple[float, float]:
    w, h = figure.get_size_inches() * DPI
    return x / w, 1 - y_from_top / h


def _header(figure, style: Style, title: str, subtitle: str, top: float) -> float:
    """Title (wrapped) and subtitle at the top left; returns the y (px from top) below them."""
    width = style.width * DPI - 2 * style.pad
    top += style.pad
    if style.show_title and title:
        wrapped = wrap(title, style.title_font, width, bold=True)
        x, y = _px_to_fig(figure, style.pad, top)
        figure.text(x, y, wrapped, va="top", ha="left", fontsize=style.title_font,
                    weight="bold", color=TEXT, gid="title")  # fmt: skip
        top += text_size(wrapped, style.title_font, True)[1] + style.pad / 2
    if subtitle:
        x, y = _px_to_fig(figure, style.pad, top)
        figure.text(x, y, subtitle, va="top", ha="left", fontsize=style.font, color=MUTED,
                    gid="subtitle")  # fmt: skip
        top += text_size(subtitle, style.font)[1] + style.pad
    return top


def _header_height(style: Style, title: str, subtitle: str) -> float:
    width = style.width * DPI - 2 * style.pad
    height = style.pad
    if style.show_title and title:
        wrapped = wrap(title, style.title_font, width, bold=True)
        height += text_size(wrapped, style.title_font, True)[1] + style.pad / 2
    if subtitle:
        height += text_size(subtitle, style.font)[1] + style.pad
    return height


def _legend_layout(style: Style, entries: Sequence[str]) -> tuple[list, float]:
    """Legend entries placed left to right, in as many rows as needed, inside the canvas:
    [(x, row, wrapped label)], and the legend's height in px."""
    if not entries:
        return [], 0
    width = style.width * DPI - 2 * style.pad
    swatch = text_size("M", style.font)[1]
    gap = swatch * 0.5
    placed, x, row, row_heights, row_height = [], 0.0, 0, [], 0.0
    for label in entries:
        text = wrap(label, style.font, width / 2)
        w, h = text_size(text, style.font)
        item = swatch + gap + w
        if x and x + item > width:
            row_heights.append(row_height)
            x, row, row_height = 0.0, row + 1, 0.0
        placed.append((x, row, text, h))
        x += item + swatch * 1.5
        row_height = max(row_height, h)
    row_heights.append(row_height)
    tops = np.concatenate([[0], np.cumsum([h + gap for h in row_heights])])
    return [(x, tops[row], text, h) for x, row, text, h in placed], float(tops[-1])


def _draw_legend(figure, style: Style, entries, colours, top: float) -> float:
    placed, height = _legend_layout(style, entries)
    swatch = text_size("M", style.font)[1]
    w, h = figure.get_size_inches() * DPI
    for (x, y, text, _text_h), colour in zip(placed, colours, strict=True):
        left = style.pad + x
        figure.patches.append(
            Rectangle(
                (left / w, 1 - (top + y + swatch * 1.08) / h),
                swatch / w,
                swatch / h,
                transform=figure.transFigure,
                facecolor=colour,
                edgecolor="none",
            )
        )
        fx, fy = _px_to_fig(figure, left + swatch * 1.5, top + y)
        figure.text(fx, fy, text, va="top", ha="left", fontsize=style.font, color=TEXT,
                    gid="legend")  # fmt: skip
    return top + height + (style.pad if placed else 0)


def _hbar_frame(
    style: Style,
    *,
    title: str,
    subtitle: str,
    labels: Sequence[str],
    legend: Sequence[str] = (),
    legend_colours: Sequence[str] = (),
    xlabel: str = "",
    right_px: float = 0,
    bars_per_row: int = 1,
    x_axis: bool = True,
    omitted_note: Callable[[int], str] | None = None,
) -> _Frame:
    """A figure for horizontal bars, one row per label (first on top), sized to the wrapped
    labels and bounded in height: fewer rows than asked when they do not fit
    (``omitted_note(n)`` says so under the chart)."""
    width_px = style.width * DPI
    label_px = width_px * style.label_share
    wrapped = [wrap(label, style.font, label_px) for label in labels]
    sizes = [text_size(w, style.font) for w in wrapped]
    label_w = max((w for w, _ in sizes), default=0)
    line_h = text_size("lp", style.font)[1]
    value_h = text_size("lp", style.value_font)[1]
    # A row holds its label, and each of its bars is at least as thick as a value label
    # (when the bound allows it; otherwise the value labels are left out, not the rows).
    label_pitch = max((h for _, h in sizes), default=line_h) + line_h * 0.45
    pitch = max(label_pitch, bars_per_row * value_h / 0.8 + line_h * 0.2)
    header = _header_height(style, title, subtitle)
    _, legend_h = _legend_layout(style, legend)
    tick_block = line_h + 4 + style.pad / 2 if x_axis else 0
    xlabel_block = text_size(xlabel, style.font)[1] + style.pad if xlabel else 0
    note_h = line_h + style.pad / 2 if omitted_note else 0
    fixed = header + legend_h + (style.pad if legend else 0) + tick_block + xlabel_block
    fixed += style.pad * 1.5
    limit = (style.height or style.max_height) * DPI
    room = limit - fixed
    rows = len(labels)
    if rows * pitch > room:
        pitch = max(label_pitch, min(pitch, (room - note_h) / max(rows, 1)))
    if rows * pitch > room:  # bounded: keep the rows that fit, say how many are left out
        rows = max(1, int((room - note_h) // pitch))
    axes_h = rows * pitch
    if style.height is not None:
        axes_h = max(room - (note_h if rows < len(labels) else 0), axes_h)
    total_h = fixed + axes_h + (note_h if rows < len(labels) else 0)
    figure = Figure(figsize=(style.width, total_h / DPI), dpi=DPI)
    top = _header(figure, style, title, subtitle, 0) + style.pad / 2
    if legend:
        top = _draw_legend(figure, style, legend, legend_colours, top)
    left = style.pad + label_w + 6
    plot_w = width_px - left - style.pad - right_px
    if rows < len(labels) and omitted_note:
        x, y = _px_to_fig(figure, style.pad, total_h - note_h + style.pad / 4)
        figure.text(x, y, omitted_note(len(labels) - rows), va="top", ha="left",
                    fontsize=style.font, color=MUTED, gid="note")  # fmt: skip
    box = (left, top, plot_w, axes_h)
    return _Frame(figure, rows, axes_h / max(rows, 1), box, wrapped[:rows], xlabel, style)


def _percent(lang: str):
    return lambda v: format_share(abs(v) / 100, lang, 0)


def _ink_on(colour: str) -> str:
    """Dark or white text, whichever reads on this fill."""
    r, g, b = to_rgb(colour)
    luminance = 0.2126 * r**2.2 + 0.7152 * g**2.2 + 0.0722 * b**2.2
    return "white" if luminance < 0.3 else TEXT


def _fit_limit(
    values: np.ndarray, texts: Sequence[str], axes_w: float, style: Style, floor: float
) -> float:
    """The x limit (data units, from 0) that leaves room right of each bar whose label does
    not fit inside it: bars shrink as the limit grows, so settle it in a few rounds."""
    pad = 4
    widths = [text_size(t, style.value_font)[0] + 2 * pad if t else 0 for t in texts]
    limit = max(float(np.nanmax(values, initial=0)) * 1.02, floor)
    for _round in range(4):
        needed = limit
        for v, w in zip(values.ravel(), widths, strict=True):
            inside = w and v / limit * axes_w >= w
            if w and not inside and w < axes_w * 0.6:
                needed = max(needed, v * axes_w / (axes_w - w))
        if needed <= limit:
            break
        limit = needed
    return limit


def _value_labels(
    plot: _Plot, y, starts, widths, texts, style: Style, colours, *, outside: bool
) -> None:
    """A label per bar: inside (centred) when it fits, else just right of the bar when
    ``outside`` and there is room, else none (the data table has every value)."""
    pad = 4
    for yi, x0, w, t, colour in zip(y, starts, widths, texts, colours, strict=True):
        if not t:
            continue
        text_w = text_size(t, style.value_font)[0]
        bar_px = plot.px(x0 + w) - plot.px(x0)
        if bar_px >= text_w + 2 * pad:
            plot.text(x0 + w / 2, yi, t, style.value_font, "value", ha="center", va="center",
                      color=_ink_on(colour))  # fmt: skip
        elif outside and plot.px(x0 + w) + pad + text_w <= plot.width:
            plot.text(x0 + w + plot.dx(pad), yi, t, style.value_font, "value", ha="left",
                      va="center")  # fmt: skip


def _title_line(title: str, n: int, lang: str, high: int | None = None) -> tuple[str, str]:
    """The title and its count of respondents: from ``n`` to ``high`` when a grid's rows
    were each answered by a different number."""
    _ = gettext_for(lang)
    if high is not None and high != n:
        low, high = format_number(n, lang), format_number(high, lang)
        return title, _("Respondents: {low} to {high}").format(low=low, high=high)
    return title, _("Respondents: {n}").format(n=format_number(n, lang))


def _omitted(lang: str) -> Callable[[int], str]:
    _ = gettext_for(lang)
    return lambda n: _("Rows not shown: {n} (see the data table)").format(n=format_number(n, lang))


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


def _stacked(
    style: Style,
    *,
    title: str,
    subtitle: str,
    rows: Sequence[str],
    categories: Sequence[str],
    colours: Sequence[str],
    shares: np.ndarray,
    starts: np.ndarray,
    xlabel: str,
    lang: str,
    diverging: bool,
) -> Figure:
    """One bar per row, one segment per category, labelled inside when the label fits."""
    axis = style.stacked_axis
    frame = _hbar_frame(
        style, title=title, subtitle=subtitle, labels=rows, legend=categories,
        legend_colours=colours, xlabel=xlabel if axis else "", x_axis=axis,
        right_px=text_size(format_share(1, lang, 0), style.font)[0] / 2,
        omitted_note=_omitted(lang),
    )  # fmt: skip
    n = frame.rows
    shares, starts = shares[:n], starts[:n]
    y = np.arange(n)[::-1]
    if diverging:
        reach = max(np.abs(starts).max(initial=0), (starts + shares).max(initial=0), 10) * 1.02
        low, high = -reach, reach
    else:
        low, high = 0, 100
    plot = frame.plot(low, high)
    for j, colour in enumerate(colours):
        for yi, start, share in zip(y, starts[:, j], shares[:, j], strict=True):
            plot.rect(start, yi - 0.35, share, 0.7, colour)
        texts = [format_share(s / 100, lang, 0) if s > 0 else "" for s in shares[:, j]]
        _value_labels(plot, y, starts[:, j], shares[:, j], texts, style, [colour] * n,
                      outside=False)  # fmt: skip
    if diverging:
        plot.line([0, 0], list(plot.ylim), TEXT, 0.8, zorder=0.5)
    if axis:
        frame.axis(plot, _percent(lang))
    else:
        plot.categories(y, frame.labels, style)
    return frame.figure


def _below_zero(style: Style) -> float:
    """Room under a count axis: its "0" reaches half a line below the plot."""
    return text_size("lp", style.font)[1] * 0.6 + 4


def _columns(
    style: Style, title: str, subtitle: str, ylabel: str, ymax: float, xlim, lang: str
) -> _Plot:
    """A plot for vertical bars (histogram, timeline) under the title, with its count axis
    (tick labels, grid, the rotated y label) drawn, and room below for the x tick labels."""
    width_px = style.width * DPI
    height_px = (style.height or min(style.max_height, style.width * 0.5)) * DPI
    figure = Figure(figsize=(style.width, height_px / DPI), dpi=DPI)
    top = _header(figure, style, title, subtitle, 0) + style.pad
    line_h = text_size("lp", style.font)[1]
    high = max(ymax * 1.08, 1)
    plot_h = height_px - top - style.pad - 1.6 * line_h - 8
    nbins = max(2, min(6, int(plot_h // (line_h * 2.5))))
    ticks = [t for t in MaxNLocator(nbins=nbins, integer=True).tick_values(0, high) if t <= high]
    labels = [format_number(t, lang) for t in ticks]
    tick_w = max(text_size(t, style.font)[0] for t in labels)
    left = style.pad + line_h + 8 + tick_w + 6
    right = style.pad + text_size("00 janv. 0000", style.font)[0] / 2
    plot = _Plot(figure, left, top, width_px - left - right, plot_h, xlim, (0, high))
    plot.y_axis(ticks, labels, style)
    x, y = _px_to_fig(figure, style.pad, top + plot_h / 2)
    figure.text(x, y, ylabel, rotation=90, ha="left", va="center", fontsize=style.font,
                color=TEXT, gid="ylabel")  # fmt: skip
    return plot


def _grouped(
    style: Style,
    *,
    title: str,
    subtitle: str,
    groups: list[str],
    series: list[str],
    values: np.ndarray,
    labels: list[list[str]],
    xlabel: str,
    fmt: Callable[[float], str],
    floor: float,
    lang: str,
) -> Figure:
    """Horizontal bars: one group per row of ``values``, one bar per column (series), each
    labelled just right of its bar (bars are as thick as their labels, or labels are left
    out when the height bound does not allow it)."""
    n_series = len(series)
    colours = series_colours(n_series)
    frame = _hbar_frame(
        style, title=title, subtitle=subtitle, labels=groups, legend=series,
        legend_colours=colours, xlabel=xlabel, bars_per_row=n_series,
        right_px=text_size(fmt(floor), style.font)[0] / 2, omitted_note=_omitted(lang),
    )  # fmt: skip
    n = frame.rows
    values = values[:n]
    # values[i, j] is labelled labels[j][i]: flatten both in the same (row-major) order
    flat = [labels[j][i] for i in range(n) for j in range(n_series)]
    plot = frame.plot(0, _fit_limit(values.reshape(-1), flat, frame.box[2], style, floor))
    height = 0.8 / max(n_series, 1)
    y = np.arange(n)[::-1]
    value_h = text_size("lp", style.value_font)[1]
    fits = frame.pitch_px * height >= value_h * 0.95
    for j, colour in enumerate(colours):
        offsets = y + 0.4 - height * (j + 0.5)
        for offset, value in zip(offsets, values[:, j], strict=True):
            plot.rect(0, offset - height * 0.475, value, height * 0.95, colour)
        if fits:
            texts = [labels[j][i] for i in range(n)]
            _value_labels(plot, offsets, np.zeros(n), values[:, j], texts, style, [colour] * n,
                          outside=True)  # fmt: skip
    frame.axis(plot, fmt)
    return frame.figure
