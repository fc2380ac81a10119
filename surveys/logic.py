"""Conditions as a person reads and builds them: clauses of question, operator and value.

The designer shows a condition (a question's or a page's relevance, a question's constraint)
in words — « Fais-tu partie d'un club ? » = Oui — and edits it with one row per clause, the
value picked among the question's choices. Underneath it stays an XLSForm expression of the
condition language (``surveys.conditions``). A condition that is not a flat chain of such
clauses joined by one ``and``/``or`` is only shown and edited as text ("advanced").

Building never asks for an internal value: a typed label (« Oui ») is turned into its value
(``yes``), and a value that is neither is refused with the list of valid ones.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from surveys.conditions import (
    Binary,
    Call,
    ConditionError,
    Current,
    Literal,
    Node,
    Ref,
    parse,
    to_text,
)
from surveys.document import Document, Question, text
from surveys.problems import Problem
from surveys.types import REGISTRY, effective_choices

ANSWER = "."  # the subject of a constraint: the answer being checked

# Operators per kind of value held by the question; the first one is the default.
OPERATORS_BY_KIND = {
    "choice": ("=", "!=", "answered"),
    "choices": ("selected", "not_selected", "answered"),
    "number": ("=", "!=", ">", ">=", "<", "<=", "answered"),
    "date": ("=", "!=", ">", ">=", "<", "<=", "answered"),
    "string": ("=", "!=", "answered"),
}
CONSTRAINT_OPERATORS = ("=", "!=", ">", ">=", "<", "<=")
COMPARISONS = ("=", "!=", ">", ">=", "<", "<=")
JOINERS = ("and", "or")


@dataclass(frozen=True)
class Clause:
    question: str  # a question name, or "." in a constraint
    op: str  # one of the operators above
    value: str | int | float = ""


@dataclass(frozen=True)
class Logic:
    """A condition as clauses (empty when the expression is none), or only its text."""

    clauses: tuple[Clause, ...] = ()
    joiner: str = "and"
    expression: str = ""
    simple: bool = True  # False: not clauses, edited as text only


@dataclass(frozen=True)
class Said:
    """One clause in words: the question's label, the operator, the value's label."""

    question: str
    label: str
    op: str
    value: str


def kind_of(question: Question) -> str | None:
    kind = REGISTRY.get(question.type)
    value_kind = kind.value_kind if kind else None
    return value_kind if value_kind in OPERATORS_BY_KIND else None


def operators_for(question: Question | None) -> tuple[str, ...]:
    if question is None:
        return CONSTRAINT_OPERATORS
    return OPERATORS_BY_KIND.get(kind_of(question) or "", ())


def can_be_asked_about(question: Question) -> bool:
    return kind_of(question) is not None


# --- reading ----------------------------------------------------------------------------


def _chain(node: Node, op: str) -> list[Node]:
    if isinstance(node, Binary) and node.op == op:
        return _chain(node.left, op) + _chain(node.right, op)
    return [node]


def _clause(node: Node) -> Clause | None:
    if isinstance(node, Call) and node.function == "not" and len(node.args) == 1:
        inner = _clause(node.args[0])
        return (
            Clause(inner.question, "not_selected", inner.value)
            if inner and inner.op == "selected"
            else None
        )
    if isinstance(node, Call) and node.function == "selected" and len(node.args) == 2:
        ref, literal = node.args
        if isinstance(ref, Ref) and isinstance(literal, Literal):
            return Clause(ref.name, "selected", literal.value)
        return None
    if isinstance(node, Binary) and node.op in COMPARISONS and isinstance(node.right, Literal):
        subject = node.left
        name = (
            subject.name
            if isinstance(subject, Ref)
            else ANSWER
            if isinstance(subject, Current)
            else None
        )
        if name is None:
            return None
        if node.op == "!=" and node.right.value == "" and name != ANSWER:
            return Clause(name, "answered")
        return Clause(name, node.op, node.right.value)
    return None


def read(expression: str | None) -> Logic:
    """The clauses of an expression, or a Logic that is not simple (shown as text only)."""
    if not expression or not expression.strip():
        return Logic()
    try:
        node = parse(expression)
    except ConditionError:
        return Logic(expression=expression, simple=False)
    for joiner in JOINERS:
        leaves = _chain(node, joiner)
        if len(leaves) > 1 or joiner == "or":
            clauses = [_clause(leaf) for leaf in leaves]
            if all(clauses):
                return Logic(tuple(clauses), joiner, expression)  # type: ignore[arg-type]
    return Logic(expression=expression, simple=False)


def _value_text(document: Document, clause: Clause, lang: str) -> str:
    if document.has_question(clause.question):
        for choice in effective_choices(document.question(clause.question)):
            if choice.value == clause.value:
                return text(choice.label, lang, document.default_language) or choice.value
    value = clause.value
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return str(value)


def say(document: Document, expression: str | None, lang: str) -> tuple[list[Said], str, str]:
    """(clauses in words, joiner, text): the words are empty when only the text can say it."""
    logic = read(expression)
    if not logic.simple:
        return [], "", logic.expression
    said = []
    for clause in logic.clauses:
        if clause.question == ANSWER:
            label = ""
        elif document.has_question(clause.question):
            question = document.question(clause.question)
            label = text(question.label, lang, document.default_language) or clause.question
        else:
            return [], "", logic.expression
        said.append(Said(clause.question, label, clause.op, _value_text(document, clause, lang)))
    return said, logic.joiner, logic.expression


# --- building ---------------------------------------------------------------------------


def choice_value(question: Question, typed: str) -> str | None:
    """The value of the choice typed either as its value or as one of its labels."""
    typed = typed.strip()
    choices = effective_choices(question)
    for choice in choices:
        if choice.value == typed:
            return choice.value
    folded = typed.casefold()
    for choice in choices:
        if any(label.strip().casefold() == folded for label in choice.label.values()):
            return choice.value
    return None


def valid_values(question: Question, lang: str, fallback: str) -> str:
    """The choices a value may be, as « label » (value), for error messages."""
    return ", ".join(
        f"« {text(c.label, lang, fallback) or c.value} » ({c.value})"
        for c in effective_choices(question)
    )


def _number(raw: str) -> int | float | None:
    raw = raw.strip().replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        return None
    return int(value) if value == int(value) else value


def _day(raw: str) -> str | None:
    import datetime as dt
    import re

    raw = raw.strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw)
    if match:
        raw = f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    try:
        return dt.date.fromisoformat(raw).isoformat()
    except ValueError:
        return None


def build_clause(
    document: Document, subject: Question | None, name: str, op: str, raw: str, lang: str
) -> tuple[Clause | None, Problem | None]:
    """One clause from the builder's row; ``subject`` None is the answer of a constraint."""
    where = f"clause:{name}"
    if op not in operators_for(subject):
        return None, Problem("L_BAD_OPERATOR", where, operator=op)
    if op == "answered":
        return Clause(name, op), None
    kind = kind_of(subject) if subject is not None else None
    raw = str(raw).strip()
    if subject is not None and kind in ("choice", "choices"):
        value = choice_value(subject, raw)
        if value is None:
            valid = valid_values(subject, lang, document.default_language)
            label = text(subject.label, lang, document.default_language) or name
            return None, Problem("L_NOT_A_CHOICE", where, value=raw, name=label, valid=valid)
        return Clause(name, op, value), None
    if kind == "number" or (subject is None and _number(raw) is not None):
        number = _number(raw)
        if number is None:
            return None, Problem("L_NOT_A_NUMBER", where, value=raw)
        return Clause(name, op, number), None
    if kind == "date" or (subject is None and _day(raw) is not None):
        day = _day(raw)
        if day is None:
            return None, Problem("L_NOT_A_DATE", where, value=raw)
        return Clause(name, op, day), None
    if not raw:
        return None, Problem("L_NO_VALUE", where)
    return Clause(name, op, raw), None


def _node(clause: Clause) -> Node:
    subject: Node = Current() if clause.question == ANSWER else Ref(clause.question)
    if clause.op == "answered":
        return Binary("!=", subject, Literal(""))
    if clause.op == "selected":
        return Call("selected", (subject, Literal(clause.value)))
    if clause.op == "not_selected":
        return Call("not", (Call("selected", (subject, Literal(clause.value))),))
    return Binary(clause.op, subject, Literal(clause.value))


def write(
    clauses: Sequence[Clause], joiner: str = "and", previous: str | None = None
) -> str | None:
    """The expression of the clauses; the previous text when it says exactly the same
    (an imported ``${a}='yes'`` saved unchanged stays ``${a}='yes'``)."""
    if not clauses:
        return None
    if joiner not in JOINERS:
        raise ValueError(joiner)
    node = _node(clauses[0])
    for clause in clauses[1:]:
        node = Binary(joiner, node, _node(clause))
    expression = to_text(node)
    if previous:
        try:
            if parse(previous) == parse(expression):
                return previous
        except ConditionError:
            pass
    return expression
