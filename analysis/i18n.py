"""Gettext catalogues read straight from their .po files.

Each package keeps its French catalogue in ``<package>/locale/fr/LC_MESSAGES/messages.po``;
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


def catalogue_path(package_dir: Path, lang: str) -> Path:
    return package_dir / "locale" / lang / "LC_MESSAGES" / "messages.po"


def _load(po_path: Path) -> gettext.NullTranslations:
    if not po_path.exists():
        return gettext.NullTranslations()
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
    chain = [_load(catalogue_path(d, lang)) for d in package_dirs]
    merged = chain[0]
    for extra in chain[1:]:
        merged.add_fallback(extra)
    return merged


HERE = Path(__file__).parent


def gettext_for(lang: str):
    """The `_` function for analysis' own strings (chart titles, table headers)."""
    return translations(lang, (HERE,)).gettext
