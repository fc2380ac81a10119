"""The question-type registry: one entry per type, nothing type-specific anywhere else.

Each entry says how to read the raw form values a browser posts (a multi-dict), how to write
a stored answer back into form values (to refill a draft), which template shows it, which
document fields make sense for it, and what kind of variable it becomes in analysis.
"""

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from surveys.choices import YES_NO_CHOICES as YES_NO_CHOICES  # re-exported: callers import it here
from surveys.choices import effective_choices as effective_choices
from surveys.document import Question
from surveys.problems import Problem

FormData = Mapping[str, Sequence[str]]
Entries = dict[str, Any]

TEXT_MAX_LENGTH = 1000
LONG_TEXT_MAX_LENGTH = 20000
RATING_RANGE = (0, 10)
OTHER = "other"

OTHER_LABELS = {"fr": "Autre", "en": "Other"}


@dataclass(frozen=True)
class Parsed:
    """What one question's raw form values mean: entries to store, or why they cannot be."""

    entries: Entries = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class QuestionType:
    name: str
    parse: Callable[[Question, FormData], Parsed]
    to_form: Callable[[Question, Mapping[str, Any]], dict[str, list[str]]]
    # single | multi | ordinal | numeric | text | date | matrix | ranking; None: nothing to analyse
    analysis_kind: str | None
    # what `${name}` holds, for static checks of conditions:
    # choice | choices | number | string | date | rows | none
    value_kind: str
    fields: frozenset[str]
    needs_choices: bool = False
    needs_rows: bool = False

    @property
    def template(self) -> str:
        return f"questions/{self.name}.html"

    @property
    def answerable(self) -> bool:
        return self.value_kind != "none"


# --- reading raw values ---------------------------------------------------------------

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")
_FRENCH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _values(form: FormData, key: str) -> list[str]:
    raw = form.get(key, ())
    if isinstance(raw, str):  # a plain dict from a test or an API, not a multi-dict
        raw = [raw]
    return [v.strip() for v in raw if isinstance(v, str) and v.strip()]


def _first(form: FormData, key: str) -> str:
    values = _values(form, key)
    return values[0] if values else ""


def _problem(question: Question, code: str, **params: Any) -> Problem:
    return Problem(code, question.name, question=question.name, **params)


def _fail(question: Question, code: str, **params: Any) -> Parsed:
    return Parsed(problems=(_problem(question, code, **params),))


def _bounds(question: Question, value: float) -> tuple[Problem, ...]:
    low, high = question.min, question.max
    if question.type == "rating":
        low = RATING_RANGE[0] if low is None else low
        high = RATING_RANGE[1] if high is None else high
    if (low is not None and value < low) or (high is not None and value > high):
        if low is not None and high is not None:
            return (_problem(question, "A_OUT_OF_RANGE", min=low, max=high, value=value),)
        if low is not None:
            return (_problem(question, "A_BELOW_MIN", min=low, value=value),)
        return (_problem(question, "A_ABOVE_MAX", max=high, value=value),)
    return ()


def parse_integer(question: Question, form: FormData) -> Parsed:
    raw = _SPACES.sub("", _first(form, question.name))
    if not raw:
        return Parsed()
    if not _INTEGER.fullmatch(raw) or len(raw) > 15:
        return _fail(question, "A_NOT_INTEGER", value=raw)
    value = int(raw)
    return Parsed({question.name: value}, _bounds(question, value))


def parse_decimal(question: Question, form: FormData) -> Parsed:
    raw = _SPACES.sub("", _first(form, question.name))
    if not raw:
        return Parsed()
    if not _DECIMAL.fullmatch(raw) or len(raw) > 30:
        return _fail(question, "A_NOT_NUMBER", value=raw)
    value = float(raw.replace(",", "."))  # French decimal comma
    return Parsed({question.name: value}, _bounds(question, value))


def _text_parser(max_length: int) -> Callable[[Question, FormData], Parsed]:
    def parse_text(question: Question, form: FormData) -> Parsed:
        value = _first(form, question.name)
        if not value:
            return Parsed()
        if len(value) > max_length:
            return _fail(question, "A_TOO_LONG", max_length=max_length, length=len(value))
        return Parsed({question.name: value})

    return parse_text


TODAY = "today"


def date_bound(bound: str | None, today: dt.date | None = None) -> dt.date | None:
    """A date bound of a question ("YYYY-MM-DD" or "today") as a date; None when unset or
    unreadable (surveys.validation reports the latter to the designer)."""
    if not bound:
        return None
    if bound == TODAY:
        return today or dt.date.today()
    try:
        return dt.date.fromisoformat(bound)
    except ValueError:
        return None


def parse_date(question: Question, form: FormData) -> Parsed:
    raw = _first(form, question.name)
    if not raw:
        return Parsed()
    french = _FRENCH_DATE.fullmatch(raw)  # typed by hand where no date picker exists
    text = f"{french[3]}-{int(french[2]):02d}-{int(french[1]):02d}" if french else raw
    try:
        if len(text) != 10:
            raise ValueError(text)
        value = dt.date.fromisoformat(text)
    except ValueError:
        return _fail(question, "A_NOT_A_DATE", value=raw)
    low, high = date_bound(question.min_date), date_bound(question.max_date)
    shown = value.strftime("%d/%m/%Y")
    if high is not None and value > high:
        if question.max_date == TODAY:
            return _fail(question, "A_DATE_IN_FUTURE", value=shown)
        return _fail(question, "A_DATE_AFTER", value=shown, max=high.strftime("%d/%m/%Y"))
    if low is not None and value < low:
        return _fail(question, "A_DATE_BEFORE", value=shown, min=low.strftime("%d/%m/%Y"))
    return Parsed({question.name: value.isoformat()})


def _other(question: Question, form: FormData, picked: Sequence[str]) -> tuple[Entries, tuple]:
    """The "other — specify" text travels beside the answer, only when "other" is picked."""
    if not (question.other and OTHER in picked):
        return {}, ()
    text = _first(form, question.other_name)
    if not text:
        return {}, (_problem(question, "A_OTHER_MISSING"),)
    if len(text) > TEXT_MAX_LENGTH:
        return {}, (_problem(question, "A_TOO_LONG", max_length=TEXT_MAX_LENGTH, length=len(text)),)
    return {question.other_name: text}, ()


def _unknown(question: Question, values: Sequence[str]) -> tuple[Problem, ...]:
    known = set(question.choice_values())
    return tuple(_problem(question, "A_UNKNOWN_CHOICE", value=v) for v in values if v not in known)


def _picks(question: Question, count: int) -> tuple[Problem, ...]:
    if question.min_picks is not None and count < question.min_picks:
        return (_problem(question, "A_TOO_FEW_PICKS", min_picks=question.min_picks, count=count),)
    if question.max_picks is not None and count > question.max_picks:
        return (_problem(question, "A_TOO_MANY_PICKS", max_picks=question.max_picks, count=count),)
    return ()


def parse_single(question: Question, form: FormData) -> Parsed:
    values = _values(form, question.name)
    if not values:
        return Parsed()
    if len(set(values)) > 1:
        return _fail(question, "A_ONE_CHOICE_ONLY", count=len(values))
    unknown = _unknown(question, values[:1])
    if unknown:
        return Parsed(problems=unknown)
    other, problems = _other(question, form, values[:1])
    return Parsed({question.name: values[0], **other}, problems)


# The convention of XLSForm files and of this project's library for "none of these": a
# constraint that refuses the choice together with any other.
_NONE_CONSTRAINT = re.compile(
    r"\s*not\s*\(\s*selected\s*\(\s*\.\s*,\s*(['\"])(?P<value>[^'\"]+)\1\s*\)\s*and\s*"
    r"count-selected\s*\(\s*\.\s*\)\s*>\s*1\s*\)\s*"
)


def exclusive_values(question: Question) -> frozenset[str]:
    """Choices of a multiple choice that are picked alone: marked ``exclusive``, or named by
    the "none" constraint convention."""
    values = {c.value for c in question.choices if c.exclusive}
    found = _NONE_CONSTRAINT.fullmatch(question.constraint or "")
    if found:
        values.add(found["value"])
    return frozenset(values)


def parse_multiple(question: Question, form: FormData) -> Parsed:
    picked = set(_values(form, question.name))
    if not picked:
        return Parsed()
    unknown = _unknown(question, sorted(picked))
    if unknown:
        return Parsed(problems=unknown)
    values = [v for v in question.choice_values() if v in picked]  # canonical: choice order
    # Marked choices here; the constraint convention checks itself (with its own message).
    alone = [v for v in values if v in {c.value for c in question.choices if c.exclusive}]
    if alone and len(values) > 1:
        return _fail(question, "A_EXCLUSIVE_CHOICE", value=alone[0])
    other, problems = _other(question, form, values)
    return Parsed({question.name: values, **other}, _picks(question, len(values)) + problems)


def parse_ranking(question: Question, form: FormData) -> Parsed:
    """Either one position per item (`name/value` = "1", works without JavaScript),
    or the values in ranked order under `name` (what a drag-and-drop widget posts)."""
    choices = question.choice_values()
    positions = {v: _first(form, f"{question.name}/{v}") for v in choices}
    if any(positions.values()):
        ranked: list[tuple[int, str]] = []
        for value, raw in positions.items():
            if not raw:
                continue
            if not _INTEGER.fullmatch(raw) or not 1 <= int(raw) <= len(choices):
                return _fail(question, "A_BAD_RANK", value=value, rank=raw, count=len(choices))
            ranked.append((int(raw), value))
        taken = [rank for rank, _ in ranked]
        duplicates = sorted({r for r in taken if taken.count(r) > 1})
        if duplicates:
            return _fail(question, "A_RANK_DUPLICATE", rank=duplicates[0])
        values = [value for _, value in sorted(ranked)]
    else:
        values = _values(form, question.name)
        if not values:
            return Parsed()
        unknown = _unknown(question, values)
        if unknown:
            return Parsed(problems=unknown)
        if len(set(values)) != len(values):
            repeated = next(v for v in values if values.count(v) > 1)
            return _fail(question, "A_RANK_REPEATED", value=repeated)
    return Parsed({question.name: values}, _picks(question, len(values)))


def parse_matrix(question: Question, form: FormData) -> Parsed:
    answer: dict[str, str] = {}
    problems: list[Problem] = []
    known = set(question.choice_values())
    for row in question.rows:
        values = _values(form, f"{question.name}/{row.name}")
        if not values:
            continue
        if len(set(values)) > 1:
            problems.append(
                _problem(question, "A_ONE_CHOICE_ONLY", line=row.name, count=len(values))
            )
        elif values[0] not in known:
            problems.append(_problem(question, "A_UNKNOWN_CHOICE", line=row.name, value=values[0]))
        else:
            answer[row.name] = values[0]
    if problems:
        return Parsed(problems=tuple(problems))
    return Parsed({question.name: answer} if answer else {})


def parse_nothing(question: Question, form: FormData) -> Parsed:
    return Parsed()


# --- writing answers back as form values ----------------------------------------------


def _scalar_form(question: Question, answers: Mapping[str, Any]) -> dict[str, list[str]]:
    if question.name not in answers:
        return {}
    value = answers[question.name]
    if isinstance(value, list | dict | bool) or value is None:
        return {question.name: []}
    form = {question.name: [str(value)]}
    if question.other_name in answers and question.other:
        form[question.other_name] = [str(answers[question.other_name])]
    return form


def _list_form(question: Question, answers: Mapping[str, Any]) -> dict[str, list[str]]:
    if question.name not in answers:
        return {}
    value = answers[question.name]
    form = {question.name: [str(v) for v in value] if isinstance(value, list) else []}
    if question.other_name in answers and question.other:
        form[question.other_name] = [str(answers[question.other_name])]
    return form


def _ranking_form(question: Question, answers: Mapping[str, Any]) -> dict[str, list[str]]:
    value = answers.get(question.name)
    if not isinstance(value, list):
        return {question.name: []} if question.name in answers else {}
    return {f"{question.name}/{v}": [str(i)] for i, v in enumerate(value, start=1)}


def _matrix_form(question: Question, answers: Mapping[str, Any]) -> dict[str, list[str]]:
    value = answers.get(question.name)
    if not isinstance(value, dict):
        return {}
    return {f"{question.name}/{row}": [str(v)] for row, v in value.items()}


def _no_form(question: Question, answers: Mapping[str, Any]) -> dict[str, list[str]]:
    return {}


# --- the registry ---------------------------------------------------------------------

_COMMON = frozenset(
    {"label", "hint", "relevant", "appearance", "required", "required_message", "easy"}
)
_CHECKED = _COMMON | {"constraint", "constraint_message"}
_CHOICES = _CHECKED | {"choices", "choice_filter"}
_NUMBERS = _CHECKED | {"min", "max"}
_PICKS = frozenset({"min_picks", "max_picks"})


def _entry(name: str, **kw: Any) -> tuple[str, QuestionType]:
    return name, QuestionType(name=name, **kw)


REGISTRY: dict[str, QuestionType] = dict(
    [
        _entry("single_choice", parse=parse_single, to_form=_scalar_form, analysis_kind="single",
               value_kind="choice", fields=_CHOICES | {"other"}, needs_choices=True),
        _entry("multiple_choice", parse=parse_multiple, to_form=_list_form, analysis_kind="multi",
               value_kind="choices", fields=_CHOICES | _PICKS | {"other"}, needs_choices=True),
        _entry("likert", parse=parse_single, to_form=_scalar_form, analysis_kind="ordinal",
               value_kind="choice", fields=_CHOICES, needs_choices=True),
        _entry("rating", parse=parse_integer, to_form=_scalar_form, analysis_kind="numeric",
               value_kind="number", fields=_NUMBERS),
        _entry("integer", parse=parse_integer, to_form=_scalar_form, analysis_kind="numeric",
               value_kind="number", fields=_NUMBERS),
        _entry("decimal", parse=parse_decimal, to_form=_scalar_form, analysis_kind="numeric",
               value_kind="number", fields=_NUMBERS),
        _entry("text", parse=_text_parser(TEXT_MAX_LENGTH), to_form=_scalar_form,
               analysis_kind="text", value_kind="string", fields=_CHECKED),
        _entry("long_text", parse=_text_parser(LONG_TEXT_MAX_LENGTH), to_form=_scalar_form,
               analysis_kind="text", value_kind="string", fields=_CHECKED),
        _entry("date", parse=parse_date, to_form=_scalar_form, analysis_kind="date",
               value_kind="date", fields=_CHECKED | {"min_date", "max_date"}),
        _entry("yes_no", parse=parse_single, to_form=_scalar_form, analysis_kind="single",
               value_kind="choice", fields=_CHECKED | {"choices"}),
        _entry("ranking", parse=parse_ranking, to_form=_ranking_form, analysis_kind="ranking",
               value_kind="choices", fields=_CHOICES | _PICKS, needs_choices=True),
        _entry("matrix", parse=parse_matrix, to_form=_matrix_form, analysis_kind="matrix",
               value_kind="rows", fields=_COMMON | {"choices", "rows"}, needs_choices=True,
               needs_rows=True),
        _entry("note", parse=parse_nothing, to_form=_no_form, analysis_kind=None,
               value_kind="none", fields=frozenset({"label", "hint", "relevant", "appearance", "easy"})),
    ]
)  # fmt: skip


def question_type(name: str) -> QuestionType | None:
    return REGISTRY.get(name)
