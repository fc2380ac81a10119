"""Cascading lists: the ``choice_filter`` of a select (XLSForm) offers, of its choices, those
whose row matches earlier answers: ``commune=${commune}`` offers the quartiers of the commune
picked before.

A filter is an XLSForm (XPath) predicate tried on each choice: a bare name is a column of
the choice's row on the choices sheet (``name``: its value), ``${q}`` the answer to q. It is
parsed and evaluated by the condition language (surveys.conditions, never ``eval``) once
rewritten: ``${q}`` becomes ``${q_q}`` and a column ``c`` becomes ``${c_c}``, two namespaces
that cannot collide, which :class:`_Scope` resolves.

A choice keeps the columns its question's filter reads (``Choice.columns``), once per row of
the sheet that gave it: a cascading list may repeat a value under two parents, and the value
is offered when any of its rows passes. A choice without columns (the "other" of or_other, a
"None of these", one added in the designer) is always offered.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

from surveys.choices import Choice, effective_choices
from surveys.conditions import ConditionError, Node, Ref, is_true, parse, walk

_OPERATORS = {"and", "or", "div", "mod"}
# the condition tokenizer's strings, references and names, in its order
_PART = re.compile(
    r"""(?P<str>'[^']*'|"[^"]*")|\$\{(?P<ref>[^}]*)\}|(?P<name>[A-Za-z_][\w\-:]*)(?P<call>\s*\()?"""
)
QUESTION, COLUMN = "q_", "c_"
VALUE = "name"  # the column that holds a choice's value


def _rewrite(expression: str) -> str:
    def sub(m: re.Match) -> str:
        if m["ref"] is not None:
            return "${" + QUESTION + m["ref"].strip() + "}"
        name = m["name"]
        if name is None or m["call"] is not None or name in _OPERATORS:
            return m[0]
        return "${" + COLUMN + name + "}"

    return _PART.sub(sub, expression)


@lru_cache(maxsize=1024)
def compiled_filter(expression: str) -> Node:
    """The filter as a condition tree; raises ConditionError (its problem names the text
    as written) when it cannot be read."""
    try:
        return parse(_rewrite(expression))
    except ConditionError as exc:
        raise ConditionError([exc.problem.relocated("", expression=expression)]) from None


def _names(expression: str, prefix: str) -> frozenset[str]:
    try:
        node = compiled_filter(expression)
    except ConditionError:
        return frozenset()
    refs = {n.name for n in walk(node) if isinstance(n, Ref)}
    return frozenset(r.removeprefix(prefix) for r in refs if r.startswith(prefix))


def filter_questions(expression: str) -> frozenset[str]:
    """The questions whose answers a filter reads (none when it cannot be read)."""
    return _names(expression, QUESTION)


def filter_columns(expression: str) -> frozenset[str]:
    """The columns of the choices sheet a filter reads, the value (``name``) left out."""
    return _names(expression, COLUMN) - {VALUE}


class _Scope(Mapping[str, Any]):
    """What a filter sees while one row of one choice is tried."""

    def __init__(self, answers: Mapping[str, Any], row: Mapping[str, str], value: str) -> None:
        self.answers, self.row, self.value = answers, row, value

    def __getitem__(self, key: str) -> Any:
        if key.startswith(QUESTION):
            return self.answers[key.removeprefix(QUESTION)]
        column = key.removeprefix(COLUMN)
        if column == VALUE and VALUE not in self.row:
            return self.value
        return self.row[column]

    def __iter__(self) -> Iterator[str]:
        yield from (QUESTION + k for k in self.answers)
        yield from (COLUMN + k for k in self.row)

    def __len__(self) -> int:
        return len(self.answers) + len(self.row)


def _passes(node: Node, choice: Choice, answers: Mapping[str, Any]) -> bool:
    if not choice.columns:
        return True
    return any(is_true(node, _Scope(answers, row, choice.value)) for row in choice.columns)


def offered(
    question: Any, answers: Mapping[str, Any], waiting: frozenset[str] | set[str] = frozenset()
) -> tuple[Choice, ...]:
    """The choices a question offers given the (relevant) answers so far. ``waiting``:
    questions of the same page not answered yet; a filter that reads one of them offers
    every choice until it is answered (the page is checked again when it is sent)."""
    choices = effective_choices(question)
    expression = getattr(question, "choice_filter", None)
    if not expression:
        return choices
    try:
        node = compiled_filter(expression)
    except ConditionError:  # documents are validated before use; never a crash
        return choices
    if filter_questions(expression) & set(waiting):
        return choices
    return tuple(c for c in choices if _passes(node, c, answers))


def not_offered(question: Any, answers: Mapping[str, Any]) -> list[str]:
    """The values of the question's answer that its filter does not offer."""
    if not getattr(question, "choice_filter", None) or question.name not in answers:
        return []
    value = answers[question.name]
    values = value if isinstance(value, list) else [value]
    allowed = {c.value for c in offered(question, answers)}
    return [v for v in values if isinstance(v, str) and v not in allowed]


def narrowed(questions: list, answers: Mapping[str, Any]) -> list:
    """A page's questions, each cascading list cut down to what the answers offer."""
    waiting = {q.name for q in questions if q.name not in answers}
    return [
        replace(q, choices=offered(q, answers, waiting)) if q.choice_filter else q
        for q in questions
    ]
