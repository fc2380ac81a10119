"""The printable report of a campaign."""

import base64
from dataclasses import dataclass

from analysis.charts import PRINT, PRINT_HALF, Chart, Style, to_svg
from surveys.bands import is_group
from surveys.document import text
from surveys.results.cache import ResultsData
from surveys.results.campaigns import CampaignInfo
from surveys.results.cards import Card, build_chart, question_cards
from surveys.results.filters import Filtered, filter_results, filter_text
from surveys.results.overview import Overview, overview, timeline, timeline_table
from surveys.results.public import public_results, suppression_note
from surveys.results.tables import Table
from surveys.results.weighting import Weighting


@dataclass(frozen=True)
class ReportSection:
    name: str
    title: str
    cards: tuple[tuple[Card, str | None], ...]  # the card and its chart as an SVG data URI


@dataclass(frozen=True)
class Report:
    campaign: CampaignInfo
    title: str
    overview: Overview
    k: int
    suppression: str
    timeline_png: str  # an SVG data URI, like every chart of the report
    timeline_table: Table
    sections: tuple[ReportSection, ...]
    filter_text: str = ""  # "Filter: …" when the report follows a filtered view
    filtered_n: int | None = None  # the responses that view keeps
    weighting: Weighting | None = None  # weighted shares, with their 95 % intervals


WIDE = ("matrix", "ranking")  # cards whose chart and table are too wide to sit side by side


def _svg_uri(chart: Chart, style: Style) -> str:
    """A chart drawn for print, as vector: sharper than a PNG, and faster to make and to lay
    out (a PNG at print resolution is most of a report's time)."""
    svg = base64.b64encode(to_svg(chart, style)).decode("ascii")
    return "data:image/svg+xml;base64," + svg


def campaign_report(
    data: ResultsData,
    k: int,
    public: bool = False,
    applied: Filtered | None = None,
    weighting: Weighting | None = None,
) -> Report:
    """Everything the printable report shows: cover, method box and the responses over time,
    then a section per page of the questionnaire with each question's chart and table.
    ``applied``: only the responses of a filtered view, the filter named on the cover; a
    public report always shows the whole fieldwork through disclosure control, unweighted.
    ``weighting``: weighted shares and means with their 95 % intervals (effective n), and a
    method box saying how the weights were made."""
    if public and weighting is not None:
        raise ValueError("a public report is never weighted")
    if public:
        applied = public_results(data, k)
    elif applied is None:
        applied = filter_results(data, {})
    weights = weighting.weights if weighting is not None else None
    cards = [
        card
        for card in question_cards(
            data, applied, k if public else None, weights=weights, intervals=weights is not None
        )
        if not is_group(card.question)  # a number's groups are a view of its card
    ]
    sections = []
    for section in data.document.sections:
        own = []
        for card in cards:
            if card.section != section.name:
                continue
            chart = build_chart(data, applied, card.question, k if public else None, weights)
            style = PRINT if card.kind in WIDE else PRINT_HALF
            own.append((card, _svg_uri(chart, style) if chart is not None else None))
        if own:
            title = text(section.title, data.lang, data.document.default_language) or section.name
            sections.append(ReportSection(section.name, title, tuple(own)))
    return Report(
        campaign=data.campaign,
        title=data.campaign.name,
        overview=overview(data),
        k=k,
        suppression=suppression_note(k, data.lang),
        timeline_png=_svg_uri(timeline(data), PRINT),
        timeline_table=timeline_table(data),
        sections=tuple(sections),
        filter_text=filter_text(data, applied),
        filtered_n=len(applied.frame),
        weighting=weighting,
    )
