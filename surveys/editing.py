"""Changing a questionnaire document one designer action at a time: pure functions.

Each takes a ``Document`` and plain values and returns a new ``Document`` (documents are frozen).
Nothing here validates: the designer saves whatever was typed and shows the problems that
``surveys.validation.validate`` finds, so nothing typed is ever lost. Unknown question or
section names raise ``KeyError`` (the caller answers 404).
"""

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from surveys.conditions import Binary, Call, ConditionError, Literal, Node, Ref, parse, to_text
from surveys.document import Choice, Document, Question, Row, Section, from_dict, to_dict
from surveys.types import REGISTRY

# The operators the condition builder offers; "selected" is selected(${q}, 'value').
OPERATORS = ("=", "!=", ">", ">=", "<", "<=", "selected")
COMBINE = ("replace", "and", "or")


def blank_document(title: str, languages: tuple[str, ...] = ("fr",)) -> Document:
    """A new questionnaire: the title in every language and one empty section."""
    labels = {lang: title for lang in languages}
    return Document(
        title=labels, languages=languages, sections=(Section(name="section_1", title=labels),)
    )


def _unique(stem: str, taken: set[str]) -> str:
    number = 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"


def _with_section(document: Document, index: int, section: Section) -> Document:
    sections = list(document.sections)
    sections[index] = section
    return replace(document, sections=tuple(sections))


def _section_index(document: Document, name: str) -> int:
    for index, section in enumerate(document.sections):
        if section.name == name:
            return index
    raise KeyError(name)


def _locate(document: Document, name: str) -> tuple[int, int]:
    for s, section in enumerate(document.sections):
        for q, question in enumerate(section.questions):
            if question.name == name:
                return s, q
    raise KeyError(name)


def add_section(document: Document, title: Mapping[str, str]) -> tuple[Document, str]:
    name = _unique("section_", {s.name for s in document.sections})
    section = Section(name=name, title=dict(title))
    return replace(document, sections=(*document.sections, section)), name


def update_section(document: Document, name: str, title: Mapping[str, str]) -> Document:
    index = _section_index(document, name)
    section = document.sections[index]
    return _with_section(document, index, replace(section, title=dict(title)))


def delete_section(document: Document, name: str) -> Document:
    """Only an empty section can go: its questions would be lost with it."""
    index = _section_index(document, name)
    if document.sections[index].questions:
        raise ValueError(f"section {name!r} still holds questions")
    return replace(document, sections=document.sections[:index] + document.sections[index + 1 :])


def move_section(document: Document, name: str, step: int) -> Document:
    index = _section_index(document, name)
    target = index + step
    if not 0 <= target < len(document.sections):
        return document
    sections = list(document.sections)
    sections[index], sections[target] = sections[target], sections[index]
    return replace(document, sections=tuple(sections))


def add_question(
    document: Document, section: str, type_: str, label: Mapping[str, str]
) -> tuple[Document, str]:
    """A new question of a registered type at the end of a section, with a free name."""
    if type_ not in REGISTRY:
        raise KeyError(type_)
    index = _section_index(document, section)
    name = _unique("q", {q.name for q in document.questions()})
    question = Question(name=name, type=type_, label=dict(label))
    target = document.sections[index]
    return (
        _with_section(document, index, replace(target, questions=(*target.questions, question))),
        name,
    )


def replace_question(document: Document, name: str, question: Question) -> Document:
    s, q = _locate(document, name)
    section = document.sections[s]
    questions = list(section.questions)
    questions[q] = question
    return _with_section(document, s, replace(section, questions=tuple(questions)))


def move_question(document: Document, name: str, step: int) -> Document:
    """One place up (-1) or down (+1); past the edge of a section it goes into the next one."""
    s, q = _locate(document, name)
    section = document.sections[s]
    questions = list(section.questions)
    target = q + step
    if 0 <= target < len(questions):
        questions[q], questions[target] = questions[target], questions[q]
        return _with_section(document, s, replace(section, questions=tuple(questions)))
    other = s + step
    if not 0 <= other < len(document.sections):
        return document
    moved = questions.pop(q)
    document = _with_section(document, s, replace(section, questions=tuple(questions)))
    neighbour = document.sections[other]
    placed = (*neighbour.questions, moved) if step < 0 else (moved, *neighbour.questions)
    return _with_section(document, other, replace(neighbour, questions=placed))


def delete_question(document: Document, name: str) -> tuple[Document, dict[str, Any]]:
    """The document without the question, and what ``restore_question`` needs to undo it."""
    s, q = _locate(document, name)
    section = document.sections[s]
    removed = section.questions[q]
    document = _with_section(
        document, s, replace(section, questions=section.questions[:q] + section.questions[q + 1 :])
    )
    return document, {"section": section.name, "index": q, "question": question_to_dict(removed)}


def restore_question(document: Document, deleted: Mapping[str, Any]) -> Document:
    """Put a deleted question back where it was (or at the end if its section is gone)."""
    question = question_from_dict(deleted["question"])
    try:
        s = _section_index(document, deleted["section"])
        index = int(deleted["index"])
    except KeyError:
        s, index = len(document.sections) - 1, 10**6
    section = document.sections[s]
    questions = list(section.questions)
    questions.insert(min(index, len(questions)), question)
    return _with_section(document, s, replace(section, questions=tuple(questions)))


def question_to_dict(question: Question) -> dict[str, Any]:
    holder = Document(title={}, languages=(), sections=(Section("s", questions=(question,)),))
    return to_dict(holder)["sections"][0]["questions"][0]


def question_from_dict(data: Mapping[str, Any]) -> Question:
    holder = from_dict(
        {"title": {}, "languages": [], "sections": [{"name": "s", "questions": [dict(data)]}]}
    )
    return holder.sections[0].questions[0]


# --- the question edit form -------------------------------------------------------------


def _labels(form: Mapping[str, str], prefix: str, languages: tuple[str, ...]) -> dict[str, str]:
    return {
        lang: form.get(f"{prefix}_{lang}", "").strip()
        for lang in languages
        if form.get(f"{prefix}_{lang}", "").strip()
    }


def _number(raw: str) -> int | float | None:
    raw = raw.strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return int(value) if value == int(value) else value


def _items(form: Mapping[str, str], prefix: str, key: str, languages, cls) -> tuple:
    """Numbered lines ``{prefix}_{i}_{key}`` and ``{prefix}_{i}_label_{lang}``; a line with
    nothing typed, or ticked for removal, disappears."""
    items = []
    indexes = sorted(
        {
            int(k.split("_")[1])
            for k in form
            if k.startswith(f"{prefix}_") and k.split("_")[1].isdigit()
        }
    )
    for i in indexes:
        if form.get(f"{prefix}_{i}_remove"):
            continue
        value = form.get(f"{prefix}_{i}_{key}", "").strip()
        labels = _labels(form, f"{prefix}_{i}_label", languages)
        if not value and not labels:
            continue
        if not value:  # a label without a value: make one from the position
            value = f"{'option' if cls is Choice else 'row'}_{i + 1}"
        items.append(cls(value, labels))
    return tuple(items)


def question_from_form(document: Document, name: str, form: Mapping[str, str]) -> Question:
    """The question as the designer's edit form describes it. Only the fields its type
    accepts (``REGISTRY[type].fields``) are read; the others keep their value."""
    current = document.question(name)
    kind = REGISTRY[current.type]
    languages = document.languages
    changes: dict[str, Any] = {
        "name": form.get("name", current.name).strip() or current.name,
        "label": _labels(form, "label", languages),
    }
    readers = {
        "hint": lambda: _labels(form, "hint", languages),
        "required": lambda: bool(form.get("required")),
        "constraint_message": lambda: _labels(form, "constraint_message", languages),
        "choices": lambda: _items(form, "choice", "value", languages, Choice),
        "rows": lambda: _items(form, "row", "name", languages, Row),
        "other": lambda: bool(form.get("other")),
        "min": lambda: _number(form.get("min", "")),
        "max": lambda: _number(form.get("max", "")),
        "min_picks": lambda: _int(form.get("min_picks", "")),
        "max_picks": lambda: _int(form.get("max_picks", "")),
    }
    for field_name, read in readers.items():
        if field_name in kind.fields and _posted(form, field_name):
            changes[field_name] = read()
    return replace(current, **changes)


# Checkboxes send nothing when unticked: the form marks which fields it holds.
def _posted(form: Mapping[str, str], field_name: str) -> bool:
    return (
        f"has_{field_name}" in form
        or field_name in form
        or any(k.startswith(f"{field_name}_") for k in form)
    )


def _int(raw: str) -> int | None:
    value = _number(raw)
    return int(value) if value is not None else None


# --- the condition builder ------------------------------------------------------------


def build_condition(document: Document, question: str, operator: str, value: str) -> str:
    """One clause, as canonical text of the condition language.

    The value is a number when the question holds numbers, else a string."""
    if operator not in OPERATORS or not document.has_question(question):
        raise ValueError(operator)
    target = document.question(question)
    value = value.strip()
    literal: Literal
    if REGISTRY[target.type].value_kind == "number":
        number = _number(value)
        literal = Literal(number if number is not None else value)
    else:
        literal = Literal(value)
    node: Node
    if operator == "selected":
        node = Call("selected", (Ref(question), literal))
    else:
        node = Binary(operator, Ref(question), literal)
    return to_text(node)


def combine_condition(existing: str | None, clause: str, mode: str) -> str:
    """Replace the condition, or join the clause to it with and/or (canonical text)."""
    if mode not in COMBINE:
        raise ValueError(mode)
    if mode == "replace" or not existing:
        return clause
    try:
        return to_text(Binary(mode, parse(existing), parse(clause)))
    except ConditionError:  # an existing condition with a syntax error: keep its text
        return f"({existing}) {mode} {clause}"


def set_relevance(document: Document, name: str, expression: str | None) -> Document:
    expression = (expression or "").strip() or None
    return replace_question(document, name, replace(document.question(name), relevant=expression))


def simple_clause(expression: str | None) -> tuple[str, str, str] | None:
    """(question, operator, value) when a condition is one builder clause, to prefill it."""
    if not expression:
        return None
    try:
        node = parse(expression)
    except ConditionError:
        return None
    if isinstance(node, Call) and node.function == "selected" and len(node.args) == 2:
        ref, literal = node.args
        if isinstance(ref, Ref) and isinstance(literal, Literal):
            return ref.name, "selected", str(literal.value)
    simple = isinstance(node, Binary) and isinstance(node.left, Ref)
    if simple and node.op in OPERATORS and isinstance(node.right, Literal):
        value = node.right.value
        if isinstance(value, float) and value == int(value):
            value = int(value)
        return node.left.name, node.op, str(value)
    return None


def update_settings(
    document: Document, title: Mapping[str, str], languages: tuple[str, ...]
) -> Document:
    return replace(document, title=dict(title), languages=languages or document.languages)
