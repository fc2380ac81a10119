"""The plenary deck of a campaign: the slides the facilitator chose (``DeckSlide``) built from
the campaign's results with small cells suppressed, charts embedded as PNG data URIs so the
deck needs no network once loaded (and prints to PDF as it is)."""

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from analysis.charts import DPI, PROJECTOR, Chart, to_png
from analysis.disclosure import published_margins
from analysis.formats import format_number, format_share
from consult.plenary import polls
from surveys import results as service
from surveys.models import DeckSlide
from surveys.problems import Problem
from surveys.results import Card, Filtered, ResultsData, Table, WavesView

KINDS = ("figures", "question", "quotes", "waves", "method", "poll", "said_done")
ADDABLE = ("figures", "question", "quotes", "waves", "method")  # kinds the add form offers
CHART_KINDS = ("choice", "scale", "matrix", "numeric")
MAX_TAKEAWAY = 400
MAX_PAIRS = 4
MAX_PAIR_TEXT = 200
PREPARED_QUESTIONS = 6  # chart questions ticked by default in "Prepare the plenary"


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
    lines: tuple[tuple[str, str], ...] = ()  # method: (label id, value)
    poll: Any = None  # a LivePoll
    poll_results: Any = None
    pairs: tuple[tuple[str, str], ...] = ()  # "you said / we did"
    withheld: tuple[str, ...] = ()  # waves (or "" for the question) with fewer than k answers
    # "± x pts" asked for: (answer, share, margin of error in points) of each shown share
    margins: tuple[tuple[str, str, str], ...] = ()


def png_uri(chart: Chart) -> str:
    """The chart drawn for a 1920×1080 slide (1728×780 px, type of 25 px), shown at 1:1."""
    png = to_png(chart, dpi=DPI, style=PROJECTOR)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


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
    if kind not in ADDABLE:
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


def default_pairs(session: Session, data: ResultsData) -> list[tuple[str, str]]:
    """ "You said" starts from the quotes marked for the plenary; "we did" is to write."""
    quotes = service.list_quotes(session, [c.id for c in data.campaigns])
    return [(q.text[:MAX_PAIR_TEXT], "") for q in quotes[:MAX_PAIRS]]


def _pairs(saids: Sequence[str], dids: Sequence[str]) -> tuple[list[list[str]], list[Problem]]:
    pairs, problems = [], []
    for i in range(max(len(saids), len(dids))):
        said = saids[i].strip() if i < len(saids) else ""
        did = dids[i].strip() if i < len(dids) else ""
        for name, value in ((f"said-{i + 1}", said), (f"did-{i + 1}", did)):
            if len(value) > MAX_PAIR_TEXT:
                problems.append(Problem("DECK_PAIR_TOO_LONG", name, limit=MAX_PAIR_TEXT))
        if said or did:
            pairs.append([said, did])
    return pairs[:MAX_PAIRS], problems


def check_prepare(
    data: ResultsData, questions: Sequence[str], saids: Sequence[str], dids: Sequence[str]
) -> list[Problem]:
    allowed = dict(question_choices(data))
    problems = [
        Problem("DECK_UNKNOWN_QUESTION", "questions", value=q)
        for q in questions
        if q not in allowed
    ]
    if not questions:
        problems.append(Problem("DECK_NO_QUESTION_CHOSEN", "questions"))
    return problems + _pairs(saids, dids)[1]


def prepare_deck(
    session: Session,
    data: ResultsData,
    series: ResultsData | None,
    *,
    questions: Sequence[str],
    saids: Sequence[str] = (),
    dids: Sequence[str] = (),
    poll_code: str = "",
    margins: bool = False,
) -> list[Problem]:
    """Replace the deck by one built from the results: the method, one slide per chosen
    question, each question's wave comparison when the series has one, the marked quotes,
    the live poll (``poll_code``: created by the caller), "you said / we did". The title
    slide always comes first. No filter: a deck shows the whole fieldwork (see
    :func:`build_deck`), whatever view it was prepared from.
    ``margins``: the question slides show each share's margin of error ("± x pts")."""
    problems = check_prepare(data, questions, saids, dids)
    if problems:
        return problems
    pairs = _pairs(saids, dids)[0]
    comparable = dict(wave_choices(series))
    for slide in list_slides(session, data.campaign.id):
        session.delete(slide)
    rows: list[tuple[str, str, dict]] = [("method", "", {})]
    for name in questions:
        rows.append(("question", name, {"margins": True} if margins else {}))
        if name in comparable:
            rows.append(("waves", name, {}))
    rows.append(("quotes", "", {}))
    if poll_code:
        rows.append(("poll", poll_code, {}))
    rows.append(("said_done", "", {"pairs": pairs}))
    for position, (kind, question, extra) in enumerate(rows, start=1):
        session.add(
            DeckSlide(
                campaign_id=data.campaign.id,
                position=position,
                kind=kind,
                question=question,
                extra=extra,
            )
        )
    session.commit()
    return []


def set_pairs(
    session: Session, campaign_id: int, slide_id: int, saids: Sequence[str], dids: Sequence[str]
) -> list[Problem]:
    slide = _own(session, campaign_id, slide_id)
    if slide is None or slide.kind != "said_done":
        return [Problem("DECK_BAD_KIND", "kind")]
    pairs, problems = _pairs(saids, dids)
    if problems:
        return problems
    slide.extra = {**slide.extra, "pairs": pairs}  # reassigned: a JSON change in place is lost
    session.add(slide)
    session.commit()
    return []


def set_margins(session: Session, campaign_id: int, slide_id: int, shown: bool) -> list[Problem]:
    """Show (or stop showing) each share's margin of error on a question slide."""
    slide = _own(session, campaign_id, slide_id)
    if slide is None or slide.kind != "question":
        return [Problem("DECK_BAD_KIND", "kind")]
    slide.extra = {**(slide.extra or {}), "margins": shown}  # reassigned: JSON
    session.add(slide)
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


@dataclass(frozen=True)
class DisclosedResults:
    """Everything a deck may show of a campaign and its series, already through disclosure
    control (``analysis.disclosure`` at ``k``): whole fieldwork, in steps of k responses,
    small cells and small bases withheld, statistics only over fully published tables.
    The one data path of decks: any slide builder reads its tables and charts from here."""

    data: ResultsData
    series: ResultsData | None
    k: int
    applied: Filtered
    series_applied: Filtered | None
    cards: Mapping[str, Card]
    respondents: int

    def card(self, question: str) -> Card | None:
        return self.cards.get(question)

    def chart(self, question: str) -> Chart | None:
        return service.build_chart(self.data, self.applied, question, self.k)

    def waves(self, question: str) -> tuple[WavesView, Chart] | None:
        """The question compared across the waves, or None without a series or question."""
        series, applied = self.series, self.series_applied
        if series is None or applied is None or question not in dict(service.comparable(series)):
            return None
        view = service.waves_view(series, applied, question, self.k, service.MIN_WAVE_N)
        return view, service.waves_chart_of(series, applied, question, self.k)


def disclosed_results(data: ResultsData, series: ResultsData | None, k: int) -> DisclosedResults:
    applied = service.public_results(data, k)
    return DisclosedResults(
        data=data,
        series=series,
        k=k,
        applied=applied,
        series_applied=service.public_results(series, k) if series is not None else None,
        cards=MappingProxyType({c.question: c for c in service.question_cards(data, applied, k)}),
        respondents=len(applied.frame),
    )


def build_deck(
    session: Session, data: ResultsData, series: ResultsData | None, k: int
) -> list[Slide]:
    """Every slide ready to show, in order, the title slide first. Every figure comes from
    :func:`disclosed_results`: a deck leaves the commission, so it shows the whole fieldwork
    through disclosure control, whatever view a slide was prepared from."""
    campaign = data.campaign
    disclosed = disclosed_results(data, series, k)
    overview = service.overview(data)
    slides = [
        Slide(
            None,
            "title",
            campaign.name,
            subtitle=f"{_day(overview.first or campaign.opens_at)} – {_day(overview.last or campaign.closes_at)}",
            figures=((str(disclosed.respondents), "respondents"),),
        )
    ]
    for stored in list_slides(session, campaign.id):
        slides.append(_slide(session, disclosed, stored, overview))
    return slides


def _method(disclosed: DisclosedResults, stored: DeckSlide, overview) -> Slide:
    data = disclosed.data
    dates = f"{_day(overview.first)} – {_day(overview.last)}"
    channels = ", ".join(f"{name} ({count})" for name, count in overview.channels)
    lines = (
        ("respondents", str(disclosed.respondents)),
        ("dates", dates),
        ("channels", channels or "—"),
        ("suppression", service.suppression_note(disclosed.k, data.lang)),
    )
    return Slide(stored.id, "method", "", stored.takeaway, lines=lines)


def _slide(session, disclosed: DisclosedResults, stored: DeckSlide, overview) -> Slide:
    data = disclosed.data
    if stored.kind == "method":
        return _method(disclosed, stored, overview)
    if stored.kind == "said_done":
        pairs = tuple(tuple(p) for p in (stored.extra or {}).get("pairs", []))
        return Slide(stored.id, "said_done", "", stored.takeaway, pairs=pairs)
    if stored.kind == "poll":
        poll = polls.find_poll(session, stored.question)
        if poll is None:
            return Slide(stored.id, "missing", stored.question, stored.takeaway)
        results = polls.poll_results(session, poll)
        return Slide(
            stored.id, "poll", poll.question, stored.takeaway, poll=poll, poll_results=results
        )
    if stored.kind == "figures":
        figures = [(str(disclosed.respondents), "respondents")]
        if overview.completion_rate is not None:
            figures.append((f"{round(100 * overview.completion_rate)} %", "completion"))
        figures.append((str(len(overview.channels)), "channels"))
        return Slide(stored.id, "figures", "", stored.takeaway, figures=tuple(figures))
    if stored.kind == "quotes":
        quotes = service.list_quotes(session, [c.id for c in data.campaigns])
        return Slide(stored.id, "quotes", "", stored.takeaway, quotes=tuple(q.text for q in quotes))
    waves = disclosed.waves(stored.question) if stored.kind == "waves" else None
    if waves is not None:
        view, chart = waves
        return Slide(
            stored.id,
            "waves",
            view.table.caption,
            stored.takeaway,
            chart=png_uri(chart),
            alt_text=view.alt_text,
            table=view.table,
            withheld=view.withheld,
        )
    card = disclosed.card(stored.question)
    if card is None:  # the question left the questionnaire: say so rather than fail
        return Slide(stored.id, "missing", stored.question, stored.takeaway)
    chart = disclosed.chart(card.question)
    asked = bool((stored.extra or {}).get("margins"))  # "± x pts", where the facilitator asks
    return Slide(
        stored.id,
        "question",
        card.label,
        stored.takeaway,
        chart=png_uri(chart) if chart is not None else None,
        alt_text=card.alt_text,
        table=card.tables[0] if card.tables and chart is None else None,
        withheld=("",) if card.withheld else (),
        margins=_margins(card, data.lang) if asked else (),
    )


MARGIN_KINDS = ("choice", "scale")  # one share per answer: a margin of error each


def _margins(card: Card, lang: str) -> tuple[tuple[str, str, str], ...]:
    """Each shown share of a (disclosed) card with its 95 % margin of error in points
    (Wilson, from the published share and base: analysis.disclosure.published_margins);
    hidden shares get none."""
    if card.kind not in MARGIN_KINDS or card.withheld or not card.summaries:
        return ()
    summary = card.summaries[0]
    rows = []
    margins = published_margins(summary)
    labels = summary.table.get("label", summary.table.index)
    for label, share, margin in zip(labels, summary.table["share"], margins, strict=True):
        if margin is None:
            continue
        rows.append((str(label), format_share(float(share), lang), format_number(margin, lang)))
    return tuple(rows)


def slide_count(session: Session, campaign_id: int) -> int:
    return session.exec(
        select(func.count(col(DeckSlide.id))).where(DeckSlide.campaign_id == campaign_id)
    ).one()
