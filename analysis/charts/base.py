"""The Chart and Style types: sizes of a chart for each medium, and the chart itself
(alt text, data table, and a function that draws it)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

DPI = 100  # layout pixels per inch: a SCREEN chart is 750 px wide, shown at 1:1 on a page
MAX_ALT_ITEMS = 8
MUTED = "#56606E"
GRID = "#DDDDDD"
# Drawing and saving read rcParams (process-wide): one figure at a time, and mathtext off so
# that "5$ ou 10$" is text, not a formula.
_LOCK = threading.RLock()
_RC = {"text.parse_math": False, "svg.hashsalt": "consult", "font.family": "DejaVu Sans"}


@contextmanager
def rc_settings(settings: dict):
    """``settings`` in force inside the block, as ``matplotlib.rc_context`` would, but
    saving and restoring only those keys: rc_context copies and checks all three hundred
    parameters twice, a millisecond a chart (hold ``_LOCK``: rcParams are process-wide)."""
    params = matplotlib.rcParams
    saved = {key: params[key] for key in settings}
    try:
        params.update(settings)
        yield
    finally:
        params.update(saved)


@dataclass(frozen=True)
class Style:
    """Sizes of a chart. Font sizes are in points; at ``DPI`` 100 one point is 1.39 px."""

    name: str
    width: float  # inches
    height: float | None  # fixed height (a slide) or None: grows with the rows, up to max_height
    max_height: float
    font: float  # ticks, category labels, legend
    title_font: float
    value_font: float  # value labels on the bars
    show_title: bool = True  # a slide shows the question as its own heading
    pad: float = 8  # px around the canvas and between blocks
    label_share: float = 0.4  # widest category-label column, as a share of the width
    stacked_axis: bool = True  # an x axis under stacked bars (whose segments carry values)


SCREEN = Style("screen", width=7.5, height=None, max_height=9.0, font=9.5, title_font=11.5,
               value_font=8.5)  # fmt: skip
# 1728 × 780 px: the chart area of a 1920×1080 slide (5 % side margins, 72 % of the height);
# 18 pt at 100 dpi is 25 px, readable from the back of a room.
PROJECTOR = Style("projector", width=17.28, height=7.8, max_height=7.8, font=18, title_font=20,
                  value_font=18, show_title=False, pad=16, label_share=0.4,
                  stacked_axis=False)  # fmt: skip
# A report page holds two charts: 16 cm wide, printed at 1:1 (PNG at 200 dpi).
PRINT = Style("print", width=6.3, height=None, max_height=4.6, font=8, title_font=9.5,
              value_font=7.5, show_title=False, pad=6)  # fmt: skip
# Beside its table on a report page: 104 mm wide.
PRINT_HALF = Style("print-half", width=4.1, height=None, max_height=4.6, font=7.5, title_font=9,
                   value_font=7, show_title=False, pad=5)  # fmt: skip
STYLES = {s.name: s for s in (SCREEN, PROJECTOR, PRINT, PRINT_HALF)}


@dataclass(frozen=True)
class Chart:
    alt_text: str
    data: pd.DataFrame
    draw: Callable[[Style], Figure] = field(repr=False, compare=False)

    @cached_property
    def figure(self) -> Figure:
        """The chart drawn for the screen (drawn once, on first use)."""
        return self.figure_for(SCREEN)

    def figure_for(self, style: Style) -> Figure:
        if style is SCREEN and "figure" in self.__dict__:
            return self.__dict__["figure"]
        with _LOCK, rc_settings(_RC):
            return self.draw(style)
