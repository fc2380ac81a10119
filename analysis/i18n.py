"""Gettext catalogues read straight from their .po files.

Each package keeps its French catalogues in ``<package>/locale/fr/LC_MESSAGES/*.po``;
message ids are English, so English needs no catalogue and is complete by construction.
Reading the .po at start-up (instead of compiled .mo files) means no build step can be forgotten.
"""

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated later, where the language is known."""
    return message


def catalogue_paths(package_dir: Path, lang: str) -> list[Path]:
    """Every .po of a package for a language: one per area, so areas never edit one file."""
    return sorted((package_dir / "locale" / lang / "LC_MESSAGES").glob("*.po"))


def _load(po_path: Path) -> gettext.NullTranslations:
    with po_path.open("rb") as fh:
        catalog = read_po(fh)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@cache
def translations(lang: str, package_dirs: tuple[Path, ...]) -> gettext.NullTranslations:
    """One translation object merging the catalogues of several packages (first wins)."""
    if lang not in LANGUAGES or lang == "en":
        return gettext.NullTranslations()
    chain = [_load(path) for d in package_dirs for path in catalogue_paths(d, lang)]
    if not chain:
        return gettext.NullTranslations()
    merged = chain[0]
    for extra in chain[1:]:
        merged.add_fallback(extra)
    return merged


HERE = Path(__file__).parent


def gettext_for(lang: str):
    """The `_` function for analysis' own strings (chart titles, table headers)."""
    return translations(lang, (HERE,)).gettext
