"""Demo data: the four commissions, one account per role, and the youth free-time study in two
waves (2012, 2013) with synthetic answers. Loading twice changes nothing."""

import copy
import random
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import select

from consult.accounts.models import Role
from consult.accounts.services import create_user
from consult.db import session_scope
from consult.demo.campaigns import ENGLISH_TEXTS, load_open_campaign
from consult.demo.network import load_network
from consult.demo.population import load_population
from consult.demo.responses import generate_answers, partial, submission_time
from consult.network.models import Commission
from surveys.document import to_dict
from surveys.library import load_template
from surveys.models import Campaign, Questionnaire, QuestionnaireVersion, Response

COMMISSIONS = [
    (
        "emploi-formation",
        "Emploi et formation",
        "Insertion professionnelle, formation, apprentissage",
    ),
    ("sante", "Santé et vie quotidienne", "Accès aux soins, prévention, vie quotidienne"),
    ("logement", "Logement", "Accès au logement, hébergement, habitat"),
    ("jeunesse", "Jeunesse", "Loisirs, engagement et information des 14–25 ans"),
]

# Demo only: printed by `make run` and in the README; never use these outside a demo.
DEMO_LOGINS = [
    ("coordination@consult.demo", "demo-coordination", Role.COORDINATOR),
    ("jeunesse@consult.demo", "demo-jeunesse", Role.MEMBER),
    ("animation@consult.demo", "demo-animation", Role.FACILITATOR),
    ("emploi@consult.demo", "demo-emploi", Role.MEMBER),
]
DEMO_USERS = {
    "coordination@consult.demo": ("Claire Martin (CCAS)", ()),
    "jeunesse@consult.demo": ("Karim Benali (Mission locale)", ("jeunesse",)),
    "animation@consult.demo": ("Sophie Muller (MJC)", ("jeunesse",)),
    "emploi@consult.demo": ("Paul Schmitt (Pôle emploi)", ("emploi-formation",)),
}

# (wave, slug, opens, days open, completes, drafts, questionnaire version)
WAVES = [
    (2012, "temps-libre-2012", date(2012, 3, 5), 70, 300, 22, 1),
    (2013, "temps-libre-2013", date(2013, 3, 4), 63, 250, 17, 2),
]
CHANNELS = {"web": 62, "paper": 23, "kiosk": 15}

SOCIAL_NETWORKS_QUESTION = {
    "name": "reseaux_sociaux",
    "type": "multiple_choice",
    "label": {
        "fr": "Par quels réseaux sociaux apprends-tu ce qui se passe en ville ?",
        "en": "Through which social networks do you hear about what is going on in town?",
    },
    "choices": [
        {"value": "instagram", "label": {"fr": "Instagram", "en": "Instagram"}},
        {"value": "snapchat", "label": {"fr": "Snapchat", "en": "Snapchat"}},
        {"value": "facebook", "label": {"fr": "Facebook", "en": "Facebook"}},
        {"value": "youtube", "label": {"fr": "YouTube", "en": "YouTube"}},
        {"value": "aucun", "label": {"fr": "Aucun", "en": "None"}, "exclusive": True},
    ],
}


# Easy-read wordings (FALC) of the first section, and "not in the future" for the date of the
# last outing: what the demo adds to the library's questionnaire (whose XLSForm round trip
# has no column for them).
EASY_READ = {
    "bienvenue": (
        "Merci de répondre. On ne demande pas ton nom. Personne ne saura ce que tu as répondu.",
        "Thank you for answering. We do not ask your name. Nobody will know what you answered.",
    ),
    "age": (
        "Ton âge ? Écris un nombre, par exemple 16.",
        "Your age? Write a number, for example 16.",
    ),
    "genre": (
        "Tu es une fille, un garçon, ou autre ?",
        "Are you a girl, a boy, or something else?",
    ),
    "quartier": ("Dans quel quartier tu habites ?", "Which part of town do you live in?"),
    "situation": (
        "Qu'est-ce que tu fais en ce moment ? École, travail, autre ?",
        "What do you do now? School, work, something else?",
    ),
}


def with_respondent_aids(document: dict) -> dict:
    """The youth questionnaire with easy-read wordings and a date bound."""
    document = copy.deepcopy(document)
    for section in document["sections"]:
        for question in section["questions"]:
            if question["name"] in EASY_READ:
                fr, en = EASY_READ[question["name"]]
                question["easy"] = {"fr": fr, "en": en}
            if question["name"] == "derniere_sortie":
                question["max_date"] = "today"
    return document


def second_wave_document(first: dict) -> dict:
    """The 2013 wave asked one new theme: social networks as a source of information."""
    document = copy.deepcopy(first)
    document["version"] = "2"
    for section in document["sections"]:
        if section["name"] == "activites":
            section["questions"].append(copy.deepcopy(SOCIAL_NETWORKS_QUESTION))
    return document


def load_demo(engine: Engine, seed: int = 2012) -> bool:
    """Load the demo once; returns False when it is already there."""
    with session_scope(engine) as session:
        if session.exec(select(Commission).where(Commission.slug == "jeunesse")).first():
            return False
        commissions = {}
        for slug, name, theme in COMMISSIONS:
            commissions[slug] = Commission(slug=slug, name=name, theme=theme)
            session.add(commissions[slug])
        session.flush()
        for email, password, role in DEMO_LOGINS:
            name, slugs = DEMO_USERS[email]
            create_user(session, email, name, password, role, slugs)
        _load_youth_study(session, commissions["jeunesse"].id, random.Random(seed))
        session.flush()
        load_network(session)
        load_open_campaign(session)
        session.flush()
        load_population(session)
    return True


def _load_youth_study(session, commission_id: int, rng: random.Random) -> None:
    first = with_respondent_aids(to_dict(load_template("youth_free_time")))
    documents = {1: first, 2: second_wave_document(first)}
    questionnaire = Questionnaire(commission_id=commission_id, title=first["title"]["fr"])
    session.add(questionnaire)
    session.flush()
    versions = {}
    for number, document in documents.items():
        versions[number] = QuestionnaireVersion(
            questionnaire_id=questionnaire.id,
            number=number,
            document=document,
            published_at=datetime(2011 + number, 2, 20, tzinfo=UTC),
        )
        session.add(versions[number])
    session.flush()
    for wave, slug, opens, days, completes, drafts, number in WAVES:
        version = versions[number]
        campaign = Campaign(
            slug=slug,
            name=f"{first['title']['fr']} — {wave}",
            series="temps-libre",
            wave=str(wave),
            version_id=version.id,
            opens_at=datetime(opens.year, opens.month, opens.day, tzinfo=UTC),
            closes_at=datetime(opens.year, opens.month, opens.day, tzinfo=UTC)
            + timedelta(days=days),
            audience="14–25 ans",
            consent_text=(
                "Tes réponses sont anonymes. Elles servent uniquement à la commission jeunesse "
                "pour améliorer l'offre de loisirs à Thionville."
            ),
            texts=ENGLISH_TEXTS,
            # a study compared wave after wave: its answers are kept until deleted by hand
            response_retention_years=None,
        )
        session.add(campaign)
        session.flush()
        for index in range(completes + drafts):
            when = submission_time(rng, opens, days)
            answers = generate_answers(rng, version.document, wave, when.date())
            complete = index < completes
            session.add(
                Response(
                    campaign_id=campaign.id,
                    version_id=version.id,
                    token=uuid.UUID(int=rng.getrandbits(128)).hex,
                    channel=rng.choices(list(CHANNELS), weights=list(CHANNELS.values()))[0],
                    answers=answers if complete else partial(answers, version.document, rng),
                    completed=complete,
                    started_at=when,
                    submitted_at=when if complete else None,
                    consent_version=campaign.consent_version,
                )
            )
