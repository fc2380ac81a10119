"""Problems worded for the reader, and the gettext of the results (surveys' catalogues, then
analysis')."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analysis.i18n import HERE as ANALYSIS_DIR
from analysis.i18n import N_, translations
from analysis.problems import Problem

SURVEYS_DIR = Path(__file__).parent.parent


# What a person reads for each problem code of analysis.filters and of this module.
MESSAGES = {
    "FILTER_UNKNOWN_VARIABLE": N_("There is no question “%(where)s” to filter on; it was ignored."),
    "FILTER_NOT_CATEGORICAL": N_(
        "The question “%(where)s” cannot be used as a filter; it was ignored."
    ),
    "FILTER_UNKNOWN_VALUE": N_(
        "“%(value)s” is not an answer of the question “%(where)s”; it was ignored."
    ),
    "FILTER_BAD_DATE": N_("“%(value)s” is not a date (expected YYYY-MM-DD); it was ignored."),
    "FILTER_EMPTY_RANGE": N_("The start date is after the end date; the dates were ignored."),
    "RESULTS_UNKNOWN_QUESTION": N_("There is no question “%(where)s” in this questionnaire."),
    "RESULTS_NOT_CATEGORICAL": N_(
        "The question “%(where)s” has no categories: choose a single or multiple choice or a scale."
    ),
    "RESULTS_SAME_QUESTION": N_("Choose two different questions."),
}


def gettext_for(lang: str):
    """``_`` for this module: its own strings (surveys' catalogues), then analysis'."""
    return translations(lang, (SURVEYS_DIR, ANALYSIS_DIR)).gettext


@dataclass(frozen=True)
class Message:
    """A problem worded for the reader: ``message`` is a gettext id, ``params`` its values."""

    code: str
    where: str
    message: str
    params: Mapping[str, Any]


def explain(problems: Sequence[Problem]) -> list[Message]:
    return [
        Message(
            p.code,
            p.where,
            MESSAGES.get(p.code, p.code),
            {"where": p.where, **{k: str(v) for k, v in p.context.items()}},
        )
        for p in problems
    ]
