"""Measuring and wrapping text with the Agg renderer's font metrics, without laying it out."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont, get_font
from matplotlib.ft2font import LoadFlags
from matplotlib.text import Text

from analysis.charts.base import DPI

_measure = threading.local()


def _renderer() -> RendererAgg:
    if not hasattr(_measure, "renderer"):
        _measure.renderer = RendererAgg(1, 1, DPI)
    return _measure.renderer


def _font(size: float, bold: bool = False) -> FontProperties:
    return FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")


def _scratch() -> Text:
    """A text of this thread, measured by its renderer exactly as matplotlib will draw it."""
    if not hasattr(_measure, "text"):
        figure = Figure(dpi=DPI)
        _measure.text = Text(0, 0, "", parse_math=False)
        _measure.text.set_figure(figure)
    return _measure.text


@lru_cache(maxsize=64)
def _line_height(size: float, bold: bool, lines: int) -> float:
    """Height of ``lines`` lines as matplotlib lays them out, tall accents (É) included."""
    scratch = _scratch()
    scratch.set_text("\n".join(["Élp"] * lines))
    scratch.set_fontproperties(_font(size, bold))
    return scratch.get_window_extent(_renderer()).height


@lru_cache(maxsize=4096)
def _advance(char: str, size: float, bold: bool) -> float:
    """How far a character moves the pen, in px at DPI (from the font's metrics, unhinted)."""
    font = get_font(findfont(_font(size, bold)))
    font.set_size(size, DPI)
    return font.load_char(ord(char), flags=LoadFlags.NO_HINTING).linearHoriAdvance / 65536


def text_size(text: str, size: float, bold: bool = False) -> tuple[float, float]:
    """Width and height in px (at DPI) of a text, several lines included: the sum of its
    characters' advances (a pixel or two more than the ink, never less) and the height
    matplotlib gives that many lines. Laying out a text with FreeType costs about a
    millisecond; this costs microseconds, and a chart measures hundreds of candidate lines."""
    if not text:
        return 0.0, 0.0
    lines = text.split("\n")
    width = max(sum(_advance(c, size, bold) for c in line) for line in lines)
    return width, _line_height(size, bold, len(lines))


# French sets ? ! : ; » after a space and « before one: a line must not break there.
_CLOSING = re.compile(r"^[?!:;»][?!:;».,)]*$")
_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")  # any space but the no-break ones


def _words(paragraph: str) -> list[str]:
    """The words of a line, each French punctuation mark glued to its word (by its space)."""
    words: list[str] = []
    for token in _SPACES.split(paragraph):
        if not token:
            continue
        if words and (_CLOSING.match(token) or words[-1] == "«"):
            words[-1] = f"{words[-1]} {token}"
        else:
            words.append(token)
    return words


def wrap(text: str, size: float, max_px: float, bold: bool = False) -> str:
    """Lines no wider than ``max_px``, broken at spaces (and after hyphens); a word wider
    than a line on its own is broken inside, never cut."""

    def width(s: str) -> float:
        return text_size(s, size, bold)[0]

    if "\n" not in text and width(text) <= max_px:
        return text
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in _words(paragraph):
            candidate = f"{line} {word}" if line else word
            if width(candidate) <= max_px or not line and width(word) <= max_px:
                line = candidate
                continue
            if line:
                lines.append(line)
            # A word alone too wide: break it where it still fits, with a hyphen, within its
            # letters (a « or a ? glued to it stays with them).
            first = word.startswith("« ") * 2 + 1
            while width(word) > max_px and len(word) > first + len(_tail(word)):
                cut = len(word) - len(_tail(word)) - 1
                while cut > first and width(word[:cut] + "-") > max_px:
                    cut -= 1
                lines.append(word[:cut] + "-")
                word = word[cut:]
                first = 1
            line = word
        lines.append(line)
    return "\n".join(lines)


def _tail(word: str) -> str:
    """The punctuation glued at the end of a word (`` ?``, `` » :``), or nothing."""
    head = word
    while (parts := head.rpartition(" "))[0] and _CLOSING.match(parts[2]):
        head = parts[0]
    return word[len(head) :]
