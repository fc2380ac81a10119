"""Every message of the questionnaire engine, in one place.

Message ids are English and marked with ``N_``; the French catalogue is
``surveys/locale/fr/LC_MESSAGES/messages.po``. Messages never name the question or section
they are about: ``render`` puts that in front (or the XLSForm sheet, row and column), and a
form shows answer problems next to their field without it.
"""

from pathlib import Path

import analysis
from analysis.i18n import N_, translations
from surveys.problems import Problem

HERE = Path(__file__).parent
CATALOGUES = (HERE, Path(analysis.__file__).parent)

MESSAGES: dict[str, str] = {
    # JSON documents
    "J_NOT_JSON": N_("This is not valid JSON (line {line}, column {column})."),
    "J_WRONG_TYPE": N_("“{path}” should be of type {expected}."),
    "J_UNKNOWN_FIELD": N_("“{path}” is not a field of a questionnaire."),
    "J_MISSING_FIELD": N_("“{path}” is missing."),
    "J_SCHEMA": N_(
        "This questionnaire uses format version {schema}; only version {supported} is supported."
    ),
    # the questionnaire as a whole
    "D_NO_LANGUAGES": N_("The questionnaire declares no language."),
    "D_BAD_LANGUAGE": N_("“{lang}” is not a language code (such as fr or en)."),
    "D_DUPLICATE_LANGUAGE": N_("The language “{lang}” is declared twice."),
    "D_MISSING_TITLE": N_("The questionnaire has no title in “{lang}”."),
    "D_NO_SECTIONS": N_("The questionnaire has no section."),
    "S_BAD_NAME": N_(
        "A section name must start with a letter and hold only letters, digits and _."
    ),
    "S_DUPLICATE_NAME": N_("This section name is used twice."),
    "S_MISSING_TITLE": N_("The section has no title in “{lang}”."),
    "S_EMPTY": N_("The section has no question."),
    # questions
    "Q_BAD_NAME": N_(
        "A question name must start with a letter and hold only letters, digits and _."
    ),
    "Q_DUPLICATE_NAME": N_("This question name is used twice (sections “{first}” and “{second}”)."),
    "Q_OTHER_NAME_CLASH": N_("This name is taken by the “other” text of question “{owner}”."),
    "Q_UNKNOWN_TYPE": N_("“{type}” is not a question type."),
    "Q_MISSING_LABEL": N_("The question has no label in “{lang}”."),
    "Q_MISSING_HINT": N_("The help text is missing in “{lang}”."),
    "Q_MISSING_CONSTRAINT_MESSAGE": N_("The constraint message is missing in “{lang}”."),
    "Q_FIELD_NOT_FOR_TYPE": N_("“{field}” does not apply to a question of type “{type}”."),
    "Q_NO_CHOICES": N_("The question has no choices."),
    "Q_BAD_CHOICE_VALUE": N_("The choice value “{value}” must be one word, without spaces."),
    "Q_DUPLICATE_CHOICE": N_("The choice value “{value}” is used twice."),
    "Q_CHOICE_MISSING_LABEL": N_("The choice “{value}” has no label in “{lang}”."),
    "Q_OTHER_CHOICE_MISSING": N_("“Other — specify” needs a choice with the value “{value}”."),
    "Q_YES_NO_CHOICES": N_("The choices of a yes/no question must be “yes” then “no”."),
    "Q_NO_ROWS": N_("The matrix has no rows."),
    "Q_BAD_ROW_NAME": N_(
        "The row name “{line}” must start with a letter and hold only letters, digits and _."
    ),
    "Q_DUPLICATE_ROW": N_("The row name “{line}” is used twice."),
    "Q_ROW_MISSING_LABEL": N_("The row “{line}” has no label in “{lang}”."),
    "Q_BAD_PICKS": N_(
        "The number of picks is inconsistent (at least {min_picks}, at most {max_picks}, out of {count} choices)."
    ),
    "Q_BAD_RANGE": N_("The range is inconsistent (from {min} to {max})."),
    # conditions
    "C_EMPTY": N_("The condition is empty."),
    "C_SYNTAX": N_("Unexpected “{found}” at position {position} in {expression}."),
    "C_UNEXPECTED_END": N_("The condition {expression} stops too early (position {position})."),
    "C_UNTERMINATED_STRING": N_(
        "A quote opened at position {position} is never closed in {expression}."
    ),
    "C_BAD_REFERENCE": N_(
        "“${{{name}}}” at position {position} is not a valid reference in {expression}."
    ),
    "C_UNKNOWN_FUNCTION": N_(
        "“{function}” (position {position}) is not a supported function in {expression}."
    ),
    "C_ARGUMENT_COUNT": N_(
        "{function}() takes {expected} argument(s), not {found}, in {expression}."
    ),
    "C_NUMBER_TOO_LARGE": N_("The number at position {position} is too large in {expression}."),
    "C_TOO_COMPLEX": N_("The condition is too long or too deeply nested (position {position})."),
    "C_UNKNOWN_NAME": N_(
        "The condition {expression} refers to “{name}”, which is not a question of this questionnaire."
    ),
    "C_LATER_QUESTION": N_(
        "The condition {expression} refers to “{name}”, which is not asked before it."
    ),
    "C_CURRENT_OUTSIDE_CONSTRAINT": N_(
        "“.” (the answer itself) can only be used in a constraint: {expression}."
    ),
    "C_NOT_FOR_TYPE": N_(
        "{function}() cannot be applied to “{name}”, a question of type “{type}”: {expression}."
    ),
    "C_UNKNOWN_CHOICE": N_("“{value}” is not a choice of question “{name}”: {expression}."),
    # answers
    "A_REQUIRED": N_("This question needs an answer."),
    "A_NOT_INTEGER": N_("“{value}” is not a whole number."),
    "A_NOT_NUMBER": N_("“{value}” is not a number."),
    "A_NOT_A_DATE": N_("“{value}” is not a valid date (expected day/month/year)."),
    "A_OUT_OF_RANGE": N_("Enter a number between {min} and {max}."),
    "A_BELOW_MIN": N_("Enter a number of at least {min}."),
    "A_ABOVE_MAX": N_("Enter a number of at most {max}."),
    "A_TOO_LONG": N_("The text is too long ({length} characters, at most {max_length})."),
    "A_UNKNOWN_CHOICE": N_("“{value}” is not one of the proposed answers."),
    "A_ONE_CHOICE_ONLY": N_("Pick only one answer."),
    "A_TOO_FEW_PICKS": N_("Pick at least {min_picks} answers."),
    "A_TOO_MANY_PICKS": N_("Pick at most {max_picks} answers."),
    "A_OTHER_MISSING": N_("You picked “other”: please specify."),
    "A_BAD_RANK": N_("The rank “{rank}” must be a number from 1 to {count}."),
    "A_RANK_DUPLICATE": N_("Rank {rank} is given twice."),
    "A_RANK_REPEATED": N_("“{value}” is ranked twice."),
    "A_MATRIX_INCOMPLETE": N_("Answer every line of the table."),
    "A_CONSTRAINT": N_("This answer is not accepted."),
    "A_BAD_VALUE": N_("The stored answer does not have the expected form."),
    "A_UNKNOWN_QUESTION": N_("There is no question with this name in the questionnaire."),
    # XLSForm import: problems
    "X_NOT_A_WORKBOOK": N_("This file is not an Excel workbook (.xlsx or .xls)."),
    "X_NO_SURVEY_SHEET": N_("The workbook has no “survey” sheet."),
    "X_MISSING_COLUMN": N_("The sheet has no “{column}” column."),
    "X_MISSING_TYPE": N_("The row has a name but no type."),
    "X_MISSING_NAME": N_("The row has no name."),
    "X_UNKNOWN_TYPE": N_("“{type}” is not an XLSForm question type."),
    "X_MISSING_LIST": N_("The choice list “{list}” does not exist in the “choices” sheet."),
    "X_MISSING_LIST_NAME": N_("The type “{type}” needs the name of a choice list."),
    "X_BAD_PARAMETERS": N_("The parameters “{parameters}” cannot be read."),
    "X_UNCLOSED_GROUP": N_("The group “{group}” is never closed (missing “end group”)."),
    "X_UNMATCHED_END": N_("This “end group” closes no group."),
    # XLSForm import: warnings (the rest of the form is imported)
    "W_UNKNOWN_COLUMN": N_("The column “{column}” is not used and was ignored."),
    "W_EXTRA_SHEET": N_("The sheet “{sheet}” is not used and was ignored."),
    "W_UNSUPPORTED_TYPE": N_(
        "The question “{name}” of type “{type}” is not supported and was skipped."
    ),
    "W_METADATA_SKIPPED": N_("Metadata fields were skipped: {names}."),
    "W_REPEAT_SKIPPED": N_(
        "The repeat group “{name}” is not supported; it was skipped with its {count} question(s)."
    ),
    "W_NESTED_GROUP": N_(
        "The group “{name}” is inside another group; its questions were added to the enclosing section."
    ),
    "W_ACKNOWLEDGE": N_("The acknowledgement “{name}” was imported as a yes/no question."),
    "W_RANGE_AS_DECIMAL": N_(
        "The range “{name}” does not step by 1; it was imported as a decimal number from {min} to {max}."
    ),
    "W_REQUIRED_EXPRESSION": N_(
        "The required condition “{value}” is not supported; the question was made optional."
    ),
    "W_MISSING_TRANSLATION": N_(
        "{count} text(s) had no translation in “{lang}”; the text in “{fallback}” was used."
    ),
    "W_CHOICE_FILTER": N_(
        "The choice filter of “{name}” was kept but is not applied when answering."
    ),
    "W_PARAMETER_IGNORED": N_("The parameter “{parameter}” is not used and was ignored."),
    "W_EMPTY_TYPE": N_("The row has no type and no name; it was ignored."),
    "W_LANGUAGE_GUESSED": N_("The language “{name}” was read as the code “{guess}”."),
}

# Where a problem is, put in front of its message.
LOCATION_CELL = N_("Sheet “{sheet}”, row {row}, column “{column}”")
LOCATION_ROW = N_("Sheet “{sheet}”, row {row}")
LOCATION_QUESTION = N_("Question “{question}”")
LOCATION_SECTION = N_("Section “{section}”")
SEPARATOR = N_("{location}: {message}")


def gettext_for(lang: str):
    return translations(lang, CATALOGUES).gettext


def location(problem: Problem, lang: str) -> str:
    _ = gettext_for(lang)
    params = problem.params
    if "row" in params and "sheet" in params:
        template = LOCATION_CELL if params.get("column") else LOCATION_ROW
    elif "question" in params:
        template = LOCATION_QUESTION
    elif "section" in params:
        template = LOCATION_SECTION
    else:
        return ""
    return _(template).format(**params)


def render(problem: Problem, lang: str, *, with_location: bool = True) -> str:
    """The problem in words, in ``lang`` ("fr" or "en"); a form's own constraint message
    wins over the generic one. Without location for messages shown next to their field."""
    _ = gettext_for(lang)
    params = problem.params
    custom = params.get("custom_message") or {}
    if custom:
        message = custom.get(lang) or next(iter(custom.values()))
    else:
        message = _(MESSAGES[problem.code]).format(**params)
    where = location(problem, lang) if with_location else ""
    return _(SEPARATOR).format(location=where, message=message) if where else message
