"""Tutoiement or vouvoiement: how built-in French messages address a questionnaire's
respondents.

The French catalogues hold one register each (the respondent's pages say "tu", the answer
checks say "vous"); a register's own catalogue, ``<package>/locale/fr/registers/<register>.po``,
is read before them for the messages that differ.
"""

import gettext
import re
from functools import cache, lru_cache
from pathlib import Path

from analysis.i18n import _load, translations

TU, VOUS = "tu", "vous"
REGISTERS = (TU, VOUS)
# "14–25 ans", "16-30 years": an audience whose oldest member is at most this age is young
YOUNG_UNTIL = 30
_AGES = re.compile(r"(\d{1,2})\s*[–—-]\s*(\d{1,2})")


@lru_cache(maxsize=1024)
def register_for(chosen: str, audience: str) -> str:
    """The questionnaire's register, or by default "tu" for a youth audience, else "vous"."""
    if chosen in REGISTERS:
        return chosen
    ages = _AGES.search(audience or "")
    return TU if ages and int(ages[2]) <= YOUNG_UNTIL else VOUS


@cache
def with_register(
    lang: str, register: str, package_dirs: tuple[Path, ...]
) -> gettext.NullTranslations:
    """The translations of ``lang`` with the register's catalogues read first."""
    base = translations(lang, package_dirs)
    if lang != "fr" or register not in REGISTERS:
        return base
    overlays = [
        _load(path)
        for d in package_dirs
        if (path := d / "locale" / "fr" / "registers" / f"{register}.po").exists()
    ]
    if not overlays:
        return base
    first = overlays[0]
    for extra in overlays[1:]:
        first.add_fallback(extra)
    first.add_fallback(base)
    return first
