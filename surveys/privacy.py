"""Respondents' privacy: the consent each response agreed to, a respondent's own answers
found by their code and erased, and retention per campaign.

Framework-free: functions of (session, plain values).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select

from surveys.capture import row_by_code
from surveys.models import Campaign, CampaignConsent, Response


@dataclass(frozen=True)
class Receipt:
    """A respondent's own response, found by its code."""

    id: int
    token: str
    answers: dict
    completed: bool
    submitted_at: datetime | None
    consented_at: datetime | None
    consent_version: int | None


_RECEIPT_COLUMNS = (
    Response.id,
    Response.token,
    Response.answers,
    Response.completed,
    Response.submitted_at,
    Response.consented_at,
    Response.consent_version,
)


def find_by_code(session, campaign_id: int, code: str) -> Receipt | None:
    row = row_by_code(session, campaign_id, code, _RECEIPT_COLUMNS, receipt=True)
    return Receipt(*row) if row else None


def find_by_token(session, campaign_id: int, token: str | None) -> Receipt | None:
    if not token:
        return None
    query = select(*_RECEIPT_COLUMNS).where(
        Response.token == token, Response.campaign_id == campaign_id
    )
    row = session.exec(query).first()
    return Receipt(*row) if row else None


def erase(session, campaign_id: int, token: str) -> bool:
    """Delete a respondent's response (draft and sent answers are one row; its quotes go
    with it by cascade). False when it was already gone."""
    result = session.exec(
        delete(Response).where(Response.token == token, Response.campaign_id == campaign_id)
    )
    session.commit()
    return result.rowcount > 0


def consent_text(session, campaign_id: int, version: int | None) -> CampaignConsent | None:
    if not version:
        return None
    return session.get(CampaignConsent, (campaign_id, version))


# --- retention ---------------------------------------------------------------------------


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


@dataclass(frozen=True)
class Expired:
    campaign_id: int
    slug: str
    drafts: int
    responses: int
    drafts_before: datetime
    responses_before: datetime | None


def _draft_rule(campaign_id: int, before: datetime):
    last_change = func.coalesce(Response.updated_at, Response.started_at)
    return (
        Response.campaign_id == campaign_id,
        Response.completed.is_(False),
        last_change < before,
    )


def _response_rule(campaign_id: int, before: datetime):
    return (
        Response.campaign_id == campaign_id,
        Response.completed.is_(True),
        or_(Response.submitted_at < before, Response.submitted_at.is_(None)),
    )


def expired(session, now: datetime) -> list[Expired]:
    """What retention would delete now, per campaign (campaigns with nothing to delete too)."""
    found = []
    campaigns = session.exec(
        select(
            Campaign.id,
            Campaign.slug,
            Campaign.draft_retention_days,
            Campaign.response_retention_years,
        ).order_by(Campaign.slug)
    ).all()
    for campaign_id, slug, days, years in campaigns:
        drafts_before = now - timedelta(days=days)
        responses_before = years_before(now, years) if years is not None else None
        drafts = session.exec(
            select(func.count()).where(*_draft_rule(campaign_id, drafts_before))
        ).scalar_one()
        responses = 0
        if responses_before is not None:
            responses = session.exec(
                select(func.count()).where(*_response_rule(campaign_id, responses_before))
            ).scalar_one()
        found.append(Expired(campaign_id, slug, drafts, responses, drafts_before, responses_before))
    return found


def apply_retention(session, now: datetime) -> list[Expired]:
    """Delete what has expired; running it again at once deletes nothing more."""
    done = []
    for item in expired(session, now):
        if item.drafts:
            session.exec(delete(Response).where(*_draft_rule(item.campaign_id, item.drafts_before)))
        if item.responses and item.responses_before is not None:
            session.exec(
                delete(Response).where(*_response_rule(item.campaign_id, item.responses_before))
            )
        session.commit()
        done.append(item)
    return done
