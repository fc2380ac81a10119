"""Is this questionnaire sound? Coded problems for everything a designer can get wrong.

Run before a questionnaire is saved, published or imported; the answer engine assumes a
valid document (every condition parses, every type exists).
"""

import re
from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from typing import Any

from surveys.choice_filter import compiled_filter, filter_questions
from surveys.conditions import (
    Binary,
    Call,
    ConditionError,
    Current,
    Literal,
    Node,
    Ref,
    parse,
    walk,
)
from surveys.document import Document, Question, Section
from surveys.problems import Problem
from surveys.types import OTHER, REGISTRY, TODAY, QuestionType, date_bound, effective_choices

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
CHOICE_VALUE = re.compile(r"\S+")

_QUESTION_DEFAULTS = {f.name: f for f in fields(Question)}
# "today" is a valid bound whatever the day: any date stands for it in the checks
TODAY_FOR_CHECKS = date(2000, 1, 1)


def validate(document: Document) -> list[Problem]:
    problems: list[Problem] = []
    problems += _document(document)
    problems += _names(document)
    order = {q.name: i for i, q in reversed(list(enumerate(document.questions())))}
    position = 0
    for section in document.sections:
        problems += _section(document, section, order, first=position)
        for question in section.questions:
            problems += _question(document, section, question, order, position)
            position += 1
    return problems


def _document(document: Document) -> list[Problem]:
    problems = []
    if not document.languages:
        problems.append(Problem("D_NO_LANGUAGES", "document", field="languages"))
    seen: set[str] = set()
    for lang in document.languages:
        if not LANGUAGE.fullmatch(lang):
            problems.append(Problem("D_BAD_LANGUAGE", "document", field="languages", lang=lang))
        if lang in seen:
            problems.append(
                Problem("D_DUPLICATE_LANGUAGE", "document", field="languages", lang=lang)
            )
        seen.add(lang)
    for lang in _missing(document.title, document.languages, required=True):
        problems.append(Problem("D_MISSING_TITLE", "document", field="title", lang=lang))
    if not document.sections:
        problems.append(Problem("D_NO_SECTIONS", "document", field="sections"))
    return problems


def _missing(labels: dict[str, str], languages: Iterable[str], required: bool) -> list[str]:
    """Declared languages a text lacks; an optional text left empty everywhere is fine."""
    if not required and not any(v.strip() for v in labels.values()):
        return []
    return [lang for lang in languages if not labels.get(lang, "").strip()]


def _names(document: Document) -> list[Problem]:
    problems = []
    first_section: dict[str, str] = {}
    for section in document.sections:
        for question in section.questions:
            if question.name in first_section:
                problems.append(
                    Problem(
                        "Q_DUPLICATE_NAME",
                        question.name,
                        question=question.name,
                        field="name",
                        first=first_section[question.name],
                        second=section.name,
                    )
                )
            else:
                first_section[question.name] = section.name
    others = {q.other_name: q.name for q in document.questions() if q.other}
    for question in document.questions():
        if question.name in others:
            problems.append(
                Problem(
                    "Q_OTHER_NAME_CLASH",
                    question.name,
                    question=question.name,
                    field="name",
                    owner=others[question.name],
                )
            )
    seen: set[str] = set()
    for section in document.sections:
        if section.name in seen:
            problems.append(
                Problem("S_DUPLICATE_NAME", section.name, section=section.name, field="name")
            )
        seen.add(section.name)
    return problems


def _section(
    document: Document, section: Section, order: dict[str, int], first: int
) -> list[Problem]:
    problems = []
    where = section.name
    if not IDENTIFIER.fullmatch(section.name):
        problems.append(Problem("S_BAD_NAME", where, section=section.name, field="name"))
    for lang in _missing(section.title, document.languages, required=False):
        problems.append(
            Problem("S_MISSING_TITLE", where, section=section.name, field="title", lang=lang)
        )
    if not section.questions:
        problems.append(Problem("S_EMPTY", where, section=section.name, field="questions"))
    if section.relevant is not None:
        context = {"section": section.name, "field": "relevant"}
        problems += _expression(document, section.relevant, where, context, order, first, None)
    return problems


def _question(
    document: Document, section: Section, question: Question, order: dict[str, int], position: int
) -> list[Problem]:
    where = question.name
    problems = []

    def add(code: str, **params: Any) -> None:
        problems.append(Problem(code, where, question=question.name, **params))

    if not IDENTIFIER.fullmatch(question.name):
        add("Q_BAD_NAME", field="name")
    kind = REGISTRY.get(question.type)
    if kind is None:
        add("Q_UNKNOWN_TYPE", field="type", type=question.type)
        return problems
    for lang in _missing(question.label, document.languages, required=True):
        add("Q_MISSING_LABEL", field="label", lang=lang)
    for lang in _missing(question.hint, document.languages, required=False):
        add("Q_MISSING_HINT", field="hint", lang=lang)
    for lang in _missing(question.constraint_message, document.languages, required=False):
        add("Q_MISSING_CONSTRAINT_MESSAGE", field="constraint_message", lang=lang)
    for name, f in _QUESTION_DEFAULTS.items():
        if name in ("name", "type", "label") or name in kind.fields:
            continue
        default = f.default_factory() if callable(f.default_factory) else f.default
        if getattr(question, name) != default:
            add("Q_FIELD_NOT_FOR_TYPE", field=name, type=question.type)
    _choices(document, question, kind, add)
    _numbers(question, add)
    _dates(question, add)
    if question.relevant is not None:
        context = {"question": question.name, "field": "relevant"}
        problems += _expression(document, question.relevant, where, context, order, position, None)
    if question.constraint is not None and "constraint" in kind.fields:
        context = {"question": question.name, "field": "constraint"}
        problems += _expression(
            document, question.constraint, where, context, order, position + 1, question
        )
    if question.choice_filter is not None and "choice_filter" in kind.fields:
        problems += _choice_filter(question, where, order, position)
    return problems


def _choice_filter(question: Question, where: str, order: dict[str, int], before: int):
    """A cascading list reads answers given before the question, as a relevance does."""
    context = {"question": question.name, "field": "choice_filter"}
    try:
        compiled_filter(question.choice_filter)
    except ConditionError as exc:
        return [exc.problem.relocated(where, **context)]
    problems = []
    for name in sorted(filter_questions(question.choice_filter)):
        code = "C_UNKNOWN_NAME" if name not in order else "C_LATER_QUESTION"
        if name not in order or order[name] >= before:
            problems.append(Problem(code, where, **context, name=name,
                                    expression=question.choice_filter))  # fmt: skip
    return problems


def _choices(document: Document, question: Question, kind: QuestionType, add) -> None:
    values = [c.value for c in question.choices]
    if kind.needs_choices and not values:
        add("Q_NO_CHOICES", field="choices")
    seen: set[str] = set()
    for choice in question.choices:
        if not CHOICE_VALUE.fullmatch(choice.value):
            add("Q_BAD_CHOICE_VALUE", field="choices", value=choice.value)
        if choice.value in seen:
            add("Q_DUPLICATE_CHOICE", field="choices", value=choice.value)
        seen.add(choice.value)
        for lang in _missing(choice.label, document.languages, required=True):
            add("Q_CHOICE_MISSING_LABEL", field="choices", value=choice.value, lang=lang)
        if choice.image:  # a picture says nothing to a screen reader without its text
            for lang in _missing(choice.image_alt, document.languages, required=True):
                add("Q_CHOICE_IMAGE_NO_ALT", field="choices", value=choice.value, lang=lang)
    if question.other and OTHER not in values and "other" in kind.fields:
        add("Q_OTHER_CHOICE_MISSING", field="other", value=OTHER)
    if question.type == "yes_no" and values and values != ["yes", "no"]:
        # the one type whose choices are fixed: analysis and conditions rely on yes/no
        add("Q_YES_NO_CHOICES", field="choices")
    if kind.needs_rows:
        if not question.rows:
            add("Q_NO_ROWS", field="rows")
        rows: set[str] = set()
        for row in question.rows:
            if not IDENTIFIER.fullmatch(row.name):
                add("Q_BAD_ROW_NAME", field="rows", line=row.name)
            if row.name in rows:
                add("Q_DUPLICATE_ROW", field="rows", line=row.name)
            rows.add(row.name)
            for lang in _missing(row.label, document.languages, required=True):
                add("Q_ROW_MISSING_LABEL", field="rows", line=row.name, lang=lang)


def _numbers(question: Question, add) -> None:
    low, high = question.min_picks, question.max_picks
    count = len(question.choices)
    if (
        (low is not None and low < 0)
        or (high is not None and high < 1)
        or (low is not None and high is not None and low > high)
        or (low is not None and count and low > count)
    ):
        add("Q_BAD_PICKS", field="min_picks", min_picks=low, max_picks=high, count=count)
    inverted = question.min is not None and question.max is not None and question.min > question.max
    fractional = question.type in ("rating", "integer") and any(
        v is not None and v != int(v) for v in (question.min, question.max)
    )
    if inverted or fractional:
        add("Q_BAD_RANGE", field="min", min=question.min, max=question.max)


def _dates(question: Question, add) -> None:
    bounds = {}
    for name in ("min_date", "max_date"):
        raw = getattr(question, name)
        if raw is None:
            continue
        bounds[name] = date_bound(raw, today=TODAY_FOR_CHECKS)
        if bounds[name] is None:
            add("Q_BAD_DATE_BOUND", field=name, value=raw)
    low, high = bounds.get("min_date"), bounds.get("max_date")
    fixed = TODAY not in (question.min_date, question.max_date)
    if low is not None and high is not None and fixed and low > high:
        add("Q_BAD_DATE_RANGE", field="min_date", min=question.min_date, max=question.max_date)


def _expression(
    document: Document,
    expression: str,
    where: str,
    context: dict[str, Any],
    order: dict[str, int],
    before: int,
    current: Question | None,
) -> list[Problem]:
    """Syntax, then names (known, earlier), then what each function is applied to.

    ``before``: position of the first question the expression may not read (itself, for a
    relevance condition; the next one, for a constraint, which may read its own value).
    """
    try:
        node = parse(expression)
    except ConditionError as exc:
        return [exc.problem.relocated(where, **context)]
    problems = []

    def add(code: str, **params: Any) -> None:
        problems.append(Problem(code, where, **context, expression=expression, **params))

    for name in sorted({n.name for n in walk(node) if isinstance(n, Ref)}):
        if name not in order:
            add("C_UNKNOWN_NAME", name=name)
        elif order[name] >= before:
            add("C_LATER_QUESTION", name=name)
    if current is None and any(isinstance(n, Current) for n in walk(node)):
        add("C_CURRENT_OUTSIDE_CONSTRAINT")
    for n in walk(node):
        _check_use(document, n, current, add)
    return problems


def _subject(document: Document, node: Node, current: Question | None) -> Question | None:
    if isinstance(node, Current):
        return current
    if isinstance(node, Ref) and document.has_question(node.name):
        return document.question(node.name)
    return None


_ACCEPTS: dict[str, set[str]] = {
    "selected": {"choice", "choices"},
    "count-selected": {"choice", "choices"},
    "string-length": {"string", "date", "choice"},
}


def _check_use(document: Document, node: Node, current: Question | None, add) -> None:
    if isinstance(node, Call) and node.args:
        subject = _subject(document, node.args[0], current)
        kind = REGISTRY.get(subject.type) if subject else None
        accepts = _ACCEPTS.get(node.function)
        if kind is not None and accepts is not None and kind.value_kind not in accepts:
            add("C_NOT_FOR_TYPE", function=node.function, name=subject.name, type=subject.type)
        elif kind is not None and node.function == "selected":
            _check_choice(subject, node.args[1], add)
    elif isinstance(node, Binary) and node.op in ("=", "!="):
        for a, b in ((node.left, node.right), (node.right, node.left)):
            subject = _subject(document, a, current)
            kind = REGISTRY.get(subject.type) if subject else None
            if kind is not None and kind.value_kind == "choice":
                _check_choice(subject, b, add)


def _check_choice(question: Question, node: Node, add) -> None:
    literal = isinstance(node, Literal) and isinstance(node.value, str) and node.value
    if literal and node.value not in question.choice_values():
        valid = ", ".join(  # the values, each with its first label: yes (Oui), no (Non)
            f"{c.value} ({next(iter(c.label.values()))})" if c.label else c.value
            for c in effective_choices(question)
        )
        add("C_UNKNOWN_CHOICE", name=question.name, value=node.value, valid=valid)
