"""Free-text answers and the quotes chosen among them for a plenary."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, select

from surveys.models import Quote, Response
from surveys.results.cache import ResultsData
from surveys.results.filters import Filtered

MAX_TEXT_ANSWERS = 500


@dataclass(frozen=True)
class TextAnswer:
    response_id: int
    campaign: str
    text: str
    quote_id: int | None


def text_questions(data: ResultsData) -> list[tuple[str, str]]:
    return [(v.name, v.label) for v in data.codebook.of_kind("text")]


def text_answers(
    session: Session,
    data: ResultsData,
    applied: Filtered,
    name: str,
    search: str = "",
    limit: int = MAX_TEXT_ANSWERS,
) -> tuple[list[TextAnswer], int]:
    """The free-text answers of ``name`` (case-insensitive search), newest first, with the
    quote each one already is; and how many matched in all."""
    frame = applied.frame
    column = frame[name].astype("string")
    keep = (column.str.strip().str.len() > 0).fillna(False)
    if search.strip():
        keep &= column.str.contains(search.strip(), case=False, regex=False).fillna(False)
    chosen = frame.loc[keep.to_numpy(dtype=bool), ["response_id", "campaign", name]].iloc[::-1]
    total = len(chosen)
    chosen = chosen.head(limit)
    quotes = dict(
        session.exec(
            select(Quote.response_id, Quote.id).where(
                Quote.campaign_id.in_([c.id for c in data.campaigns]), Quote.question == name
            )
        ).all()
    )
    answers = [
        TextAnswer(int(rid), str(wave), str(value), quotes.get(int(rid)))
        for rid, wave, value in chosen.itertuples(index=False, name=None)
    ]
    return answers, total


def mark_quote(
    session: Session, campaign_ids: Sequence[int], response_id: int, question: str, user_id: int
) -> Quote | None:
    """Mark an answer as a quote for the plenary (idempotent); None if there is no such
    answer among these campaigns' complete responses."""
    response = session.get(Response, response_id)
    if response is None or response.campaign_id not in campaign_ids or not response.completed:
        return None
    value = (response.answers or {}).get(question)
    if not isinstance(value, str) or not value.strip():
        return None
    existing = session.exec(
        select(Quote).where(Quote.response_id == response_id, Quote.question == question)
    ).first()
    if existing:
        return existing
    quote = Quote(
        campaign_id=response.campaign_id,
        response_id=response_id,
        question=question,
        text=value.strip(),
        marked_by=user_id,
    )
    session.add(quote)
    session.commit()
    return quote


def unmark_quote(session: Session, campaign_ids: Sequence[int], quote_id: int) -> bool:
    quote = session.get(Quote, quote_id)
    if quote is None or quote.campaign_id not in campaign_ids:
        return False
    session.delete(quote)
    session.commit()
    return True


def list_quotes(session: Session, campaign_ids: Sequence[int]) -> list[Quote]:
    """The quotes chosen for these campaigns, oldest first (what a plenary deck shows)."""
    return list(
        session.exec(
            select(Quote)
            .where(Quote.campaign_id.in_(list(campaign_ids)))
            .order_by(Quote.created_at, Quote.id)
        ).all()
    )
