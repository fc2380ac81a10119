"""Demo campaign that is open now: the youth questionnaire (second wave's version) for 2026,
with no response yet and two partner links, so the respondent flow can be tried at once."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from surveys.models import Campaign, CampaignChannel, Questionnaire, QuestionnaireVersion

OPEN_SLUG = "temps-libre-2026"
# What an English-speaking respondent reads instead of the French consent and audience (the
# questionnaire's own description, in both languages, introduces it).
ENGLISH_TEXTS = {
    "en": {
        "consent_text": (
            "Your answers are anonymous. They are used only by the youth commission to "
            "improve what Thionville offers for leisure."
        ),
        "audience": "14–25 years old",
    },
}
PARTNERS = [("mjc-thionville", "MJC de Thionville"), ("mission-locale", "Mission locale")]


def load_open_campaign(session: Session) -> None:
    if session.exec(select(Campaign).where(Campaign.slug == OPEN_SLUG)).first():
        return
    version = session.exec(
        select(QuestionnaireVersion)
        .join(Questionnaire)
        .where(Questionnaire.title == "Bien vivre son temps libre à Thionville")
        .order_by(QuestionnaireVersion.number.desc())
    ).first()
    now = datetime.now(UTC)
    campaign = Campaign(
        slug=OPEN_SLUG,
        name="Bien vivre son temps libre à Thionville — 2026",
        series="temps-libre",
        wave="2026",
        version_id=version.id,
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=3650),
        audience="14–25 ans",
        consent_text=(
            "Tes réponses sont anonymes. Elles servent uniquement à la commission jeunesse "
            "pour améliorer l'offre de loisirs à Thionville."
        ),
        texts=ENGLISH_TEXTS,
    )
    session.add(campaign)
    session.flush()
    for code, label in PARTNERS:
        session.add(CampaignChannel(campaign_id=campaign.id, code=code, label=label))
    session.flush()
