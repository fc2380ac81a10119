"""Answers: reading a posted page, deciding what is relevant, checking a whole response.

The server runs these for every submission; whatever the browser shows or hides only
mirrors them. Canonical answers are a dict {question name: value} holding answered,
relevant questions only (plus ``{name}_other`` texts).
"""

import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from surveys.choice_filter import not_offered, offered
from surveys.conditions import Node, is_true, parse
from surveys.document import Document, Question, Section
from surveys.problems import Problem
from surveys.types import REGISTRY, FormData, Parsed


@lru_cache(maxsize=4096)
def compiled(expression: str) -> Node:
    """Conditions are parsed once per process; documents are validated before use."""
    return parse(expression)


@dataclass(frozen=True)
class Relevance:
    answers: dict[str, Any]  # the answers that count: those of relevant questions only
    questions: dict[str, bool]
    sections: dict[str, bool]


def _keys(question: Question) -> tuple[str, ...]:
    return (question.name, question.other_name) if question.other else (question.name,)


# What is derived from a questionnaire version once rather than on every page (documents
# are cached per version): its relevance plan, each page's drivers. Held weakly, so that a
# version dropped from the document cache takes what was derived from it along.
_DERIVED: dict[int, tuple[weakref.ref, dict[Any, Any]]] = {}
_DERIVED_LOCK = threading.Lock()


def derived(document: Document) -> dict[Any, Any]:
    """A dict that lives as long as ``document``, for what is computed from it alone."""
    entry = _DERIVED.get(id(document))
    if entry is not None and entry[0]() is document:
        return entry[1]
    ident = id(document)
    with _DERIVED_LOCK:
        entry = _DERIVED.get(ident)
        if entry is None or entry[0]() is not document:
            entry = (weakref.ref(document, lambda _ref: _DERIVED.pop(ident, None)), {})
            _DERIVED[ident] = entry
    return entry[1]


def _condition(expression: str | None) -> Node | None:
    return None if expression is None else compiled(expression)


# Each section's name and condition, with its questions' names, conditions and answer keys.
_Plan = tuple[tuple[str, Node | None, tuple[tuple[str, Node | None, tuple[str, ...]], ...]], ...]


def _plan(document: Document) -> _Plan:
    memo = derived(document)
    if "relevance" not in memo:
        memo["relevance"] = tuple(
            (
                section.name,
                _condition(section.relevant),
                tuple((q.name, _condition(q.relevant), _keys(q)) for q in section.questions),
            )
            for section in document.sections
        )
    return memo["relevance"]


def relevance(document: Document, answers: Mapping[str, Any]) -> Relevance:
    """Walk the questionnaire in order; an answer to a question that is not relevant is
    dropped before any later condition sees it (as ODK does)."""
    visible: dict[str, Any] = {}
    questions: dict[str, bool] = {}
    sections: dict[str, bool] = {}
    for name, condition, items in _plan(document):
        section_on = condition is None or is_true(condition, visible)
        sections[name] = section_on
        for question, relevant, keys in items:
            on = section_on and (relevant is None or is_true(relevant, visible))
            questions[question] = on
            if on:
                for key in keys:
                    if key in answers:
                        visible[key] = answers[key]
    return Relevance(visible, questions, sections)


def _required(question: Question, answers: Mapping[str, Any]) -> list[Problem]:
    if not question.required or not REGISTRY[question.type].answerable:
        return []
    if question.name not in answers:
        if question.choice_filter and not offered(question, answers):
            return []  # earlier answers leave nothing to pick: nobody is kept from going on
        custom = dict(question.required_message)
        return [Problem("A_REQUIRED", question.name, question=question.name, custom_message=custom)]
    value = answers[question.name]
    missing = [r.name for r in question.rows if isinstance(value, dict) and r.name not in value]
    if missing:
        return [Problem("A_MATRIX_INCOMPLETE", question.name, question=question.name, rows=missing)]
    return []


def _constraint(question: Question, answers: Mapping[str, Any]) -> list[Problem]:
    if not question.constraint or question.name not in answers:
        return []
    if is_true(compiled(question.constraint), answers, current=answers[question.name]):
        return []
    return [
        Problem(
            "A_CONSTRAINT",
            question.name,
            question=question.name,
            constraint=question.constraint,
            custom_message=dict(question.constraint_message),
        )
    ]


def _offered(question: Question, answers: Mapping[str, Any]) -> list[Problem]:
    """A cascading list: the answer must be one the earlier answers offer."""
    return [
        Problem("A_NOT_OFFERED", question.name, question=question.name, value=value)
        for value in not_offered(question, answers)[:1]
    ]


def _checks(question: Question, answers: Mapping[str, Any]) -> list[Problem]:
    return (
        _required(question, answers) + _constraint(question, answers) + _offered(question, answers)
    )


@dataclass(frozen=True)
class Checked:
    """Answers kept (only relevant and well-formed ones) and the problems found."""

    answers: dict[str, Any] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    # The relevance of the whole questionnaire computed on the way (a page read): the
    # caller passes it along rather than walking the questionnaire again.
    state: Relevance | None = field(default=None, compare=False, repr=False)

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_question(question: Question, form: FormData) -> Parsed:
    return REGISTRY[question.type].parse(question, form)


def parse_section(
    document: Document, section: Section | str, form: FormData, answers: Mapping[str, Any]
) -> Checked:
    """Read one posted page against the answers already given on the other pages.

    Returns this page's entries only (to merge into the draft) and its problems; questions
    that turn out not relevant contribute neither.
    """
    if isinstance(section, str):
        section = document.section(section)
    own = {k for q in section.questions for k in _keys(q)}
    parsed = {q.name: parse_question(q, form) for q in section.questions}
    merged = {k: v for k, v in answers.items() if k not in own}
    for result in parsed.values():
        merged.update(result.entries)
    state = relevance(document, merged)
    entries: dict[str, Any] = {}
    problems: list[Problem] = []
    for question in section.questions:
        if not state.questions[question.name]:
            continue
        result = parsed[question.name]
        entries.update(result.entries)
        problems.extend(result.problems)
        if not result.problems:
            problems.extend(_checks(question, state.answers))
    # ``merged`` differs from the saved answers only by answers to questions that are not
    # relevant, which relevance ignores: this state is the saved answers' state too.
    return Checked(entries, tuple(problems), state)


def check_answers(document: Document, answers: Mapping[str, Any]) -> Checked:
    """Check a whole response (a finished draft, an API payload, an import).

    Values of the wrong shape are reported and left out; answers to questions that are not
    relevant are dropped silently, since a respondent may go back and change their mind.
    """
    problems: list[Problem] = []
    known: set[str] = set()
    well_formed: dict[str, Any] = {}
    for question in document.questions():
        keys = _keys(question)
        known.update(keys)
        given = {k: answers[k] for k in keys if k in answers}
        if not given:
            continue
        kind = REGISTRY[question.type]
        result = kind.parse(question, kind.to_form(question, given))
        if result.problems:
            problems.extend(result.problems)
        elif result.entries != given:
            problems.append(Problem("A_BAD_VALUE", question.name, question=question.name))
        else:
            well_formed.update(given)
    for key in answers:
        if key not in known:
            problems.append(Problem("A_UNKNOWN_QUESTION", key, question=key))
    state = relevance(document, well_formed)
    for question in document.questions():
        if state.questions[question.name]:
            problems.extend(_checks(question, state.answers))
    return Checked(state.answers, tuple(problems), state)


def to_form(document: Document, answers: Mapping[str, Any]) -> dict[str, list[str]]:
    """Answers written back as form values, to refill the inputs of a saved draft."""
    form: dict[str, list[str]] = {}
    for question in document.questions():
        form.update(REGISTRY[question.type].to_form(question, answers))
    return form
