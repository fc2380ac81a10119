"""Campaigns: read-side queries (counts for dashboards), creating and editing, partner links."""

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import case, delete, func
from sqlmodel import Session, select

from surveys import questionnaires
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
    pitch: str = ""  # one line for the poster
    anonymous: bool = True
    draft_retention_days: str = "30"
    response_retention_years: str = "5"  # empty: kept until deleted by hand
    # consent text and audience in the other languages: {"en": {"consent_text": ..., ...}}
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    start_as_draft: bool = False  # a new campaign from the web waits for its launch list


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


def questionnaire_of_version(session: Session, version_id: int) -> int | None:
    query = select(QuestionnaireVersion.questionnaire_id).where(
        QuestionnaireVersion.id == version_id
    )
    return session.exec(query).first()


def commission_of_version(session: Session, version_id: int) -> int | None:
    query = (
        select(Questionnaire.commission_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.questionnaire_id == Questionnaire.id)
        .where(QuestionnaireVersion.id == version_id)
    )
    return session.exec(query).first()


def series_owner(session: Session, series: str, excluding: int | None = None) -> int | None:
    """The commission a series belongs to: that of its first campaign (None for a new name).

    A series is a commission's own: its waves are compared, presented and read together, so
    a campaign of another commission can neither join it nor be read with it."""
    if not series:
        return None
    query = (
        select(Questionnaire.commission_id)
        .join(QuestionnaireVersion, QuestionnaireVersion.questionnaire_id == Questionnaire.id)
        .join(Campaign, Campaign.version_id == QuestionnaireVersion.id)
        .where(Campaign.series == series)
        .order_by(Campaign.id)
    )
    if excluding is not None:
        query = query.where(Campaign.id != excluding)
    return session.exec(query.limit(1)).first()


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
    series = values.series.strip()[:120]
    owner = series_owner(session, series, current.id if current else None)
    version_commission = commission_of_version(session, values.version_id or 0)
    if owner is not None and version_commission is not None and owner != version_commission:
        problems.append(Problem("K_SERIES_TAKEN", "series", series=series))
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
        series=series,
        wave=values.wave.strip()[:60],
        version_id=values.version_id,
        opens_at=at(days["opens"]) or (current.opens_at if current else datetime.now(UTC)),
        closes_at=at(days["closes"]),
        quota=quota,
        audience=values.audience.strip()[:200],
        consent_text=values.consent_text.strip(),
        pitch=" ".join(values.pitch.split())[:200],
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
    campaign = current or Campaign(**columns, draft=values.start_as_draft)
    for key, value in columns.items():
        setattr(campaign, key, value)
    session.add(campaign)
    session.flush()
    _save_translations(session, campaign.id, values.translations)
    session.commit()
    return campaign, []


# --- texts per language -------------------------------------------------------------------


def _save_translations(
    session: Session, campaign_id: int, translations: Mapping[str, Mapping[str, str]]
) -> None:
    """Consent text and audience in other languages, into ``Campaign.texts`` (which also
    holds the introduction per language, read by the respondent pages)."""
    campaign = session.get(Campaign, campaign_id)
    texts = {lang: dict(values) for lang, values in (campaign.texts or {}).items()}
    for lang, given in translations.items():
        own = texts.setdefault(lang, {})
        own["consent_text"] = str(given.get("consent_text", "")).strip()
        own["audience"] = str(given.get("audience", "")).strip()[:200]
        texts[lang] = {key: value for key, value in own.items() if value}
    campaign.texts = {lang: values for lang, values in texts.items() if values}  # reassigned
    session.add(campaign)


@dataclass(frozen=True)
class Translation:
    consent_text: str = ""
    audience: str = ""


def translations_of(session: Session, campaign_id: int) -> dict[str, Translation]:
    campaign = session.get(Campaign, campaign_id)
    return {
        lang: Translation(values.get("consent_text", ""), values.get("audience", ""))
        for lang, values in (campaign.texts or {}).items()
    }


def texts_in(session: Session, campaign: Campaign, lang: str) -> tuple[str, str]:
    """(consent text, audience) in ``lang``; the default (French) ones where none is given."""
    own = (campaign.texts or {}).get(lang) or {}
    consent = own.get("consent_text") or campaign.consent_text
    audience = own.get("audience") or campaign.audience
    return consent, audience


# --- the launch: a draft campaign, its test link, the checklist, the opening ---------------

TEST_CHANNEL = "test"


def test_key(secret: str, slug: str) -> str:
    """The secret part of a draft campaign's test link (/r/<slug>?test=<key>)."""
    return hmac.new(secret.encode(), f"test:{slug}".encode(), hashlib.sha256).hexdigest()[:12]


def launch_problems(session: Session, campaign: Campaign) -> list[Problem]:
    """What must be set before a campaign opens; each problem names the field to fill."""
    # read afresh, not from the per-process cache: a check made once, on the database's truth
    document = questionnaires.document_of(session.get(QuestionnaireVersion, campaign.version_id))
    translations = translations_of(session, campaign.id)
    default = document.default_language
    problems = []
    for lang in document.languages:
        row = translations.get(lang)
        consent = campaign.consent_text if lang == default else (row.consent_text if row else "")
        if not consent.strip():
            problems.append(Problem("K_NO_CONSENT", f"consent_text_{lang}", lang=lang))
    for lang in document.languages:
        if not document.description.get(lang, "").strip():
            problems.append(Problem("K_NO_INTRODUCTION", "introduction", lang=lang))
    if campaign.closes_at is None:
        problems.append(Problem("K_NO_CLOSING_DATE", "closes"))
    if campaign.response_retention_years is None:
        problems.append(Problem("K_NO_RETENTION", "response_retention_years"))
    return problems


def open_campaign(session: Session, campaign: Campaign) -> list[Problem]:
    """Open a draft: refused with the launch problems; else its test answers are deleted."""
    problems = launch_problems(session, campaign)
    if problems:
        return problems
    session.exec(
        delete(Response).where(
            Response.campaign_id == campaign.id, Response.channel == TEST_CHANNEL
        )
    )
    campaign.draft = False
    session.add(campaign)
    session.commit()
    return []


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
