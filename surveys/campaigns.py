"""Campaigns: read-side queries (counts for dashboards), creating and editing, partner links."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import case, func
from sqlmodel import Session, select

from surveys.models import (
    Campaign,
    CampaignChannel,
    Questionnaire,
    QuestionnaireVersion,
    Response,
)
from surveys.problems import Problem


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


# --- creating and editing campaigns ---------------------------------------------------------


SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60]


@dataclass(frozen=True)
class CampaignValues:
    """A campaign as typed in a form or on the command line (dates as day/month/year or ISO)."""

    name: str
    version_id: int | None
    slug: str = ""
    series: str = ""
    wave: str = ""
    opens: str = ""
    closes: str = ""
    quota: str = ""
    audience: str = ""
    consent_text: str = ""
    anonymous: bool = True
    draft_retention_days: str = "30"
    response_retention_years: str = "5"  # empty: kept until deleted by hand


MAX_DRAFT_DAYS, MAX_RESPONSE_YEARS = 3650, 100


def parse_retention(values: CampaignValues) -> tuple[dict, list[Problem]]:
    problems, out = [], {}
    days = str(values.draft_retention_days).strip()
    if days.isdigit() and 1 <= int(days) <= MAX_DRAFT_DAYS:
        out["draft_retention_days"] = int(days)
    else:
        problems.append(
            Problem("K_BAD_RETENTION_DAYS", "draft_retention_days", value=days, max=MAX_DRAFT_DAYS)
        )
    years = str(values.response_retention_years or "").strip()
    if not years:
        out["response_retention_years"] = None
    elif years.isdigit() and 1 <= int(years) <= MAX_RESPONSE_YEARS:
        out["response_retention_years"] = int(years)
    else:
        problems.append(
            Problem(
                "K_BAD_RETENTION_YEARS",
                "response_retention_years",
                value=years,
                max=MAX_RESPONSE_YEARS,
            )
        )
    return out, problems


def parse_day(raw: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", raw)
    if match:
        raw = f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}"
    return date.fromisoformat(raw)


def published_version(session: Session, version_id: int | None) -> QuestionnaireVersion | None:
    version = session.get(QuestionnaireVersion, version_id) if version_id else None
    return version if version is not None and version.published_at is not None else None


def latest_published(session: Session, questionnaire_id: int) -> QuestionnaireVersion | None:
    query = (
        select(QuestionnaireVersion)
        .where(
            QuestionnaireVersion.questionnaire_id == questionnaire_id,
            QuestionnaireVersion.published_at.is_not(None),
        )
        .order_by(QuestionnaireVersion.number.desc())
    )
    return session.exec(query).first()


def publishable_versions(session: Session, commission_ids: list[int] | None) -> list[tuple]:
    """(version id, questionnaire title, version number) of every published version."""
    query = (
        select(QuestionnaireVersion.id, Questionnaire.title, QuestionnaireVersion.number)
        .join(Questionnaire, Questionnaire.id == QuestionnaireVersion.questionnaire_id)
        .where(QuestionnaireVersion.published_at.is_not(None))
        .order_by(Questionnaire.title, QuestionnaireVersion.number.desc())
    )
    if commission_ids is not None:
        query = query.where(Questionnaire.commission_id.in_(commission_ids))
    return list(session.exec(query).all())


def commission_of_version(session: Session, version_id: int) -> int | None:
    query = (
        select(Questionnaire.commission_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.questionnaire_id == Questionnaire.id)
        .where(QuestionnaireVersion.id == version_id)
    )
    return session.exec(query).first()


def check_campaign(
    session: Session, values: CampaignValues, current: Campaign | None = None
) -> tuple[dict, list[Problem]]:
    """The columns of a campaign from typed values, or coded problems (where = field)."""
    problems: list[Problem] = []
    out: dict = {}
    if not values.name.strip():
        problems.append(Problem("K_NAME_MISSING", "name"))
    if published_version(session, values.version_id) is None:
        problems.append(Problem("K_NOT_PUBLISHED", "version_id"))
    slug = values.slug.strip().lower() or (current.slug if current else slugify(values.name))
    if not SLUG.fullmatch(slug or "-") or len(slug) > 80:
        problems.append(Problem("K_BAD_SLUG", "slug", slug=slug))
    else:
        taken = session.exec(select(Campaign.id).where(Campaign.slug == slug)).first()
        if taken is not None and (current is None or taken != current.id):
            problems.append(Problem("K_SLUG_TAKEN", "slug", slug=slug))
    days = {}
    for name in ("opens", "closes"):
        try:
            days[name] = parse_day(getattr(values, name))
        except ValueError:
            problems.append(Problem("K_BAD_DATE", name, value=getattr(values, name)))
            days[name] = None
    if days["opens"] and days["closes"] and days["closes"] <= days["opens"]:
        problems.append(Problem("K_CLOSES_BEFORE_OPENS", "closes"))
    quota = None
    if values.quota.strip():
        if values.quota.strip().isdigit() and int(values.quota) > 0:
            quota = int(values.quota)
        else:
            problems.append(Problem("K_BAD_QUOTA", "quota", value=values.quota))

    retention, retention_problems = parse_retention(values)
    problems.extend(retention_problems)

    def at(day: date | None) -> datetime | None:
        return datetime.combine(day, time.min, tzinfo=UTC) if day else None

    out.update(
        name=values.name.strip()[:300],
        slug=slug,
        series=values.series.strip()[:120],
        wave=values.wave.strip()[:60],
        version_id=values.version_id,
        opens_at=at(days["opens"]) or (current.opens_at if current else datetime.now(UTC)),
        closes_at=at(days["closes"]),
        quota=quota,
        audience=values.audience.strip()[:200],
        consent_text=values.consent_text.strip(),
        anonymous=values.anonymous,
        **retention,
    )
    if not values.opens.strip() and current is not None:
        out["opens_at"] = None
    return out, problems


def save_campaign(
    session: Session, values: CampaignValues, current: Campaign | None = None
) -> tuple[Campaign | None, list[Problem]]:
    columns, problems = check_campaign(session, values, current)
    if problems:
        return None, problems
    campaign = current or Campaign(**columns)
    for key, value in columns.items():
        setattr(campaign, key, value)
    session.add(campaign)
    session.commit()
    return campaign, []


def channels_of(session: Session, campaign_id: int) -> list[CampaignChannel]:
    query = select(CampaignChannel).where(CampaignChannel.campaign_id == campaign_id)
    return list(session.exec(query.order_by(CampaignChannel.label)).all())


def add_channel(
    session: Session, campaign_id: int, code: str, label: str
) -> tuple[CampaignChannel | None, list[Problem]]:
    code = slugify(code or label)
    if not code:
        return None, [Problem("K_BAD_CHANNEL", "code")]
    exists = session.exec(
        select(CampaignChannel).where(
            CampaignChannel.campaign_id == campaign_id, CampaignChannel.code == code
        )
    ).first()
    if exists:
        return exists, []
    channel = CampaignChannel(campaign_id=campaign_id, code=code, label=label.strip() or code)
    session.add(channel)
    session.commit()
    return channel, []
