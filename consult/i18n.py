"""The application's language: French first, English complete, one gettext chain for all packages."""

import gettext
from pathlib import Path

import analysis
import surveys
from analysis.i18n import DEFAULT_LANGUAGE, LANGUAGES, translations
from surveys.registers import with_register

PACKAGE_DIRS = (
    Path(__file__).parent,
    Path(surveys.__file__).parent,
    Path(analysis.__file__).parent,
)

__all__ = ["DEFAULT_LANGUAGE", "LANGUAGES", "best_language", "translator"]


def translator(lang: str, register: str = "") -> gettext.NullTranslations:
    """``register``: tu / vous, how a questionnaire's built-in French messages address its
    respondents (surveys.registers); the catalogues' own wording otherwise."""
    if register:
        return with_register(lang, register, PACKAGE_DIRS)
    return translations(lang, PACKAGE_DIRS)


def best_language(accept_language: str | None, default: str) -> str:
    """The first supported language of an Accept-Language header, by quality."""
    if not accept_language:
        return default
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else default
