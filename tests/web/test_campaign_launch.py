"""A campaign starts as a draft with a test link; "Open the campaign" checks the launch list
(consent in every language of the questionnaire, introduction, closing date, retention)."""

from sqlmodel import Session, select

from surveys import questionnaires as service
from surveys.document import Document, Question, Section
from surveys.models import Campaign, Response
from tests.web.conftest import csrf_token, html, login
from tests.web.test_questionnaires import commission_field

BOTH = ("fr", "en")


def published_version(client, introduction: dict | None = None) -> int:
    """A published questionnaire in French and English (with or without an introduction)."""
    question = Question("club", "yes_no", {"fr": "Club ?", "en": "Club?"})
    document = Document(
        {"fr": "Clubs", "en": "Clubs"}, BOTH,
        (Section("s1", {"fr": "Page", "en": "Page"}, questions=(question,)),),
        description=introduction or {},
    )  # fmt: skip
    commission = int(commission_field(client, "/questionnaires/"))
    with Session(client.app.state.engine) as db:
        questionnaire_id = service.create_questionnaire(db, commission, document).id
        outcome = service.publish(db, questionnaire_id)
        assert not outcome.problems, outcome.problems
        return outcome.version.id


def create_campaign(client, version: int, **values) -> str:
    data = {
        "_csrf_token": csrf_token(client), "name": "Clubs 2027", "version_id": str(version),
        "anonymous": "yes", "response_retention_years": "", **values,
    }  # fmt: skip
    response = client.post("/campaigns", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"]


def stored(client, slug: str = "clubs-2027") -> tuple[Campaign, list[Response]]:
    with Session(client.app.state.engine) as db:
        campaign = db.exec(select(Campaign).where(Campaign.slug == slug)).one()
        rows = db.exec(select(Response).where(Response.campaign_id == campaign.id)).all()
        return campaign, list(rows)


def answer_through(client, url: str) -> int:
    """Start a questionnaire at ``url``; the status of the start."""
    page = html(client.get(url))
    form = page.select_one("form[action$='/start']")
    if form is None:
        return 0
    data = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    data |= {"age_group": "15plus", "consent": "yes"}
    return client.post(form["action"], data=data, follow_redirects=False).status_code


def test_a_new_campaign_is_a_draft_answered_only_through_its_test_link(client):
    login(client)
    location = create_campaign(client, published_version(client))
    campaign, _ = stored(client)
    assert campaign.draft
    assert answer_through(client, "/r/clubs-2027") == 0  # "not open yet"
    page = html(client.get(location))
    test_url = page.select_one("#test-link")["href"]
    assert "?test=" in test_url
    assert answer_through(client, test_url.replace("http://testserver.local", "")) == 303
    _, responses = stored(client)
    assert [r.channel for r in responses] == ["test"]


def test_opening_is_refused_until_the_checklist_is_done_and_says_what_is_missing(client):
    login(client)
    location = create_campaign(client, published_version(client), consent_text="Je suis d’accord.")
    refused = client.post(
        f"{location}/open", data={"_csrf_token": csrf_token(client)}, follow_redirects=False
    )
    assert refused.status_code == 400
    missing = [a["href"] for a in html(refused).select("#launch-missing a")]
    assert missing == [
        "/campaigns/clubs-2027/edit#f-consent_text_en",
        *[m for m in missing if "/questionnaires/" in m],  # the introduction, in fr and en
        "/campaigns/clubs-2027/edit#f-closes",
        "/campaigns/clubs-2027/edit#f-response_retention_years",
    ]
    assert len([m for m in missing if m.endswith("#settings")]) == 2
    assert stored(client)[0].draft
    # the retention help names no command-line tool
    form = html(client.get(f"{location}/edit"))
    assert "consult retention" not in form.select_one("#f-draft_retention_days-hint").get_text()


def test_opening_deletes_the_test_answers_and_lets_everyone_answer(client):
    login(client)
    version = published_version(client, {"fr": "Bonjour", "en": "Hello"})
    location = create_campaign(
        client, version, consent_text="D’accord ?", consent_text_en="Agreed?",
        audience="14–25 ans", audience_en="14–25 years old",
        closes="31/12/2099", response_retention_years="2",
    )  # fmt: skip
    test_url = html(client.get(location)).select_one("#test-link")["href"]
    answer_through(client, test_url.replace("http://testserver.local", ""))
    assert len(stored(client)[1]) == 1
    edit = html(client.get(f"{location}/edit"))
    assert edit.select_one("#f-consent_text_en").get_text() == "Agreed?"
    assert edit.select_one("#launch-ready") is None  # the checklist lives on the campaign page
    detail = html(client.get(location))
    assert detail.select_one("#launch-ready") is not None, detail.select_one("#launch")
    opened = client.post(
        f"{location}/open", data={"_csrf_token": csrf_token(client)}, follow_redirects=False
    )
    assert opened.status_code == 303
    campaign, responses = stored(client)
    assert not campaign.draft and responses == []
    assert html(client.get(location)).select_one("#launch") is None
    client.cookies.clear()
    assert answer_through(client, "/r/clubs-2027") == 303
    with Session(client.app.state.engine) as db:
        english = db.get(Campaign, campaign.id).texts["en"]
        assert (english["consent_text"], english["audience"]) == ("Agreed?", "14–25 years old")


def test_the_campaign_page_shares_its_link_and_the_poster_says_who_when_and_why(client):
    login(client)
    location = create_campaign(
        client, published_version(client), closes="31/12/2099", opens="01/01/2099",
        pitch="Ton temps libre : dis-nous tout !",
    )  # fmt: skip
    page = html(client.get(location))
    url = page.select_one("#public-link")["href"]
    assert page.select_one(f"button[data-copy='{url}']").has_attr("hidden")  # shown by JS
    shares = [a["href"] for a in page.select(".share-links a")]
    assert [s.split(":", 1)[0] for s in shares] == ["mailto", "https", "sms"]
    assert shares[1].startswith("https://wa.me/?text=") and "clubs-2027" in shares[1]
    poster = html(client.get(f"{location}/poster"))
    assert poster.select_one(".poster-commission").get_text() == "Commission Jeunesse"
    assert poster.select_one(".poster-pitch").get_text() == "Ton temps libre : dis-nous tout !"
    assert poster.select_one(".poster-dates").get_text() == "Du 01/01/2099 au 31/12/2099"
