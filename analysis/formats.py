"""Numbers as people read them: « 12,5 % » in French, "12.5%" in English (via Babel)."""

from __future__ import annotations

import math
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from analysis.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, gettext_for

BELOW_K = N_("< {k}")


def locale_of(lang: str) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def format_share(share: float, lang: str = "fr", digits: int = 1) -> str:
    """A share (0..1) as a percentage: 0.125 -> « 12,5 % » (fr, non-breaking space) / "12.5%"."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return ""
    return _format_share(float(share), lang, digits)


# Babel formats a number in about half a millisecond, and a results page formats the same
# few hundred shares and counts again and again: each is formatted once.
@lru_cache(maxsize=16384)
def _format_share(share: float, lang: str, digits: int) -> str:
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + " %"
    text = format_percent(share, format=pattern, locale=locale_of(lang))
    # Babel keeps the pattern's ASCII space; French typography wants a non-breaking one
    # (U+202F narrow for thousands, U+00A0 before %), English none.
    return text.replace(" %", "\u00a0%") if locale_of(lang) == "fr" else text.replace(" %", "%")


def format_number(value: float, lang: str = "fr", digits: int = 1) -> str:
    """A number with its decimal comma (fr) or point (en); whole numbers without decimals."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _format_number(float(value), lang, digits)


@lru_cache(maxsize=16384)
def _format_number(value: float, lang: str, digits: int) -> str:
    if float(value).is_integer():
        return format_decimal(int(value), format="#,##0", locale=locale_of(lang))
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=locale_of(lang))


def format_points(change: float, lang: str = "fr", digits: int = 1) -> str:
    """A change in percentage points, signed: « +3,5 pts » / "+3.5 pts"."""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return ""
    _ = gettext_for(lang)
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    number = format_number(round(abs(change), digits), lang, digits)
    return _("{sign}{number} pts").format(sign=sign, number=number).replace(" ", "\u00a0")


def below_k(k: int, lang: str = "fr") -> str:
    """What a suppressed cell shows: "< 5"."""
    return gettext_for(lang)(BELOW_K).format(k=k)


def format_day(day, lang: str = "fr") -> str:
    """A date in the reader's habit: « 7 janv. 2013 » / "Jan 7, 2013"."""
    return format_date(day, format="medium", locale=locale_of(lang))
