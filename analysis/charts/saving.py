"""Saving a chart: SVG written from the figure's few artists, PNG through matplotlib."""

from __future__ import annotations

import io
from html import escape

from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from analysis.charts.base import _LOCK, _RC, DPI, SCREEN, Chart, Style, rc_settings
from analysis.charts.measure import text_size


def to_svg(chart: Chart, style: Style = SCREEN) -> bytes:
    """SVG with text kept as text (small, searchable, styled by the page's fonts).

    Written here from the figure's few artists (rectangles, lines, texts in known
    positions) rather than by matplotlib's SVG backend, which lays every text out again
    with FreeType: a chart in about a millisecond instead of a dozen."""
    with _LOCK:
        figure = chart.figure_for(style)
        if figure.axes:  # a chart drawn with matplotlib Axes (analysis.representation)
            return _save(figure, "svg", {"svg.fonttype": "none"})
        return write_svg(figure)


_ANCHOR = {"left": "start", "center": "middle", "right": "end"}
ASCENT, DESCENT, LINE_SPACING = 0.80, 0.24, 1.2  # of the font size: DejaVu Sans, as drawn


def _colour(value) -> str:
    return to_hex(value, keep_alpha=False)


def write_svg(figure: Figure) -> bytes:
    """The figure as SVG, in px (1 px per layout px), drawn in zorder like matplotlib."""
    width, height = figure.get_size_inches() * figure.dpi
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{width:.0f}" height="{height:.0f}" viewBox="0 0 {width:.2f} {height:.2f}" '
        'font-family="DejaVu Sans, Verdana, Arial, sans-serif">',
        f'<rect width="{width:.2f}" height="{height:.2f}" fill="#ffffff"/>',
    ]
    artists = [*figure.patches, *figure.artists, *figure.lines, *figure.texts]
    for artist in sorted(artists, key=lambda a: a.get_zorder()):
        if not artist.get_visible():
            continue
        if isinstance(artist, Rectangle):
            out.append(_svg_rect(artist, height))
        elif isinstance(artist, Line2D):
            points = artist.get_transform().transform(artist.get_xydata())
            coords = " ".join(f"{x:.2f},{height - y:.2f}" for x, y in points)
            stroke = artist.get_linewidth() * figure.dpi / 72
            out.append(
                f'<polyline points="{coords}" fill="none" stroke="{_colour(artist.get_color())}" '
                f'stroke-width="{stroke:.2f}"/>'
            )
        elif isinstance(artist, Text) and artist.get_text():
            out.append(_svg_text(artist, height, figure.dpi))
    out.append("</svg>")
    return "\n".join(out).encode()


def _svg_rect(patch: Rectangle, height: float) -> str:
    (x0, y0), (x1, y1) = patch.get_data_transform().transform(
        [(patch.get_x(), patch.get_y()), (patch.get_x() + patch.get_width(),
                                          patch.get_y() + patch.get_height())]
    )  # fmt: skip
    attrs = (
        f'x="{min(x0, x1):.2f}" y="{height - max(y0, y1):.2f}" '
        f'width="{abs(x1 - x0):.2f}" height="{abs(y1 - y0):.2f}" '
        f'fill="{_colour(patch.get_facecolor())}"'
    )
    if patch.get_linewidth() > 0 and patch.get_edgecolor()[3] > 0:
        stroke = patch.get_linewidth() * DPI / 72
        attrs += f' stroke="{_colour(patch.get_edgecolor())}" stroke-width="{stroke:.2f}"'
    return f"<rect {attrs}/>"


def _svg_text(text: Text, height: float, dpi: float) -> str:
    """A text placed as matplotlib places it: its box aligned on its position by ha/va,
    lines 1.2 font sizes apart (rotation 0 or 90 degrees)."""
    x, y = text.get_transform().transform(text.get_position())
    size = text.get_fontsize() * dpi / 72
    lines = text.get_text().split("\n")
    box_h = (ASCENT + DESCENT + LINE_SPACING * (len(lines) - 1)) * size
    ha, va = text.get_horizontalalignment(), text.get_verticalalignment()
    weight = ' font-weight="bold"' if text.get_fontweight() in ("bold", 700) else ""
    style = f'font-size="{size:.2f}" fill="{_colour(text.get_color())}"{weight}'
    if round(text.get_rotation()) % 360 == 90:  # read upwards: the box is box_h wide
        left = x if ha == "left" else x - box_h if ha == "right" else x - box_h / 2
        width = text_size(text.get_text(), text.get_fontsize())[0]
        middle = y if va == "center" else y + width / 2 if va == "bottom" else y - width / 2
        bx, by = left + ASCENT * size, height - middle
        return (
            f'<text transform="translate({bx:.2f},{by:.2f}) rotate(-90)" text-anchor="middle" '
            f"{style}>{escape(lines[0])}</text>"
        )
    top = {"top": y, "bottom": y + box_h, "baseline": y + ASCENT * size}.get(va, y + box_h / 2)
    anchor = _ANCHOR[ha]
    if len(lines) == 1:  # one element, not two: a PDF draws each text node on its own
        return (
            f'<text x="{x:.2f}" y="{height - top + ASCENT * size:.2f}" text-anchor="{anchor}" '
            f"{style}>{escape(lines[0])}</text>"
        )
    spans = "".join(
        f'<tspan x="{x:.2f}" y="{height - top + (ASCENT + LINE_SPACING * i) * size:.2f}">'
        f"{escape(line)}</tspan>"
        for i, line in enumerate(lines)
    )
    return f'<text text-anchor="{anchor}" {style}>{spans}</text>'


def to_png(chart: Chart, dpi: int = 150, style: Style = SCREEN) -> bytes:
    return _save(chart.figure_for(style), "png", {}, dpi=dpi)


def _save(figure: Figure, fmt: str, rc: dict, **kwargs) -> bytes:
    buffer = io.BytesIO()
    with _LOCK, rc_settings(_RC | rc):
        figure.savefig(buffer, format=fmt, metadata=_metadata(fmt), **kwargs)
    return buffer.getvalue()


def _metadata(fmt: str) -> dict:
    # No creation date: the same chart gives the same bytes (cacheable, testable).
    return {"Date": None} if fmt == "svg" else {"Software": None}
