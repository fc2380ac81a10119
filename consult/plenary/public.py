"""The public results page of a campaign: only the questions the commission chose, small
cells suppressed, no free text but the marked quotes, and "you said / we did".

Everything is computed by ``surveys.results`` with suppression at ``k``; this module keeps the
selection (``PublicQuestion``) and the publication (``PublicPage``) and shapes the page.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, delete, select

from consult.network.services import FindingView, findings_for_campaign
from surveys import results as service
from surveys.models import Campaign, PublicPage, PublicQuestion, Quote
from surveys.problems import Problem
from surveys.results import Card, ResultsData

# Kinds a public page may show: counts per category, suppressed below k. Numbers (min, max),
# dates and rankings are left out: a single extreme value can point at a person.
SHOWN_KINDS = ("choice", "scale", "matrix")


@dataclass(frozen=True)
class Choosable:
    question: str
    label: str
    kind: str  # a SHOWN_KINDS kind, or "text" (then only its marked quotes are shown)
    chosen: bool


@dataclass(frozen=True)
class PublicView:
    data: ResultsData
    k: int
    respondents: int
    enough: bool  # False when the campaign itself has fewer than k responses
    cards: tuple[Card, ...]
    quotes: tuple[tuple[str, tuple[str, ...]], ...]  # (question label, quotes)
    findings: tuple[FindingView, ...]
    suppression: str


def public_results_url(session: Session, campaign_id: int) -> str | None:
    """``/p/<slug>`` while the campaign's public page is published, else None (for the
    respondents' thanks page)."""
    row = session.exec(
        select(Campaign.slug)
        .join(PublicPage, col(PublicPage.campaign_id) == Campaign.id)
        .where(Campaign.id == campaign_id, col(PublicPage.published_at).is_not(None))
    ).first()
    return f"/p/{row}" if row else None


def is_published(session: Session, campaign_id: int) -> bool:
    page = session.get(PublicPage, campaign_id)
    return page is not None and page.published_at is not None


def chosen_questions(session: Session, campaign_id: int) -> list[str]:
    return list(
        session.exec(
            select(PublicQuestion.question)
            .where(PublicQuestion.campaign_id == campaign_id)
            .order_by(PublicQuestion.position)
        ).all()
    )


def choosable(data: ResultsData, chosen: list[str]) -> list[Choosable]:
    cards = service.question_cards(data, service.filter_results(data, {}))
    return [
        Choosable(c.question, c.label, c.kind, c.question in chosen)
        for c in cards
        if c.kind in SHOWN_KINDS or c.kind == "text"
    ]


def save_public_page(
    session: Session, data: ResultsData, questions: list[str], published: bool
) -> list[Problem]:
    """Replace the selection (in questionnaire order) and publish or unpublish."""
    campaign_id = data.campaign.id
    allowed = [c.question for c in choosable(data, [])]
    unknown = [q for q in questions if q not in allowed]
    if unknown:
        return [Problem("PUBLIC_UNKNOWN_QUESTION", "questions", value=unknown[0])]
    session.exec(delete(PublicQuestion).where(col(PublicQuestion.campaign_id) == campaign_id))
    for position, question in enumerate(q for q in allowed if q in set(questions)):
        session.add(PublicQuestion(campaign_id=campaign_id, question=question, position=position))
    page = session.get(PublicPage, campaign_id) or PublicPage(campaign_id=campaign_id)
    if published and page.published_at is None:
        page.published_at = datetime.now(UTC)
    elif not published:
        page.published_at = None
    session.add(page)
    session.commit()
    return []


def quotes_of(
    session: Session, data: ResultsData, questions: list[str]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    texts = [c.question for c in choosable(data, questions) if c.kind == "text" and c.chosen]
    quotes: list[Quote] = service.list_quotes(session, [c.id for c in data.campaigns])
    out = []
    for question in texts:
        own = tuple(q.text for q in quotes if q.question == question)
        if own:
            out.append((service.question_label(data, question), own))
    return tuple(out)


def public_view(session: Session, data: ResultsData, k: int) -> PublicView:
    """The page: figures of the whole fieldwork in steps of k responses (a new respondent
    changes nothing until k more have answered), through disclosure control."""
    chosen = chosen_questions(session, data.campaign.id)
    applied = service.public_results(data, k)
    respondents = len(applied.frame)
    enough = respondents >= k
    cards: tuple[Card, ...] = ()
    if enough:
        cards = tuple(
            c
            for c in service.question_cards(data, applied, k)
            if c.question in chosen and c.kind in SHOWN_KINDS
        )
    return PublicView(
        data=data,
        k=k,
        respondents=respondents,
        enough=enough,
        cards=cards,
        quotes=quotes_of(session, data, chosen) if enough else (),
        findings=tuple(findings_for_campaign(session, data.campaign.id)),
        suppression=service.suppression_note(k, data.lang),
    )


def public_chart(data: ResultsData, session: Session, question: str, k: int) -> bytes | None:
    """A chosen question's chart with suppression, or None."""
    if question not in chosen_questions(session, data.campaign.id):
        return None
    return service.chart_svg(data, service.public_results(data, k), question, k)
