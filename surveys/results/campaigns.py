"""The campaigns whose results are shown: one by slug, or the waves of a series."""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from surveys.models import Campaign, Questionnaire, QuestionnaireVersion


@dataclass(frozen=True)
class CampaignInfo:
    id: int
    slug: str
    name: str
    series: str
    wave: str
    commission_id: int
    version_id: int
    opens_at: datetime | None
    closes_at: datetime | None

    @property
    def key(self) -> str:
        """The value of the frame's ``campaign`` column for this campaign's responses."""
        return self.wave or self.slug


def _campaign_query():
    return (
        select(
            Campaign.id,
            Campaign.slug,
            Campaign.name,
            Campaign.series,
            Campaign.wave,
            Questionnaire.commission_id,
            Campaign.version_id,
            Campaign.opens_at,
            Campaign.closes_at,
        )
        .join(QuestionnaireVersion, QuestionnaireVersion.id == Campaign.version_id)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
    )


def find_campaign(session: Session, slug: str) -> CampaignInfo | None:
    row = session.exec(_campaign_query().where(Campaign.slug == slug)).first()
    return CampaignInfo(*row) if row else None


def find_series(session: Session, series: str, commission_id: int | None) -> list[CampaignInfo]:
    """The waves of a series in one commission, oldest first (by opening date, then wave
    label). A series is read within one commission only: a campaign of another commission
    sharing its name is never read with it (``surveys.campaigns.series_owner``)."""
    if not series or commission_id is None:
        return []
    rows = session.exec(
        _campaign_query()
        .where(Campaign.series == series, Questionnaire.commission_id == commission_id)
        .order_by(Campaign.opens_at, Campaign.wave, Campaign.id)
    ).all()
    return [CampaignInfo(*row) for row in rows]
