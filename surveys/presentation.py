"""What the question templates need from a question, computed here rather than in Jinja.

No web framework: plain functions the template engine registers as globals.
"""

from collections.abc import Mapping
from typing import Any

from surveys import markdown
from surveys.document import Choice, Question, text
from surveys.types import (
    RATING_RANGE,
    REGISTRY,
    TODAY,
    date_bound,
    effective_choices,
    exclusive_values,
)


def question_fields(
    question: Question,
    value: Any = None,
    form: Any = None,
    answers: Mapping[str, Any] | None = None,
) -> dict[str, list[str]]:
    """The raw form values to show in a question's inputs.

    A posted form (redisplay after an error) wins, so everything typed is kept as typed;
    otherwise the stored answer is written back with the registry's ``to_form``.
    """
    kind = REGISTRY[question.type]
    if form is not None:
        getall = getattr(form, "getall", None)
        out: dict[str, list[str]] = {}
        for key in dict.fromkeys(form):
            if key == question.name or key.startswith((f"{question.name}/", question.other_name)):
                values = getall(key) if getall else form[key]
                out[key] = [values] if isinstance(values, str) else list(values)
        return out
    given = dict(answers or {})
    if value is not None:
        given[question.name] = value
    return kind.to_form(question, given)


def choices_of(question: Question) -> tuple[Choice, ...]:
    return effective_choices(question)


def rating_range(question: Question) -> range:
    low = RATING_RANGE[0] if question.min is None else int(question.min)
    high = RATING_RANGE[1] if question.max is None else int(question.max)
    return range(low, high + 1)


def label_text(labels: Mapping[str, str], lang: str) -> str:
    return text(labels, lang, "fr")


def label_html(labels: Mapping[str, str], lang: str) -> str:
    """A label's Markdown subset as escaped HTML (mark it ``safe`` in the template)."""
    return markdown.to_html(label_text(labels, lang))


TEMPLATE_GLOBALS = {
    "label_html": label_html,
    "question_fields": question_fields,
    "choices_of": choices_of,
    "rating_range": rating_range,
    "label_text": label_text,
}


def first_input_id(question: Question) -> str:
    """The id of a question's first input: where an error summary link sends the focus."""
    qid = f"q-{question.name}"
    if question.type == "rating":
        return f"{qid}-{rating_range(question).start}"
    if question.type == "matrix":
        return f"{qid}-1-1"
    if question.type in {"single_choice", "multiple_choice", "likert", "yes_no", "ranking"}:
        return f"{qid}-1"
    return qid


TEMPLATE_GLOBALS["first_input_id"] = first_input_id


def _choice_label(question: Question, value: str, lang: str) -> str:
    for choice in effective_choices(question):
        if choice.value == value:
            return label_text(choice.label, lang)
    return value


def display_answer(question: Question, answers: Mapping[str, Any], lang: str) -> list[str]:
    """An answer in words, one line per part, for the review page and the staff."""
    value = answers.get(question.name)
    if value is None:
        return []
    other = answers.get(question.other_name)
    if question.type == "matrix" and isinstance(value, dict):
        rows = {r.name: label_text(r.label, lang) for r in question.rows}
        return [f"{rows.get(k, k)} : {_choice_label(question, v, lang)}" for k, v in value.items()]
    if question.type == "ranking" and isinstance(value, list):
        return [f"{i}. {_choice_label(question, v, lang)}" for i, v in enumerate(value, start=1)]
    if isinstance(value, list):
        parts = [_choice_label(question, v, lang) for v in value]
    elif question.type in {"single_choice", "likert", "yes_no"}:
        parts = [_choice_label(question, value, lang)]
    elif question.type == "date" and isinstance(value, str) and len(value) == 10:
        parts = [f"{value[8:10]}/{value[5:7]}/{value[0:4]}"]
    elif isinstance(value, float):
        parts = [f"{value:g}".replace(".", "," if lang == "fr" else ".")]
    else:
        parts = [str(value)]
    if other:
        parts.append(f"« {other} »" if lang == "fr" else f"“{other}”")
    return [", ".join(parts)] if question.type == "multiple_choice" else parts


TEMPLATE_GLOBALS["display_answer"] = display_answer


def date_limits(question: Question) -> dict[str, str]:
    """The min and max attributes of a date input, for fixed bounds only: a page may be
    kept for days, so "today" is left to the browser's script (``data-today``) and, as
    every bound, checked by the server."""
    limits = {}
    for attribute, bound in (("min", question.min_date), ("max", question.max_date)):
        if bound and bound != TODAY and (day := date_bound(bound)) is not None:
            limits[attribute] = day.isoformat()
        elif bound == TODAY:
            limits[f"data-today-{attribute}"] = "1"
    return limits


def number_format(question: Question) -> dict[str, Any]:
    """What a number field expects, said before any error: kind, bounds, an example."""
    low, high = question.min, question.max
    example = 12 if low is None or high is None or low <= 12 <= high else low
    if question.type == "decimal":
        example = example + 0.5 if high is None or example + 0.5 <= high else example
    return {"decimal": question.type == "decimal", "min": low, "max": high, "example": example}


def number_text(value: int | float, lang: str) -> str:
    text_ = f"{value:g}"
    return text_.replace(".", ",") if lang == "fr" else text_


TEMPLATE_GLOBALS["date_limits"] = date_limits
TEMPLATE_GLOBALS["number_format"] = number_format
TEMPLATE_GLOBALS["number_text"] = number_text
TEMPLATE_GLOBALS["exclusive_values"] = exclusive_values


CAMPAIGN_TEXTS = ("consent_text", "audience", "introduction")


def campaign_text(campaign: Any, name: str, lang: str) -> str:
    """One of a campaign's respondent texts in ``lang``: from its ``texts`` per language,
    else (French, the default) its own field; "" when it has none in that language."""
    texts = getattr(campaign, "texts", None) or {}
    own = (texts.get(lang) or {}).get(name)
    if own:
        return own
    if lang == "fr" or not texts:
        return getattr(campaign, name, "") or (texts.get("fr") or {}).get(name, "")
    # another language asked for, none given: the default rather than nothing
    return getattr(campaign, name, "") or ""


TEMPLATE_GLOBALS["campaign_text"] = campaign_text


def question_label(question: Question, lang: str, easy: bool = False) -> str:
    """A question's wording: its easy-read one (FALC) when asked for and written in this
    language, else its label."""
    if easy and question.easy.get(lang):
        return question.easy[lang]
    return label_text(question.label, lang)


def question_label_html(question: Question, lang: str, easy: bool = False) -> str:
    """The wording of :func:`question_label` with its Markdown subset as escaped HTML."""
    return markdown.to_html(question_label(question, lang, easy))


TEMPLATE_GLOBALS["question_label"] = question_label
TEMPLATE_GLOBALS["question_label_html"] = question_label_html


def has_easy(document: Any) -> bool:
    """Whether any question of a questionnaire has an easy-read wording."""
    return any(q.easy for q in document.questions())


TEMPLATE_GLOBALS["has_easy"] = has_easy
