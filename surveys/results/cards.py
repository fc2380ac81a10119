"""A card per question: its summaries, chart and printable tables."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.charts import Chart, bar_chart, histogram_chart, likert_chart, to_svg
from analysis.codebook import Codebook, Variable
from analysis.disclosure import suppress_summaries
from analysis.formats import format_number
from analysis.summaries import Summary, summarise
from analysis.weights import weighted_summary, with_intervals
from surveys.document import text
from surveys.results.cache import ResultsData
from surveys.results.filters import Filtered
from surveys.results.messages import gettext_for
from surveys.results.public import public_results
from surveys.results.tables import Table, summary_view
from surveys.results.weighting import weights_key


@dataclass(frozen=True)
class Card:
    """One question of the questionnaire, summarised: its variables (matrix rows, ranking
    items, an "other" text), a chart when one fits, and printable tables."""

    question: str
    label: str
    section: str
    kind: str  # choice | scale | matrix | numeric | ranking | text | date
    summaries: tuple[Summary, ...]
    tables: tuple[Table, ...]
    chart: str | None  # the chart's key for chart_of(), None when no chart fits
    alt_text: str
    n_valid: int
    n_no_answer: int
    n_not_asked: int
    texts: int  # free-text answers that can be read in the text reader
    withheld: bool = False  # public: fewer than k answered, no figure is shown
    # A grid's rows each have their count: n_valid and n_no_answer are the lowest, these the
    # highest (equal to them when every row has the same count, or the card is no grid).
    n_valid_high: int | None = None
    n_no_answer_high: int | None = None


def _groups(codebook: Codebook) -> list[tuple[str, list[Variable]]]:
    groups: dict[str, list[Variable]] = {}
    for variable in codebook:
        groups.setdefault(variable.question or variable.name, []).append(variable)
    return list(groups.items())


def _card_kind(variables: list[Variable]) -> str:
    main = variables[0]
    if main.kind == "numeric" and "/" in main.name:
        return "ranking"
    if main.kind == "ordinal" and "/" in main.name:
        return "matrix"
    return {
        "single": "choice",
        "multi": "choice",
        "ordinal": "scale",
        "numeric": "numeric",
        "text": "text",
        "date": "date",
    }[main.kind]


def public_summaries(data: ResultsData, k: int) -> list[Summary]:
    """Summaries for files that leave the commission: the whole fieldwork in steps of k
    responses, through disclosure control (small cells, small bases, statistics)."""
    return summaries_of(data, public_results(data, k), k)


def summaries_of(
    data: ResultsData, applied: Filtered, k: int | None = None, weights: pd.Series | None = None
) -> list[Summary]:
    """Every variable summarised on the filtered rows (suppressed below ``k`` when given);
    with ``weights``, shares and means weighted, with their 95 % intervals. Never both: the
    weighted share of a hidden cell would be shown."""
    if k and weights is not None:
        raise ValueError("public figures are never weighted")

    def build() -> list[Summary]:
        summaries = [summarise(applied.frame, v) for v in data.codebook]
        if k:
            summaries = suppress_summaries(summaries, applied.frame, k)
        if weights is None:
            return summaries
        return [weighted_summary(s, applied.frame, weights) for s in summaries]

    return data.memo(("summaries", applied.key, k, weights_key(weights)), build)


def question_label(data: ResultsData, question: str) -> str:
    document = data.document
    if document.has_question(question):
        return text(document.question(question).label, data.lang, document.default_language)
    variable = data.codebook.get(question)  # a number's groups: « Quel âge as-tu ? (tranches) »
    return variable.label if variable is not None and variable.label else question


def build_chart(
    data: ResultsData,
    applied: Filtered,
    question: str,
    k: int | None = None,
    weights: pd.Series | None = None,
) -> Chart | None:
    """The chart of a question's card (memoised per filters, k and weighting)."""

    def build() -> Chart | None:
        summaries = {s.variable.name: s for s in summaries_of(data, applied, k, weights)}
        variables = data.codebook.of_question(question)
        if not variables:
            return None
        kind = _card_kind(list(variables))
        lang = data.lang
        if summaries[variables[0].name].withheld:
            return None
        if kind in ("choice", "scale"):
            return bar_chart(summaries[variables[0].name], lang)
        if kind == "matrix":
            items = [
                summaries[v.name]
                for v in variables
                if v.kind == "ordinal" and not summaries[v.name].withheld
            ]
            if not items:
                return None
            return likert_chart(items, lang, title=question_label(data, question))
        if kind == "numeric":
            if k and "mean" not in summaries[variables[0].name].stats:
                return None  # its table (the count of each value) is not fully published
            return histogram_chart(applied.frame, variables[0], lang, k=k)
        return None

    return data.memo(("chart", applied.key, question, k, weights_key(weights)), build)


def chart_svg(
    data: ResultsData,
    applied: Filtered,
    question: str,
    k: int | None = None,
    weights: pd.Series | None = None,
):
    chart = build_chart(data, applied, question, k, weights)
    if chart is None:
        return None
    key = ("svg", applied.key, question, k, weights_key(weights))
    return data.memo(key, lambda: to_svg(chart))


def svg_of(data: ResultsData, key: tuple, chart: Chart) -> bytes:
    """A chart's SVG, memoised under ``key`` (which must include the filters)."""
    return data.memo(("svg",) + key, lambda: to_svg(chart))


def question_cards(
    data: ResultsData,
    applied: Filtered,
    k: int | None = None,
    weights: pd.Series | None = None,
    intervals: bool = False,
) -> list[Card]:
    """A card per question, in questionnaire order (weighted when ``weights`` are given; the
    tables show each share's 95 % interval with ``intervals``)."""
    summaries = {s.variable.name: s for s in summaries_of(data, applied, k, weights)}
    cards = []
    for question, variables in _groups(data.codebook):
        kind = _card_kind(variables)
        own = [summaries[v.name] for v in variables]
        main = own[0]
        counted = _counted_rows(kind, own)
        n_valid, n_valid_high = _span(s.n_valid for s in counted)
        n_no_answer, n_no_answer_high = _span(s.n_no_answer for s in counted)
        chart = build_chart(data, applied, question, k, weights)
        cards.append(
            Card(
                question=question,
                label=question_label(data, question),
                section=variables[0].section or "",
                kind=kind,
                summaries=tuple(own),
                tables=_card_tables(kind, own, data.lang, intervals),
                chart=question if chart is not None else None,
                alt_text=chart.alt_text if chart is not None else "",
                n_valid=n_valid,
                n_no_answer=n_no_answer,
                n_not_asked=main.n_not_asked,
                texts=sum(s.n_valid or 0 for s in own if s.variable.kind == "text"),
                withheld=main.withheld,
                n_valid_high=n_valid_high,
                n_no_answer_high=n_no_answer_high,
            )
        )
    return cards


def _counted_rows(kind: str, summaries: list[Summary]) -> list[Summary]:
    """The summaries a card's counts speak of: a grid's rows shown in its chart, else the
    question's own."""
    if kind == "matrix":
        rows = [s for s in summaries if s.variable.kind == "ordinal" and not s.withheld]
        if rows:
            return rows
    return summaries[:1]


def _span(counts) -> tuple[int | None, int | None]:
    """The lowest and highest count; none when one of them is hidden (a range of the shown
    ones would pass for all of them)."""
    counts = list(counts)
    if not counts or None in counts:
        return None, None
    return min(counts), max(counts)


def _card_tables(
    kind: str, summaries: list[Summary], lang: str, intervals: bool = False
) -> tuple[Table, ...]:
    _ = gettext_for(lang)
    if kind == "ranking":
        rows = tuple(
            (
                s.variable.label.rsplit(" — ", 1)[-1],
                format_number(round(s.stats.get("mean", np.nan), 2), lang, 2),
                format_number(s.n_valid, lang),
            )
            for s in summaries
        )
        return (Table((_("Item"), _("Mean rank"), _("Respondents")), rows),)
    if intervals:
        summaries = [s if "ci_low" in s.table else with_intervals(s) for s in summaries]
    return tuple(
        summary_view(s, lang)
        for s in summaries
        if not s.withheld and (s.variable.kind != "text" or kind == "text")
    )
