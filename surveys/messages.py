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
from surveys.registers import with_register

HERE = Path(__file__).parent
CATALOGUES = (HERE, Path(analysis.__file__).parent)

MESSAGES: dict[str, str] = {
    # JSON documents
    "J_NOT_JSON": N_("This is not valid JSON (line {line}, column {column})."),
    "J_WRONG_TYPE": N_("“{path}” should be of type {expected}."),
    "J_UNKNOWN_FIELD": N_("“{path}” is not a field of a questionnaire."),
    "J_MISSING_FIELD": N_("“{path}” is missing."),
    "J_TOO_DEEP": N_("The file nests arrays and objects more than {max} levels deep."),
    "J_SCHEMA": N_(
        "This questionnaire uses format version {schema}; only version {supported} is supported."
    ),
    # uploads, read in a child process with a deadline and a memory ceiling
    "U_TOO_LONG": N_(
        "The file could not be read within {seconds} seconds; it was set aside. "
        "Check that it holds only the questionnaire."
    ),
    "U_TOO_BIG": N_(
        "Reading the file needed too much memory; it was set aside. "
        "Check that it holds only the questionnaire."
    ),
    # the questionnaire as a whole
    "Q_TOO_MANY_QUESTIONS": N_(
        "The questionnaire would hold {count} questions; at most {max} are allowed."
    ),
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
    "Q_BAD_DATE_BOUND": N_("“{value}” is not a date bound (a date YYYY-MM-DD, or “today”)."),
    "Q_BAD_DATE_RANGE": N_("The dates are inconsistent (from {min} to {max})."),
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
    "C_UNKNOWN_CHOICE": N_(
        "“{value}” is not a choice of question “{name}”: {expression}. Valid choices: {valid}."
    ),
    # the condition builder of the designer
    "L_BAD_OPERATOR": N_("“{operator}” cannot be used with this question."),
    "L_NOT_A_CHOICE": N_("“{value}” is not a choice of “{name}”. Valid choices: {valid}."),
    "L_NOT_A_NUMBER": N_("“{value}” is not a number."),
    "L_NOT_A_DATE": N_("“{value}” is not a date (day/month/year)."),
    "L_NO_VALUE": N_("Give the value to compare with."),
    "L_NO_QUESTION": N_("Choose a question asked before this one."),
    "C_BAD_REGEX": N_(
        "The pattern of regex() at position {position} is refused ({reason}): keep it short, "
        "without a repeated group that itself repeats, in {expression}."
    ),
    # answers
    "A_REQUIRED": N_("This question needs an answer."),
    "A_NOT_INTEGER": N_("“{value}” is not a whole number."),
    "A_NOT_NUMBER": N_("“{value}” is not a number."),
    "A_NOT_A_DATE": N_("“{value}” is not a valid date (expected day/month/year)."),
    "A_DATE_IN_FUTURE": N_("The date {value} is in the future."),
    "A_DATE_AFTER": N_("The date must be {max} or earlier."),
    "A_DATE_BEFORE": N_("The date must be {min} or later."),
    "A_EXCLUSIVE_CHOICE": N_("This answer cannot be combined with the others you ticked."),
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
    "A_NOT_OFFERED": N_(
        "This answer is not offered after your earlier answers: pick one of the answers shown."
    ),
    "A_BAD_VALUE": N_("The stored answer does not have the expected form."),
    "A_UNKNOWN_QUESTION": N_("There is no question with this name in the questionnaire."),
    # XLSForm import: problems
    "X_NOT_A_WORKBOOK": N_("This file is not an Excel workbook (.xlsx or .xls)."),
    "X_ZIP_WORKBOOKS": N_(
        "A .zip must hold one XLSForm workbook (.xlsx or .xls) beside its pictures; this one "
        "holds {count}."
    ),
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
        "The choice filter of “{name}” reads the column “{choices_column}”, which the choices sheet "
        "does not have: it was removed and every choice is offered."
    ),
    "W_PARAMETER_IGNORED": N_("The parameter “{parameter}” is not used and was ignored."),
    "W_EMPTY_TYPE": N_("The row has no type and no name; it was ignored."),
    # interoperability (pyxform import, workbook limits)
    "X_PYXFORM": N_("pyxform, the XLSForm converter of ODK and Kobo, refuses this form: {message}"),
    "X_NO_QUESTIONS": N_(
        "Nothing in this form can be asked by Consult ({skipped} question(s) are in repeat groups, which Consult does not support)."
    ),
    "X_NOTHING_TO_ASK": N_(
        "Nothing in this form can be asked by Consult: the warnings say what was left out."
    ),
    "F_TOO_MANY_ROWS": N_("The sheet has more than {limit} rows."),
    "F_TOO_MANY_COLUMNS": N_("The sheet has more than {limit} columns."),
    "F_TOO_MANY_CELLS": N_("The file has more than {limit} cells."),
    "F_TOO_LARGE": N_("The file holds more than {limit} MB once unpacked."),
    "F_NOT_CSV": N_("This file cannot be read as CSV."),
    "W_CALCULATE_INLINED": N_(
        "The calculation “{name}” is not stored; the conditions that use it compute it in place."
    ),
    "W_CONDITION_DROPPED": N_(
        "The condition {expression} cannot be run by Consult ({reason}) and was removed."
    ),
    "W_NAME_CHANGED": N_("The name “{name}” was changed to “{new}” (letters, digits and _ only)."),
    "W_CHOICE_VALUE_CHANGED": N_(
        "The choice value “{value}” holds spaces; they were replaced by _."
    ),
    "W_RANGE_STEP": N_(
        "The range “{name}” from {min} to {max} steps by {step}: a constraint keeps the steps."
    ),
    "W_OTHER_IGNORED": N_(
        "“Other — specify” is not supported on a ranking (“{name}”); it was left out."
    ),
    "W_DUPLICATE_CHOICE": N_(
        "The choice value “{value}” appears twice in the list; the first was kept (choice filters are not applied)."
    ),
    "W_LABEL_FROM_NAME": N_("The question “{name}” has no text label; its name is shown instead."),
    "W_LABEL_REFERENCE": N_(
        "The text shows ${{{reference}}}, which is not a question of Consult; it reads [{reference}]."
    ),
    "I_COLUMN_IGNORED": N_("The column “{column}” matches no question and was ignored."),
    "I_NO_COLUMN_MATCHED": N_("No column of the file matches a question of the questionnaire."),
    "I_NOT_A_TICK": N_("“{value}” in column “{column}” is not a tick (1/0, oui/non, vrai/faux)."),
    "L_NOT_LSS": N_("This file is not a LimeSurvey survey (.lss)."),
    "W_LS_UNSUPPORTED_TYPE": N_(
        "The LimeSurvey question “{name}” of type “{type}” is not supported and was skipped."
    ),
    "W_LS_COMMENT_IGNORED": N_(
        "The comment box of “{name}” is not supported; the question was imported without it."
    ),
    "W_LANGUAGE_GUESSED": N_("The language “{name}” was read as the code “{guess}”."),
    # population margins (representativeness)
    "P_NOT_UTF8": N_("The file is not UTF-8 text: save it as “CSV UTF-8” and try again."),
    "P_EMPTY": N_("The file is empty."),
    "P_TOO_MANY_ROWS": N_("The file has more than {limit} rows: is it really a margins table?"),
    "P_BAD_HEADER": N_(
        "Row {row}: the header should be “variable,category,share” (or count), "
        "or “<question>,share” for one question; “{value}” is not share or count."
    ),
    "P_SHORT_ROW": N_("Row {row}: a variable, a category and a value are needed."),
    "P_NOT_A_NUMBER": N_("Row {row}: “{value}” is not a positive number."),
    "P_DUPLICATE": N_("Row {row}: the category “{value}” of “{variable}” is given twice."),
    "P_SUM": N_("The shares of “{variable}” add up to {total}, not 1."),
    "P_UNKNOWN_QUESTION": N_(
        "“{variable}” is not a question of this questionnaire that describes people "
        "(a single choice or a number)."
    ),
    "P_UNKNOWN_CATEGORY": N_(
        "“{value}” is neither a choice of “{variable}” nor a band such as 14-17 or 22+."
    ),
    "P_OVERLAPPING_BANDS": N_(
        "Row {row}: the bands “{first}” and “{value}” of “{variable}” overlap (both hold "
        "{shared}); each respondent must fall in one band only."
    ),
    "P_GAP_BETWEEN_BANDS": N_(
        "Row {row}: between the bands “{first}” and “{value}” of “{variable}”, {missing} is "
        "in no band, so those respondents would be left out; make the bands follow on."
    ),
    "P_NO_MARGINS": N_("This campaign has no population margins yet."),
    "P_PUBLIC_NOT_WEIGHTED": N_(
        "A public report is never weighted: its small numbers are judged on the people who "
        "answered. Ask for the weighted report without “public”."
    ),
    "P_UNKNOWN_VARIABLE": N_("“{variable}” has no answers to weight on."),
    "P_NEGATIVE_SHARE": N_("A share of “{variable}” is negative."),
    "P_SHARES_SUM": N_("The shares of “{variable}” add up to {total}, not 1."),
    "P_CATEGORY_NOT_IN_MARGIN": N_(
        "Some respondents of “{variable}” answered “{value}”, which the margins leave out."
    ),
    "P_EMPTY_CATEGORY": N_(
        "Nobody answered “{value}” for “{variable}”: weights cannot make up a group with no respondent."
    ),
    # choice images (easy-read): the upload, its description, an XLSForm's media column
    "M_TOO_BIG": N_("The image is larger than {max_mb} MB: choose a smaller file."),
    "M_NOT_AN_IMAGE": N_("This file is not a PNG, JPEG or WebP image."),
    "M_TOO_MANY_PIXELS": N_("The image has more than {max} million pixels: choose a smaller one."),
    "M_NO_FILE": N_("Choose an image file (PNG, JPEG or WebP)."),
    "M_MISSING_ALT": N_(
        "Describe the image in “{lang}”: this text is read to those who cannot see it."
    ),
    "M_TOO_LONG": N_("The image could not be read within {seconds} seconds; it was set aside."),
    "Q_CHOICE_IMAGE_NO_ALT": N_(
        "The image of the choice “{value}” has no description in “{lang}”."
    ),
    "W_CHOICE_IMAGE_MISSING": N_(
        "The image “{file}” of the choice “{value}” is not in the file: "
        "add it in the editor (Images of the choices)."
    ),
}

# Where a problem is, put in front of its message.
LOCATION_CELL = N_("Sheet “{sheet}”, row {row}, column “{column}”")
LOCATION_ROW = N_("Sheet “{sheet}”, row {row}")
LOCATION_QUESTION = N_("Question “{question}”")
LOCATION_IMPORT_ROW = N_("Row {row}")
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


def render_import(problem: Problem, lang: str) -> str:
    """A problem of a response import: its row (and question) in front of the message."""
    _ = gettext_for(lang)
    message = render(problem, lang, with_location=False)
    params = problem.params
    where = _(LOCATION_IMPORT_ROW).format(**params) if "row" in params else ""
    if "question" in params:
        question = _(LOCATION_QUESTION).format(**params)
        where = f"{where}, {question}" if where else question
    return _(SEPARATOR).format(location=where, message=message) if where else message


def render(problem: Problem, lang: str, *, with_location: bool = True, register: str = "") -> str:
    """The problem in words, in ``lang`` ("fr" or "en"); a form's own constraint message
    wins over the generic one. Without location for messages shown next to their field;
    ``register`` (tu / vous) for a questionnaire's respondents."""
    _ = with_register(lang, register, CATALOGUES).gettext if register else gettext_for(lang)
    params = problem.params
    custom = params.get("custom_message") or {}
    if custom:
        message = custom.get(lang) or next(iter(custom.values()))
    else:
        message = _(MESSAGES[problem.code]).format(**params)
    where = location(problem, lang) if with_location else ""
    return _(SEPARATOR).format(location=where, message=message) if where else message
