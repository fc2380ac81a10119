"""The condition builder of the designer, for one condition at a time.

Three kinds of condition share it: when a question is asked (``question``), when a page is
shown (``section``) and what answer a question accepts (``constraint``). Each is a list of
rows — question, operator, value picked among that question's choices — joined by "and" or
"or" (``surveys.logic``); the XLSForm expression is only shown in an "advanced" part.

The editor page never holds a builder: each card links to its own (a page without
JavaScript, a fragment with htmx), so the editor stays linear in the number of questions.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from analysis.i18n import N_
from surveys import logic
from surveys.document import Document, Question, text
from surveys.messages import render
from surveys.problems import Problem
from surveys.types import effective_choices

TARGETS = ("question", "section", "constraint")
OPERATOR_WORDS = {
    "=": N_("is"),
    "!=": N_("is not"),
    ">": N_("is more than"),
    ">=": N_("is at least"),
    "<": N_("is less than"),
    "<=": N_("is at most"),
    "selected": N_("has ticked"),
    "not_selected": N_("has not ticked"),
    "answered": N_("has an answer"),
}
# How a clause reads once written: « Question » = Oui
OPERATOR_SIGNS = {"=": "=", "!=": "≠", ">": ">", ">=": "≥", "<": "<", "<=": "≤"}
JOINER_WORDS = {"and": N_("all of these (and)"), "or": N_("any of these (or)")}
INPUT_TYPES = {"number": "number", "date": "date"}


@dataclass
class Row:
    index: int
    question: str = ""
    op: str = ""
    value: str = ""
    subject: Question | None = None
    operators: tuple[str, ...] = ()
    options: list[tuple[str, str]] = field(default_factory=list)
    input_type: str = "text"
    error: str = ""


@dataclass
class Builder:
    target: str
    name: str
    url: str
    subjects: list[Question]
    rows: list[Row]
    joiner: str
    expression: str
    simple: bool
    errors: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"builder-{self.target}-{self.name}"


def subjects_for(document: Document, target: str, name: str) -> list[Question]:
    """The questions a condition may ask about: those asked before the question or page."""
    if target == "constraint":
        return []
    stop = document.position(name) if target == "question" else None
    out: list[Question] = []
    for section in document.sections:
        if target == "section" and section.name == name:
            break
        for question in section.questions:
            if stop is not None and document.position(question.name) >= stop:
                return out
            if logic.can_be_asked_about(question):
                out.append(question)
    return out


def expression_of(document: Document, target: str, name: str) -> str | None:
    if target == "section":
        return document.section(name).relevant
    question = document.question(name)
    return question.constraint if target == "constraint" else question.relevant


def _row(document: Document, target: str, lang: str, index: int, raw: tuple[str, str, str]) -> Row:
    name, op, value = raw
    subject = document.question(name) if name and document.has_question(name) else None
    if target == "constraint":
        return Row(index, logic.ANSWER, op, value, None, logic.CONSTRAINT_OPERATORS)
    if subject is None:
        return Row(index, "", op, value, None, ())
    operators = logic.operators_for(subject)
    options = [
        (c.value, text(c.label, lang, document.default_language) or c.value)
        for c in effective_choices(subject)
    ]
    kind = logic.kind_of(subject) or ""
    return Row(
        index, name, op if op in operators else operators[0], value, subject, operators,
        options, INPUT_TYPES.get(kind, "text"),
    )  # fmt: skip


def _raw_rows(form: Mapping[str, str]) -> list[tuple[str, str, str]] | None:
    """The rows typed in the builder (None when the form holds none)."""
    indexes = sorted(
        {
            int(k.split("_")[1])
            for k in form
            if k.startswith("clause_") and k.split("_")[1].isdigit()
        }
    )
    if not indexes:
        return None
    return [
        (form.get(f"clause_{i}_question", ""), form.get(f"clause_{i}_op", ""),
         form.get(f"clause_{i}_value", ""))
        for i in indexes
        if not form.get(f"clause_{i}_remove")
    ]  # fmt: skip


def builder(
    document: Document, target: str, name: str, url: str, lang: str,
    form: Mapping[str, str] | None = None, errors: list[str] | None = None,
) -> Builder:  # fmt: skip
    """The builder as stored, or as typed so far (``form``), with one empty row to add."""
    expression = expression_of(document, target, name) or ""
    read = logic.read(expression)
    raw = _raw_rows(form or {})
    if raw is None:
        raw = [(c.question, c.op, _shown(c.value)) for c in read.clauses]
    joiner = (form or {}).get("joiner") or read.joiner
    blank = (logic.ANSWER if target == "constraint" else "", "", "")
    rows = [_row(document, target, lang, i, r) for i, r in enumerate([*raw, blank])]
    return Builder(
        target, name, url, subjects_for(document, target, name), rows,
        joiner if joiner in logic.JOINERS else "and", expression, read.simple, errors or [],
    )  # fmt: skip


def _shown(value: str | int | float) -> str:
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return str(value)


def build(
    document: Document, target: str, name: str, form: Mapping[str, str], lang: str
) -> tuple[str | None, list[Problem]]:
    """The expression the builder's rows describe, or the problems that prevent it."""
    allowed = {q.name for q in subjects_for(document, target, name)}
    clauses, problems = [], []
    for question, op, value in _raw_rows(form) or []:
        if target == "constraint":
            if not op or (not value.strip() and op != "answered"):
                continue
            clause, problem = logic.build_clause(document, None, logic.ANSWER, op, value, lang)
        else:
            if not question:
                continue
            if question not in allowed:
                problems.append(Problem("L_NO_QUESTION", f"clause:{question}"))
                continue
            subject = document.question(question)
            clause, problem = logic.build_clause(document, subject, question, op, value, lang)
        if problem:
            problems.append(problem)
        else:
            clauses.append(clause)
    if problems:
        return None, problems
    joiner = form.get("joiner", "and")
    previous = expression_of(document, target, name)
    return logic.write(clauses, joiner if joiner in logic.JOINERS else "and", previous), []


def messages(problems: list[Problem], lang: str) -> list[str]:
    return [render(p, lang, with_location=False) for p in problems]
