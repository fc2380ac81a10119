"""The paper version of a questionnaire: numbers, what to fill in, and skip logic in words.

A condition is turned into clauses a person with a pen can follow ("if you answered Yes to
question 6"); templates put the words around them. A condition too intricate for that is
given as its text, with question names replaced by their numbers.
"""

import re
from dataclasses import dataclass

from surveys.conditions import Binary, Call, ConditionError, Literal, Node, Ref, parse
from surveys.document import Document, Question, text
from surveys.types import REGISTRY, effective_choices

# How each kind of answer is filled in on paper, from the registry's analysis kind.
LAYOUTS = {
    "single": "choices",
    "multi": "choices",
    "ordinal": "choices",
    "ranking": "ranking",
    "numeric": "number",
    "text": "lines",
    "date": "date",
    "matrix": "matrix",
    None: "note",
}
# A type whose paper form differs from its analysis kind's.
LAYOUT_BY_TYPE = {"rating": "scale"}
WRITING_LINES = {"long_text": 6}
DEFAULT_LINES = 2


@dataclass(frozen=True)
class Clause:
    kind: str  # answered | equals | not_equals | ticked | compare
    number: int
    answer: str = ""  # a choice's label, or the value compared with
    op: str = ""


@dataclass(frozen=True)
class Instruction:
    clauses: tuple[Clause, ...] = ()
    joiner: str = ""  # "and" | "or" between clauses
    raw: str = ""  # when the condition cannot be put in clauses


def numbers(document: Document) -> dict[str, int]:
    """Questions are numbered in order; notes (nothing to answer) are not."""
    answerable = [q.name for q in document.questions() if _answerable(q)]
    return {name: i for i, name in enumerate(answerable, start=1)}


def _answerable(question: Question) -> bool:
    kind = REGISTRY.get(question.type)
    return kind is None or kind.answerable


def layout(question: Question) -> str:
    if question.type in LAYOUT_BY_TYPE:
        return LAYOUT_BY_TYPE[question.type]
    kind = REGISTRY.get(question.type)
    return LAYOUTS.get(kind.analysis_kind if kind else None, "lines")


def writing_lines(question: Question) -> int:
    return WRITING_LINES.get(question.type, DEFAULT_LINES)


def _chain(node: Node, op: str) -> list[Node]:
    if isinstance(node, Binary) and node.op == op:
        return _chain(node.left, op) + _chain(node.right, op)
    return [node]


def _answer(document: Document, name: str, value: object, lang: str) -> str:
    question = document.question(name)
    for choice in effective_choices(question):
        if choice.value == value:
            return text(choice.label, lang, document.default_language)
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def _clause(document: Document, node: Node, numbering: dict[str, int], lang: str) -> Clause | None:
    if isinstance(node, Call) and node.function == "selected" and len(node.args) == 2:
        ref, literal = node.args
        if isinstance(ref, Ref) and isinstance(literal, Literal) and ref.name in numbering:
            return Clause(
                "ticked", numbering[ref.name], _answer(document, ref.name, literal.value, lang)
            )
        return None
    if not isinstance(node, Binary) or not isinstance(node.left, Ref):
        return None
    name, right = node.left.name, node.right
    if name not in numbering or not isinstance(right, Literal):
        return None
    if right.value == "" and node.op == "!=":
        return Clause("answered", numbering[name])
    answer = _answer(document, name, right.value, lang)
    if node.op == "=":
        return Clause("equals", numbering[name], answer)
    if node.op == "!=":
        return Clause("not_equals", numbering[name], answer)
    if node.op in (">", ">=", "<", "<="):
        return Clause("compare", numbering[name], answer, node.op)
    return None


_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def describe(
    document: Document, expression: str | None, numbering: dict[str, int], lang: str
) -> Instruction | None:
    """The instruction for a relevance condition, or None when there is none."""
    if not expression:
        return None
    try:
        node = parse(expression)
    except ConditionError:
        node = None
    if node is not None:
        for joiner in ("and", "or"):
            leaves = _chain(node, joiner)
            if len(leaves) > 1 or joiner == "or":
                clauses = [_clause(document, leaf, numbering, lang) for leaf in leaves]
                if all(clauses):
                    return Instruction(tuple(clauses), joiner if len(clauses) > 1 else "")
    raw = _REFERENCE.sub(lambda m: f"Q{numbering[m[1]]}" if m[1] in numbering else m[0], expression)
    return Instruction(raw=raw)
