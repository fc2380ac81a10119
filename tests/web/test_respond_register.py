"""Tutoiement or vouvoiement (issue 16): a questionnaire's register decides how built-in
French messages address its respondents; "tu" by default for a youth audience."""

import re

from sqlmodel import Session, select

from surveys.models import Campaign, Questionnaire, QuestionnaireVersion
from surveys.registers import register_for
from tests.web.conftest import html
from tests.web.respond_helpers import BASE, SLUG, post_page, set_campaign, start
from tests.web.test_respond_english import FRENCH, states

TU = re.compile(
    r"\b(tu|ton|ta|tes|te|toi|Tu|Ton|Ta|Tes)\b|\bt['’]|-toi\b|-le pour toi"
    r"|\b(Vérifie|réessaie|Attends|Coche|Tape)\b"
)


def set_register(client, register: str) -> None:
    with Session(client.app.state.engine) as session:
        campaign = session.exec(select(Campaign).where(Campaign.slug == SLUG)).one()
        version = session.get(QuestionnaireVersion, campaign.version_id)
        questionnaire = session.get(Questionnaire, version.questionnaire_id)
        questionnaire.formality = register
        session.add(questionnaire)
        session.commit()


def test_the_default_register_follows_the_audience():
    assert register_for("", "14–25 ans") == "tu"
    assert register_for("", "16-30 years") == "tu"
    assert register_for("", "Bénévoles des associations") == "vous"
    assert register_for("", "") == "vous"
    assert register_for("vous", "14–25 ans") == "vous"


def test_a_youth_campaign_gets_answer_checks_in_tu(client):
    start(client)
    response = post_page(client, "freins", {"freins": ["cout", "transport", "temps", "offre"]})
    assert response.status_code == 400
    error = html(response).select_one("#q-freins-error").get_text(" ", strip=True)
    assert "Coche au plus 3" in error and "Cochez" not in error


def test_with_vouvoiement_no_built_in_message_says_tu(client):
    set_register(client, "vous")
    tu_messages = {s for s in FRENCH if TU.search(s)}
    assert tu_messages
    found = {}
    for name, response in states(client):
        if response.status_code == 303:
            continue
        page = html(response)
        lines = {t.strip() for t in page.stripped_strings}
        text = " ".join(page.stripped_strings)
        hits = sorted(s for s in tu_messages if s in lines or (len(s) > 14 and s in text))
        if hits:
            found[name] = hits
    assert found == {}
    client.cookies.clear()  # another device
    start(client)
    response = post_page(client, "freins", {"freins": ["cout", "transport", "temps", "offre"]})
    assert "Cochez au plus 3" in html(response).select_one("#q-freins-error").get_text()


def test_an_adult_audience_is_addressed_with_vous_by_default(client):
    set_campaign(client, audience="Bénévoles des associations")
    page = html(client.get(BASE))
    assert page.select_one("fieldset legend").get_text(strip=True).startswith("Votre âge")
