"""Charts of summaries, cross-tabs, wave comparisons and responses over time.

Each chart is a :class:`Chart`: a sentence of alt text giving its main figures, the table of
its data for those who cannot see it, and a function that draws it as a matplotlib Figure
(built directly, never through pyplot, so concurrent requests share no state) in a
:class:`Style` — ``SCREEN`` for pages and the report, ``PROJECTOR`` for a 1920×1080 slide.
The figure is drawn only when an image is asked for: a page that needs the alt text alone
never pays for matplotlib.

Layout is computed here, not by matplotlib's constrained layout: every text is measured with
the Agg renderer's font metrics, long labels are wrapped (never cut) to the room they have,
legends sit inside the canvas, value labels go inside a bar when they fit, outside it when
there is room and are left out otherwise (the data table always has them), and heights are
bounded (rows beyond the bound are named in a note under the chart). Measuring once and placing
once also draws a figure once: about four times faster than constrained layout.

Counts suppressed upstream (``hidden``) are drawn as empty bars labelled "< k".

The package, by concern: :mod:`.base` (the Chart and Style types), :mod:`.saving` (SVG and
PNG), :mod:`.measure` (text metrics and wrapping), :mod:`.layout` (plot, frame, legend and
bar helpers shared by the kinds), and the chart kinds: :mod:`.answers` (bars, likert/grid,
histogram), :mod:`.compare` (cross-tab, waves), :mod:`.timeline`.
"""

from analysis.charts.answers import bar_chart, histogram_chart, item_label, likert_chart
from analysis.charts.base import (
    DPI,
    GRID,
    MAX_ALT_ITEMS,
    MUTED,
    PRINT,
    PRINT_HALF,
    PROJECTOR,
    SCREEN,
    STYLES,
    Chart,
    Style,
)
from analysis.charts.compare import crosstab_chart, waves_chart
from analysis.charts.measure import text_size, wrap
from analysis.charts.saving import ASCENT, DESCENT, LINE_SPACING, to_png, to_svg, write_svg
from analysis.charts.timeline import SPARSE_DAYS, timeline_chart, timeline_period

__all__ = [
    "ASCENT",
    "DESCENT",
    "DPI",
    "GRID",
    "LINE_SPACING",
    "MAX_ALT_ITEMS",
    "MUTED",
    "PRINT",
    "PRINT_HALF",
    "PROJECTOR",
    "SCREEN",
    "SPARSE_DAYS",
    "STYLES",
    "Chart",
    "Style",
    "bar_chart",
    "crosstab_chart",
    "histogram_chart",
    "item_label",
    "likert_chart",
    "text_size",
    "timeline_chart",
    "timeline_period",
    "to_png",
    "to_svg",
    "waves_chart",
    "wrap",
    "write_svg",
]
