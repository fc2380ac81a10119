"""Read-side queries over campaigns (counts for dashboards)."""

from dataclasses import dataclass

from sqlalchemy import case, func
from sqlmodel import Session, select

from surveys.models import Campaign, Questionnaire, QuestionnaireVersion, Response


@dataclass(frozen=True)
class CampaignSummary:
    id: int
    slug: str
    name: str
    wave: str
    commission_id: int
    questionnaire_title: str
    completes: int
    drafts: int


def summarise_campaigns(
    session: Session, commission_ids: list[int] | None
) -> list[CampaignSummary]:
    """Campaigns of the given commissions (all when None) with their counts, in one query."""
    completes = func.count(case((Response.completed, 1)))
    drafts = func.count(case((~Response.completed, 1)))
    query = (
        select(
            Campaign.id,
            Campaign.slug,
            Campaign.name,
            Campaign.wave,
            Questionnaire.commission_id,
            Questionnaire.title,
            completes,
            drafts,
        )
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Campaign.version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
        .outerjoin(Response, Response.campaign_id == Campaign.id)
        .group_by(Campaign.id, Questionnaire.commission_id, Questionnaire.title)
        .order_by(Campaign.series, Campaign.wave, Campaign.name)
    )
    if commission_ids is not None:
        query = query.where(Questionnaire.commission_id.in_(commission_ids))
    return [CampaignSummary(*row) for row in session.exec(query).all()]
