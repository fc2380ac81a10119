"""Changing a questionnaire document one designer action at a time: pure functions.

Each takes a ``Document`` and plain values and returns a new ``Document`` (documents are frozen).
Nothing here validates: the designer saves whatever was typed and shows the problems that
``surveys.validation.validate`` finds, so nothing typed is ever lost. Unknown question or
section names raise ``KeyError`` (the caller answers 404).
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from surveys.choices import with_image_of
from surveys.conditions import Binary, Call, ConditionError, Literal, Node, Ref, parse, to_text
from surveys.document import Choice, Document, Question, Row, Section, from_dict, to_dict
from surveys.types import OTHER, OTHER_LABELS, REGISTRY

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
    document: Document,
    section: str,
    type_: str,
    label: Mapping[str, str],
    after: str | None = None,
) -> tuple[Document, str]:
    """A new question of a registered type, with a free name: right after the question
    ``after`` when given, else at the end of the section."""
    if type_ not in REGISTRY:
        raise KeyError(type_)
    name = _unique("q", {q.name for q in document.questions()})
    question = Question(name=name, type=type_, label=dict(label))
    return _insert(document, question, section, after), name


def _insert(document: Document, question: Question, section: str, after: str | None) -> Document:
    if after:
        s, q = _locate(document, after)
        index = q + 1
    else:
        s = _section_index(document, section)
        index = len(document.sections[s].questions)
    target = document.sections[s]
    questions = (*target.questions[:index], question, *target.questions[index:])
    return _with_section(document, s, replace(target, questions=questions))


def duplicate_question(document: Document, name: str) -> tuple[Document, str]:
    """A copy of the question right after it, under a free name."""
    original = document.question(name)
    copy_name = _unique(f"{name}_", {q.name for q in document.questions()})
    copy = replace(original, name=copy_name)
    return _insert(document, copy, document.section_of(name).name, name), copy_name


def place_question(document: Document, name: str, section: str, index: int) -> Document:
    """Move a question to ``index`` in ``section`` (drag and drop)."""
    target_index = _section_index(document, section)
    s, q = _locate(document, name)
    moved = document.sections[s].questions[q]
    origin = document.sections[s]
    document = _with_section(
        document, s, replace(origin, questions=origin.questions[:q] + origin.questions[q + 1 :])
    )
    target = document.sections[target_index]
    index = max(0, min(index, len(target.questions)))
    questions = (*target.questions[:index], moved, *target.questions[index:])
    return _with_section(document, target_index, replace(target, questions=questions))


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
    changes: dict[str, Any] = {"name": form.get("name", current.name).strip() or current.name}
    if _posted(form, "label"):  # the advanced choices form holds only the choices
        changes["label"] = _labels(form, "label", languages)
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
    if "choices" in kind.fields and any(k.startswith("choices_text_") for k in form):
        changes["choices"] = choices_from_text(
            ordinary_choices(current),
            {lang: form.get(f"choices_text_{lang}", "") for lang in languages},
            languages,
            {c.value for c in special_choices(current)},
        ) + special_choices(current)
    preset = form.get("preset", "")
    if "choices" in kind.fields and preset in PRESETS:
        changes["choices"] = preset_choices(preset, languages) + special_choices(current)
    if "rows" in kind.fields and any(k.startswith("rows_text_") for k in form):
        changes["rows"] = rows_from_text(
            current.rows, {lang: form.get(f"rows_text_{lang}", "") for lang in languages}, languages
        )
    if "choices" in changes:  # the advanced table: "none of these" keeps its flag
        exclusive = {c.value for c in current.choices if c.exclusive}
        pictured = {c.value: c for c in current.choices if c.image}  # and a choice its image
        columns = {c.value: c.columns for c in current.choices}  # and a cascading list its rows
        changes["choices"] = tuple(
            with_image_of(
                replace(c, exclusive=c.value in exclusive, columns=columns.get(c.value, ())),
                pictured.get(c.value),
            )
            for c in changes["choices"]
        )
    offers_other = changes.pop("other", None)
    question = replace(current, **changes)
    if offers_other is not None:
        question = with_other(question, offers_other, languages)
    if current.type in EXCLUSIVE_TYPES and "has_none_of_these" in form:
        question = with_none_of_these(question, bool(form.get("none_of_these")), languages)
    return question


# --- choices typed as text, preset scales, "other" and "none of these" ------------------------

EXCLUSIVE_TYPES = frozenset({"multiple_choice"})
OTHER_CHOICE_LABELS = OTHER_LABELS  # the XLSForm export leaves it to or_other
NONE_CHOICE_LABELS = {"fr": "Aucun de ceux-ci", "en": "None of these"}
NONE_VALUE = "none"


def _preset(*rows: tuple[str, str, str]) -> tuple[tuple[str, dict[str, str]], ...]:
    return tuple((value, {"fr": fr, "en": en}) for value, fr, en in rows)


# Ready-made scales, in the order the designer offers them: value, French, English.
PRESETS: dict[str, tuple[tuple[str, dict[str, str]], ...]] = {
    "agreement_4": _preset(
        ("disagree_strongly", "Pas du tout d’accord", "Strongly disagree"),
        ("disagree", "Plutôt pas d’accord", "Somewhat disagree"),
        ("agree", "Plutôt d’accord", "Somewhat agree"),
        ("agree_strongly", "Tout à fait d’accord", "Strongly agree"),
    ),
    "agreement_5": _preset(
        ("disagree_strongly", "Pas du tout d’accord", "Strongly disagree"),
        ("disagree", "Plutôt pas d’accord", "Somewhat disagree"),
        ("neutral", "Ni d’accord ni pas d’accord", "Neither agree nor disagree"),
        ("agree", "Plutôt d’accord", "Somewhat agree"),
        ("agree_strongly", "Tout à fait d’accord", "Strongly agree"),
    ),
    "satisfaction": _preset(
        ("unsatisfied_very", "Pas du tout satisfait·e", "Not at all satisfied"),
        ("unsatisfied", "Plutôt pas satisfait·e", "Not very satisfied"),
        ("satisfied", "Plutôt satisfait·e", "Fairly satisfied"),
        ("satisfied_very", "Très satisfait·e", "Very satisfied"),
    ),
    "frequency": _preset(
        ("never", "Jamais", "Never"),
        ("rarely", "Rarement", "Rarely"),
        ("sometimes", "Parfois", "Sometimes"),
        ("often", "Souvent", "Often"),
        ("always", "Toujours", "Always"),
    ),
    "yes_no_dont_know": _preset(
        ("yes", "Oui", "Yes"), ("no", "Non", "No"), ("dont_know", "Ne sait pas", "Don’t know")
    ),
    "zero_to_ten": tuple((str(n), {"fr": str(n), "en": str(n)}) for n in range(11)),
}


def _in(labels: Mapping[str, str], languages: tuple[str, ...]) -> dict[str, str]:
    """Preset labels in the questionnaire's languages (French where there is no other)."""
    return {lang: labels.get(lang, labels["fr"]) for lang in languages}


def preset_choices(name: str, languages: tuple[str, ...]) -> tuple[Choice, ...]:
    return tuple(Choice(value, _in(labels, languages)) for value, labels in PRESETS[name])


def value_from_label(label: str, taken: set[str]) -> str:
    """A short value made from a label (« Plutôt d'accord » -> plutot_d_accord), unique."""
    spaced = re.sub(r"[^\w]+", " ", label)  # an apostrophe separates words: d’accord
    ascii_text = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")[:40] or "choice"
    value, number = stem, 2
    while value in taken:
        value, number = f"{stem}_{number}", number + 1
    return value


def ordinary_choices(question: Question) -> tuple[Choice, ...]:
    """The choices typed by hand: without "other" (when offered) and "none of these"."""
    return tuple(
        c for c in question.choices if not c.exclusive and not (question.other and c.value == OTHER)
    )


def special_choices(question: Question) -> tuple[Choice, ...]:
    return tuple(c for c in question.choices if c not in ordinary_choices(question))


def choices_as_text(question: Question, lang: str) -> str:
    return "\n".join(c.label.get(lang, "") for c in ordinary_choices(question))


def choices_from_text(
    current: tuple[Choice, ...],
    texts: Mapping[str, str],
    languages: tuple[str, ...],
    reserved: set[str] = frozenset(),  # type: ignore[assignment]
) -> tuple[Choice, ...]:
    """One choice per non-empty line of the first language; the other languages give the
    labels of the same lines. A choice keeps its value when its label is unchanged or
    edited in place, so values stay stable once answers exist."""
    default = languages[0]
    lines = {lang: texts.get(lang, "").splitlines() for lang in languages}
    kept = [i for i, line in enumerate(lines[default]) if line.strip()]
    labels = [
        {
            lang: lines[lang][i].strip()
            for lang in languages
            if len(lines[lang]) > i and lines[lang][i].strip()
        }
        for i in kept
    ]
    new_main = {label[default] for label in labels}
    unused = list(current)
    by_label = {c.label.get(default, ""): c for c in current}
    out: list[Choice] = []
    taken = {c.value for c in current} | set(reserved)
    for position, label in enumerate(labels):
        same = by_label.get(label[default])
        if same is not None and same in unused:
            unused.remove(same)
            out.append(replace(same, label=label))
            continue
        old = current[position] if position < len(current) else None
        if old is not None and old in unused and old.label.get(default, "") not in new_main:
            unused.remove(old)
            out.append(replace(old, label=label))
            continue
        value = value_from_label(label[default], taken)
        taken.add(value)
        out.append(Choice(value, label))
    return tuple(out)


def rows_from_text(
    current: tuple[Row, ...], texts: Mapping[str, str], languages: tuple[str, ...]
) -> tuple[Row, ...]:
    """The lines of a table, one per line, as choices are (names kept when labels change)."""
    as_choices = tuple(Choice(r.name, r.label) for r in current)
    made = choices_from_text(as_choices, texts, languages)
    return tuple(Row(c.value, c.label) for c in made)


def rows_as_text(question: Question, lang: str) -> str:
    return "\n".join(r.label.get(lang, "") for r in question.rows)


def with_other(question: Question, offered: bool, languages: tuple[str, ...]) -> Question:
    """Ticking « Autre (précisez) » adds its choice; unticking takes it away again."""
    has = any(c.value == OTHER for c in question.choices)
    if offered and not has:
        other = Choice(OTHER, _in(OTHER_CHOICE_LABELS, languages))
        ordinary = ordinary_choices(replace(question, other=False))
        rest = tuple(c for c in question.choices if c not in ordinary)
        return replace(question, other=True, choices=(*ordinary, other, *rest))
    if not offered and question.other:
        return replace(
            question, other=False, choices=tuple(c for c in question.choices if c.value != OTHER)
        )
    return replace(question, other=offered)


def with_none_of_these(question: Question, offered: bool, languages: tuple[str, ...]) -> Question:
    """Ticking « Aucun de ceux-ci » adds an exclusive choice at the end; unticking removes it."""
    has = any(c.exclusive for c in question.choices)
    if offered and not has:
        value = value_from_label(NONE_VALUE, {c.value for c in question.choices})
        choice = Choice(value, _in(NONE_CHOICE_LABELS, languages), exclusive=True)
        before = tuple(c for c in question.choices if not (question.other and c.value == OTHER))
        other = tuple(c for c in question.choices if c not in before)
        return replace(question, choices=(*before, choice, *other))  # "other" stays last
    if not offered and has:
        return replace(question, choices=tuple(c for c in question.choices if not c.exclusive))
    return question


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


def set_constraint(document: Document, name: str, expression: str | None) -> Document:
    expression = (expression or "").strip() or None
    return replace_question(document, name, replace(document.question(name), constraint=expression))


def set_section_relevance(document: Document, name: str, expression: str | None) -> Document:
    index = _section_index(document, name)
    expression = (expression or "").strip() or None
    return _with_section(document, index, replace(document.sections[index], relevant=expression))


def set_condition(document: Document, target: str, name: str, expression: str | None) -> Document:
    """The condition of the builder's ``target``: question | section | constraint."""
    setter = {"question": set_relevance, "section": set_section_relevance,
              "constraint": set_constraint}[target]  # fmt: skip
    return setter(document, name, expression)


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
    document: Document,
    title: Mapping[str, str],
    languages: tuple[str, ...],
    introduction: Mapping[str, str] | None = None,
) -> Document:
    """Title, languages and (when given) the introduction shown before the first question."""
    description = document.description if introduction is None else dict(introduction)
    return replace(
        document,
        title=dict(title),
        languages=languages or document.languages,
        description=description,
    )
