"""The plenary deck of a campaign: the slides the facilitator chose (``DeckSlide``) built from
the campaign's results with small cells suppressed, charts embedded as PNG data URIs so the
deck needs no network once loaded (and prints to PDF as it is)."""

import base64
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from analysis.charts import Chart, to_png
from surveys import results as service
from surveys.models import DeckSlide
from surveys.problems import Problem
from surveys.results import ResultsData, Table

KINDS = ("figures", "question", "quotes", "waves")
CHART_KINDS = ("choice", "scale", "matrix", "numeric")
MAX_TAKEAWAY = 400


@dataclass(frozen=True)
class Slide:
    id: int | None  # None for the title slide, which is always first
    kind: str  # title | figures | question | quotes | waves
    title: str
    takeaway: str = ""
    chart: str | None = None  # a PNG data URI
    alt_text: str = ""
    table: Table | None = None
    figures: tuple[tuple[str, str], ...] = ()  # (value, label) — labels are gettext ids
    quotes: tuple[str, ...] = ()
    subtitle: str = ""


def png_uri(chart: Chart) -> str:
    return "data:image/png;base64," + base64.b64encode(to_png(chart, dpi=110)).decode("ascii")


def list_slides(session: Session, campaign_id: int) -> list[DeckSlide]:
    return list(
        session.exec(
            select(DeckSlide)
            .where(DeckSlide.campaign_id == campaign_id)
            .order_by(DeckSlide.position, DeckSlide.id)
        ).all()
    )


def question_choices(data: ResultsData) -> list[tuple[str, str]]:
    """Questions that make a chart slide."""
    cards = service.question_cards(data, service.filter_results(data, {}))
    return [(c.question, c.label) for c in cards if c.kind in CHART_KINDS]


def wave_choices(series: ResultsData | None) -> list[tuple[str, str]]:
    return service.comparable(series) if series is not None else []


def add_slide(
    session: Session,
    data: ResultsData,
    series: ResultsData | None,
    kind: str,
    question: str = "",
    takeaway: str = "",
) -> list[Problem]:
    takeaway = takeaway.strip()
    if kind not in KINDS:
        return [Problem("DECK_BAD_KIND", "kind")]
    if len(takeaway) > MAX_TAKEAWAY:
        return [Problem("DECK_TAKEAWAY_TOO_LONG", "takeaway", limit=MAX_TAKEAWAY)]
    if kind in ("question", "waves"):
        if not question:
            return [Problem("DECK_QUESTION_REQUIRED", "question")]
        if kind == "waves" and series is None:
            return [Problem("DECK_NO_SERIES", "kind")]
        allowed = dict(question_choices(data) if kind == "question" else wave_choices(series))
        if question not in allowed:
            return [Problem("DECK_UNKNOWN_QUESTION", "question", value=question)]
    else:
        question = ""
    last = session.exec(
        select(func.max(DeckSlide.position)).where(DeckSlide.campaign_id == data.campaign.id)
    ).one()
    session.add(
        DeckSlide(
            campaign_id=data.campaign.id,
            position=(last or 0) + 1,
            kind=kind,
            question=question,
            takeaway=takeaway,
        )
    )
    session.commit()
    return []


def _own(session: Session, campaign_id: int, slide_id: int) -> DeckSlide | None:
    slide = session.get(DeckSlide, slide_id)
    return slide if slide is not None and slide.campaign_id == campaign_id else None


def remove_slide(session: Session, campaign_id: int, slide_id: int) -> bool:
    slide = _own(session, campaign_id, slide_id)
    if slide is None:
        return False
    session.delete(slide)
    session.commit()
    return True


def move_slide(session: Session, campaign_id: int, slide_id: int, delta: int) -> bool:
    """Swap a slide with its neighbour (delta -1: up, +1: down); positions are renumbered."""
    slides = list_slides(session, campaign_id)
    index = next((i for i, s in enumerate(slides) if s.id == slide_id), None)
    if index is None or not 0 <= index + delta < len(slides):
        return False
    slides[index], slides[index + delta] = slides[index + delta], slides[index]
    for position, slide in enumerate(slides, start=1):
        slide.position = position
        session.add(slide)
    session.commit()
    return True


def set_takeaway(session: Session, campaign_id: int, slide_id: int, takeaway: str) -> list[Problem]:
    slide = _own(session, campaign_id, slide_id)
    if slide is None:
        return [Problem("DECK_BAD_KIND", "kind")]
    if len(takeaway.strip()) > MAX_TAKEAWAY:
        return [Problem("DECK_TAKEAWAY_TOO_LONG", "takeaway", limit=MAX_TAKEAWAY)]
    slide.takeaway = takeaway.strip()
    session.add(slide)
    session.commit()
    return []


def _day(value: datetime | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def build_deck(
    session: Session, data: ResultsData, series: ResultsData | None, k: int
) -> list[Slide]:
    """Every slide ready to show, in order, the title slide first."""
    campaign = data.campaign
    applied = service.filter_results(data, {})
    overview = service.overview(data)
    slides = [
        Slide(
            None,
            "title",
            campaign.name,
            subtitle=f"{_day(overview.first or campaign.opens_at)} – {_day(overview.last or campaign.closes_at)}",
            figures=((str(overview.completes), "respondents"),),
        )
    ]
    cards = {c.question: c for c in service.question_cards(data, applied, k)}
    for stored in list_slides(session, campaign.id):
        slides.append(_slide(session, data, series, applied, cards, stored, overview, k))
    return slides


def _slide(session, data, series, applied, cards, stored: DeckSlide, overview, k) -> Slide:
    if stored.kind == "figures":
        figures = [(str(overview.completes), "respondents")]
        if overview.completion_rate is not None:
            figures.append((f"{round(100 * overview.completion_rate)} %", "completion"))
        figures.append((str(len(overview.channels)), "channels"))
        return Slide(stored.id, "figures", "", stored.takeaway, figures=tuple(figures))
    if stored.kind == "quotes":
        quotes = service.list_quotes(session, [c.id for c in data.campaigns])
        return Slide(stored.id, "quotes", "", stored.takeaway, quotes=tuple(q.text for q in quotes))
    if (
        stored.kind == "waves"
        and series is not None
        and stored.question in dict(service.comparable(series))
    ):
        all_waves = service.filter_results(series, {})
        view = service.waves_view(series, all_waves, stored.question, k)
        chart = service.waves_chart_of(series, all_waves, stored.question, k)
        return Slide(
            stored.id,
            "waves",
            view.table.caption,
            stored.takeaway,
            chart=png_uri(chart),
            alt_text=view.alt_text,
            table=view.table,
        )
    card = cards.get(stored.question)
    if card is None:  # the question left the questionnaire: say so rather than fail
        return Slide(stored.id, "missing", stored.question, stored.takeaway)
    chart = service.build_chart(data, applied, card.question, k)
    return Slide(
        stored.id,
        "question",
        card.label,
        stored.takeaway,
        chart=png_uri(chart) if chart is not None else None,
        alt_text=card.alt_text,
        table=card.tables[0] if card.tables and chart is None else None,
    )


def slide_count(session: Session, campaign_id: int) -> int:
    return session.exec(
        select(func.count(col(DeckSlide.id))).where(DeckSlide.campaign_id == campaign_id)
    ).one()
