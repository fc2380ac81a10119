"""The one colour palette of every chart: Okabe–Ito, safe for the common colour-vision
deficiencies, in an order that keeps neighbouring series far apart."""

from __future__ import annotations

from matplotlib.colors import to_hex, to_rgb

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
PRIMARY = OKABE_ITO[0]
NEUTRAL = "#BBBBBB"
TEXT = "#222222"
NEGATIVE = OKABE_ITO[5]  # vermillion
POSITIVE = OKABE_ITO[0]  # blue


def series_colours(n: int) -> list[str]:
    """Colours of n series (waves, categories of a legend), cycling if ever more than eight."""
    return [OKABE_ITO[i % len(OKABE_ITO)] for i in range(n)]


def _lighten(colour: str, amount: float) -> str:
    r, g, b = to_rgb(colour)
    return to_hex((r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount))


def diverging_colours(k: int) -> list[str]:
    """Colours of a k-point scale: vermillion shades (low) through grey (middle, if k is odd)
    to blue shades (high); the extremes darkest."""
    half = k // 2
    shades = [0.6 * i / max(half - 1, 1) for i in range(half)]  # 0 = full colour
    low = [_lighten(NEGATIVE, s) for s in shades]
    high = [_lighten(POSITIVE, s) for s in reversed(shades)]
    return low + ([NEUTRAL] if k % 2 else []) + high
