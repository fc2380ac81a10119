"""The bridge to analysis: stored responses -> a responses frame and its codebook.

Follows the contract of ``analysis.codebook``. Built column by column from plain lists (one
pass over the responses per column), never cell by cell, since it runs on whole campaigns.
"""

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from analysis.codebook import Codebook, Variable, asked_column_for, multi_column
from surveys.answers import compiled, relevance
from surveys.conditions import references
from surveys.document import Document, Question, Section, text
from surveys.types import OTHER_LABELS, REGISTRY, effective_choices

Columns = dict[str, Any]


def _labels(question: Question, lang: str, fallback: str) -> tuple[tuple[str, ...], dict[str, str]]:
    choices = effective_choices(question)
    values = tuple(c.value for c in choices)
    return values, {c.value: text(c.label, lang, fallback) for c in choices}


def _categorical(kind: str):
    def build(q: Question, values: list[Any], common: dict, lang: str, fallback: str) -> tuple:
        categories, labels = _labels(q, lang, fallback)
        column = pd.Categorical(
            [v if isinstance(v, str) else None for v in values], categories=list(categories)
        )
        variable = Variable(q.name, kind, categories=categories, category_labels=labels, **common)
        return [(variable, {q.name: column})]

    return build


def _multi(q: Question, values: list[Any], common: dict, lang: str, fallback: str) -> list:
    categories, labels = _labels(q, lang, fallback)
    picks = [set(v) if isinstance(v, list) else None for v in values]
    columns = {
        multi_column(q.name, c): pd.array(
            [None if p is None else c in p for p in picks], dtype="boolean"
        )
        for c in categories
    }
    variable = Variable(q.name, "multi", categories=categories, category_labels=labels, **common)
    return [(variable, columns)]


def _as_float(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return math.nan


def _numeric(q: Question, values: list[Any], common: dict, lang: str, fallback: str) -> list:
    column = np.array([_as_float(v) for v in values], dtype=float)
    return [(Variable(q.name, "numeric", **common), {q.name: column})]


def _text(q: Question, values: list[Any], common: dict, lang: str, fallback: str) -> list:
    column = pd.array([v if isinstance(v, str) else None for v in values], dtype="string")
    return [(Variable(q.name, "text", **common), {q.name: column})]


def _date(q: Question, values: list[Any], common: dict, lang: str, fallback: str) -> list:
    raw = pd.Series([v if isinstance(v, str) else None for v in values], dtype=object)
    column = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
    return [(Variable(q.name, "date", **common), {q.name: column.to_numpy()})]


def _part_label(q: Question, part: str, lang: str, fallback: str) -> str:
    return f"{text(q.label, lang, fallback)} — {part}"


def _matrix(q: Question, values: list[Any], common: dict, lang: str, fallback: str) -> list:
    categories, labels = _labels(q, lang, fallback)
    out = []
    for row in q.rows:
        name = f"{q.name}/{row.name}"
        column = pd.Categorical(
            [v.get(row.name) if isinstance(v, dict) else None for v in values],
            categories=list(categories),
        )
        variable = Variable(
            name,
            "ordinal",
            categories=categories,
            category_labels=labels,
            **(common | {"label": _part_label(q, text(row.label, lang, fallback), lang, fallback)}),
        )
        out.append((variable, {name: column}))
    return out


def _ranking(q: Question, values: list[Any], common: dict, lang: str, fallback: str) -> list:
    positions = [
        {v: i for i, v in enumerate(value, start=1)} if isinstance(value, list) else None
        for value in values
    ]
    out = []
    for choice in q.choices:
        name = f"{q.name}/{choice.value}"
        column = np.array(
            [math.nan if p is None else float(p.get(choice.value, math.nan)) for p in positions]
        )
        label = _part_label(q, text(choice.label, lang, fallback), lang, fallback)
        out.append((Variable(name, "numeric", **(common | {"label": label})), {name: column}))
    return out


# analysis kind of a question type -> how its variables and columns are built
BUILDERS: dict[str, Callable[..., list]] = {
    "single": _categorical("single"),
    "ordinal": _categorical("ordinal"),
    "multi": _multi,
    "numeric": _numeric,
    "text": _text,
    "date": _date,
    "matrix": _matrix,
    "ranking": _ranking,
}


def _has_condition(document: Document) -> bool:
    return any(s.relevant for s in document.sections) or any(
        q.relevant for q in document.questions()
    )


def _frozen(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def _asked(document: Document, answers: list[Mapping[str, Any]]) -> list[dict[str, bool]]:
    """Which questions each response was asked, evaluated once per distinct combination.

    Relevance only reads the answers its conditions name (and a named question's own
    relevance only reads names of the same set), so responses that agree on those answers
    share one result: a campaign has a handful of combinations, not one per response.
    """
    expressions = [s.relevant for s in document.sections if s.relevant]
    expressions += [q.relevant for q in document.questions() if q.relevant]
    names = sorted(set().union(*(references(compiled(e)) for e in expressions)))
    keys = {name: (name, f"{name}_other") for name in names}
    seen: dict[tuple, dict[str, bool]] = {}
    out = []
    for a in answers:
        key = tuple(_frozen(a.get(k)) for name in names for k in keys[name])
        state = seen.get(key)
        if state is None:
            subset = {k: a[k] for name in names for k in keys[name] if k in a}
            state = seen[key] = relevance(document, subset).questions
        out.append(state)
    return out


def responses_frame(
    document: Document, rows: Iterable[Mapping[str, Any]], lang: str | None = None
) -> tuple[pd.DataFrame, Codebook]:
    """One row per response: meta columns, then the columns of each variable of the codebook.

    ``rows`` are dicts with ``response_id``, ``campaign``, ``submitted_at``, ``channel`` and
    ``answers`` (canonical answers). Labels are in ``lang`` (default: the document's first).
    """
    rows = list(rows)
    fallback = document.default_language
    lang = lang or fallback
    answers = [r.get("answers") or {} for r in rows]
    data: Columns = {
        "response_id": [r.get("response_id") for r in rows],
        "campaign": pd.array([r.get("campaign") for r in rows], dtype="string"),
        "submitted_at": pd.to_datetime(
            pd.Series([r.get("submitted_at") for r in rows], dtype=object), format="ISO8601"
        ).to_numpy()
        if rows
        else np.array([], dtype="datetime64[ns]"),
        "channel": pd.array([r.get("channel") for r in rows], dtype="string"),
    }
    asked = _asked(document, answers) if _has_condition(document) else None
    variables: list[Variable] = []
    for section in document.sections:
        for question in section.questions:
            variables += _question_columns(question, section, answers, asked, data, lang, fallback)
    frame = pd.DataFrame(data, columns=list(data))
    return frame, Codebook(tuple(variables))


def _question_columns(
    question: Question,
    section: Section,
    answers: list[Mapping[str, Any]],
    asked: list[dict[str, bool]] | None,
    data: Columns,
    lang: str,
    fallback: str,
) -> list[Variable]:
    kind = REGISTRY[question.type].analysis_kind
    if kind is None:
        return []
    asked_column = None
    if asked is not None and (question.relevant or section.relevant):
        asked_column = asked_column_for(question.name)
        data[asked_column] = np.array([a[question.name] for a in asked], dtype=bool)
    common = {
        "label": text(question.label, lang, fallback),
        "asked_column": asked_column,
        "section": section.name,
        "question": question.name,
    }
    values = [a.get(question.name) for a in answers]
    variables = []
    for variable, columns in BUILDERS[kind](question, values, common, lang, fallback):
        variables.append(variable)
        data.update(columns)
    if question.other:
        other_values = [a.get(question.other_name) for a in answers]
        other_label = OTHER_LABELS.get(lang, OTHER_LABELS["en"])
        other_common = common | {"label": _part_label(question, other_label, lang, fallback)}
        data[question.other_name] = pd.array(
            [v if isinstance(v, str) else None for v in other_values], dtype="string"
        )
        variables.append(Variable(question.other_name, "text", **other_common))
    return variables
