"""A respondent's own answers: the receipt code on the thanks page, seeing and erasing them
at /r/<slug>/mine, the code throttle, retention shown on the intro, consent versions."""

import pytest
from sqlmodel import Session, select

from consult.web.areas.privacy import MINE_COOKIE
from consult.web.areas.respond import DRAFT_COOKIE
from surveys import capture
from surveys import results as results_service
from surveys.models import CampaignConsent, Response
from tests.web.conftest import csrf_token, html, login, make_client
from tests.web.respond_helpers import (
    BASE,
    PAGES,
    answer_all,
    campaign,
    responses,
    set_campaign,
    start,
    submit,
)

MINE = f"{BASE}/mine"
HX = {"HX-Request": "true"}
EN = {"Accept-Language": "en"}


def sent_response(client) -> Response:
    """Answer and send the demo questionnaire; returns the stored response."""
    submit(client, answer_all(client))
    return next(r for r in responses(client) if r.completed and r.channel == "web")


def enter_code(client, code: str, headers=None):
    data = {"_csrf_token": csrf_token(client), "code": code}
    return client.post(MINE, data=data, headers=headers or {}, follow_redirects=False)


def erase(client, headers=None):
    data = {"_csrf_token": csrf_token(client)}
    return client.post(f"{MINE}/erase", data=data, headers=headers or {}, follow_redirects=False)


def test_the_thanks_page_shows_the_receipt_code_once(client):
    stored = sent_response(client)
    assert client.cookies.get(DRAFT_COOKIE)  # kept until the thanks page has shown the code
    thanks = client.get(f"{BASE}/thanks")
    page = html(thanks)
    shown = page.select_one(".receipt .code").get_text(strip=True)
    assert shown.replace("-", "") == stored.receipt_code and stored.resume_code is None
    assert page.select_one(f".receipt a[href='{MINE}']") is not None
    assert f'{DRAFT_COOKIE}=""' in thanks.headers["set-cookie"]
    again = html(client.get(f"{BASE}/thanks"))
    assert again.select_one(".receipt") is None  # the next person on this phone sees nothing


def test_see_then_erase_ones_answers_with_the_code(any_db_client):
    client = any_db_client
    stored = sent_response(client)
    engine = client.app.state.engine
    with Session(engine) as session:
        info = results_service.find_campaign(session, "temps-libre-2026")
        before = results_service.load_results(session, [info]).frame
    assert stored.id in set(before["response_id"])

    # typed in lower case with a space, as people do
    code = stored.receipt_code.lower()[:4] + " " + stored.receipt_code.lower()[4:]
    found = enter_code(client, code)
    assert (found.status_code, found.headers["location"]) == (303, f"{MINE}/answers")
    assert (
        "HttpOnly" in found.headers["set-cookie"] and "Max-Age=900" in found.headers["set-cookie"]
    )
    page = html(client.get(f"{MINE}/answers"))
    shown = page.select_one("main").get_text(" ")
    assert "Un skatepark couvert." in shown and "Tes réponses" in shown
    assert "Tes réponses sont anonymes" in page.select_one(".consent-quote").get_text()
    assert page.select_one("#mine form") is None  # read-only: erasing starts with a confirmation
    confirm = html(client.get(f"{MINE}/erase"))
    assert confirm.select_one("form[method=post] input[name=_csrf_token]") is not None

    done = erase(client)
    assert (done.status_code, done.headers["location"]) == (303, f"{MINE}/erased")
    assert html(client.get(f"{MINE}/erased")).select_one("h1").get_text() == (
        "Tes réponses ont été effacées"
    )
    assert all(r.id != stored.id for r in responses(client))
    with Session(engine) as session:
        after = results_service.load_results(session, [info]).frame
    assert stored.id not in set(after["response_id"]) and len(after) == len(before) - 1


def test_already_erased_answers_and_their_code_are_gone_for_good(client):
    stored = sent_response(client)
    enter_code(client, stored.receipt_code)
    token = client.cookies.get(MINE_COOKIE)
    erase(client)
    client.cookies.set(MINE_COOKIE, token, path=MINE)
    assert erase(client).headers["location"] == f"{MINE}/erased"  # a retry says the same
    again = enter_code(client, stored.receipt_code)
    assert again.status_code == 400
    assert "effacée" in html(again).select_one("#code-error").get_text()


def test_a_wrong_code_is_refused_clearly_and_kept_in_the_field(client):
    response = enter_code(client, "ZZZZ-ZZZZ")
    assert response.status_code == 400
    page = html(response)
    assert "Aucune réponse envoyée n'a ce code" in page.select_one("#code-error").get_text()
    assert page.select_one("#code")["value"] == "ZZZZ-ZZZZ"
    assert page.select_one("#code")["aria-describedby"] == "code-error"
    english = html(enter_code(client, "nope", headers=EN))
    assert "No sent answers have this code" in english.select_one("#code-error").get_text()


def test_the_code_of_an_unsent_draft_points_to_the_resume_page(client):
    start(client)
    draft = responses(client)[-1]
    response = enter_code(client, draft.resume_code)
    assert response.status_code == 400
    assert html(response).select_one(f"#code-error a[href='{BASE}/resume']") is not None


def test_after_15_minutes_or_without_a_code_the_answers_are_not_shown(client):
    assert client.get(f"{MINE}/answers", follow_redirects=False).headers["location"] == (
        f"{MINE}?expired=1"
    )
    assert client.get(f"{MINE}/erase", follow_redirects=False).status_code == 303
    assert erase(client).headers["location"] == f"{MINE}?expired=1"
    page = html(client.get(f"{MINE}?expired=1", headers=EN))
    assert "shown for 15 minutes only" in page.select_one(".notice-box").get_text()


def test_erasing_without_the_csrf_token_is_refused_and_erases_nothing(client):
    stored = sent_response(client)
    enter_code(client, stored.receipt_code)
    refused = client.post(f"{MINE}/erase", data={}, follow_redirects=False)
    assert refused.status_code == 403
    assert any(r.id == stored.id for r in responses(client))


@pytest.mark.parametrize(
    "lang, title", [("fr", "Revoir ou effacer mes réponses"), ("en", "See or erase my answers")]
)
def test_the_code_page_in_french_and_english_as_page_and_as_fragment(client, lang, title):
    headers = {"Accept-Language": lang}
    page = client.get(MINE, headers=headers)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    soup = html(page)
    assert soup.select_one("html")["lang"] == lang and soup.select_one("h1").get_text() == title
    assert soup.select_one("form[action$='/mine'] input[name=_csrf_token]") is not None
    assert "kiosk" in soup.select_one("main").get_text().lower() or lang == "fr"
    fragment = client.get(MINE, headers=headers | HX)
    assert "<html" not in fragment.text and fragment.text.lstrip().startswith('<div id="mine"')
    assert "HX-Request" in fragment.headers["vary"]


def test_every_step_answers_htmx_with_its_fragment(client):
    stored = sent_response(client)
    wrong = enter_code(client, "ZZZZZZZZ", headers=HX)
    assert wrong.status_code == 400 and wrong.text.lstrip().startswith('<div id="mine"')
    found = enter_code(client, stored.receipt_code, headers=HX)
    assert found.status_code == 303
    for path in ("/answers", "/erase"):
        fragment = client.get(MINE + path, headers=HX)
        assert fragment.status_code == 200 and "<html" not in fragment.text
        assert html(fragment).select_one("div#mine h1") is not None
    erase(client, headers=HX)
    erased = client.get(f"{MINE}/erased", headers=HX | EN)
    assert html(erased).select_one("h1").get_text() == "Your answers have been erased"
    assert "<html" not in erased.text


def test_wrong_codes_are_throttled_per_client_on_both_code_forms(sqlite_demo_url, tmp_path):
    with make_client(sqlite_demo_url, tmp_path, code_attempts=3) as client:
        stored = sent_response(client)
        for _ in range(2):
            assert enter_code(client, "ZZZZZZZZ").status_code == 400
        resume = client.post(
            f"{BASE}/resume", data={"_csrf_token": csrf_token(client), "code": "YYYYYYYY"}
        )
        assert resume.status_code == 400  # the third failure, counted with the others
        blocked = enter_code(client, stored.receipt_code)  # even the right code now waits
        assert blocked.status_code == 429
        assert "Trop de codes erronés" in html(blocked).select_one("#code-error").get_text()
        resume = client.post(
            f"{BASE}/resume", data={"_csrf_token": csrf_token(client), "code": "YYYYYYYY"}
        )
        assert resume.status_code == 429
        stored_keys = " ".join(
            str(p) + p.read_bytes().decode("latin-1")
            for p in (tmp_path / "store" / "throttle").rglob("*")
            if p.is_file()
        )
        assert stored_keys and "testclient" not in stored_keys  # the address only hashed


def test_kiosk_answers_have_no_code_and_the_thanks_page_says_so(client):
    key = capture.kiosk_key(client.app.state.settings.secret_key, "temps-libre-2026")
    client.get(f"/k/temps-libre-2026/{key}")
    submit(client, answer_all(client))
    page = html(client.get(f"{BASE}/thanks"))
    assert page.select_one(".receipt") is None
    assert "n'ont pas de code" in page.select_one("main").get_text()
    intro = html(client.get(BASE))
    assert intro.find(string=lambda s: "un code te permet" in s) is None
    assert intro.select_one(f"a[href='{MINE}']") is None


def test_the_intro_says_how_long_answers_are_kept(client):
    intro = html(client.get(BASE))
    assert intro.select_one(f"main a[href='{MINE}']") is not None
    facts = intro.select_one(".retention").get_text(" ")
    assert "après 30 jours" in facts and "gardées 5 ans" in facts
    set_campaign(client, draft_retention_days=1, response_retention_years=None)
    facts = html(client.get(BASE, headers=EN)).select_one(".retention").get_text(" ")
    assert "after 1 day without" in facts and "kept until the commission deletes" in facts


def test_the_consent_version_agreed_to_is_kept_with_the_draft_and_the_response(client):
    start(client)
    first = responses(client)[-1]
    assert first.consent_version == campaign(client).consent_version == 1
    set_campaign(client, consent_text="Nouveau texte de consentement.")
    client.cookies.delete(DRAFT_COOKIE, path=BASE)
    start(client)
    second = responses(client)[-1]
    assert (first.consent_version, second.consent_version) == (1, 2)
    with Session(client.app.state.engine) as session:
        texts = dict(
            session.exec(
                select(CampaignConsent.version, CampaignConsent.text).where(
                    CampaignConsent.campaign_id == first.campaign_id
                )
            ).all()
        )
        assert texts[2] == "Nouveau texte de consentement." and "anonymes" in texts[1]
    # a paper questionnaire records the consent of the campaign it was typed into
    login(client, "facilitator")
    values = {k: v for page in PAGES.values() for k, v in page.items()}
    typed = client.post(
        "/campaigns/temps-libre-2026/entry",
        data={"_csrf_token": csrf_token(client), **values},
        follow_redirects=False,
    )
    assert typed.status_code == 303
    paper = [r for r in responses(client) if r.channel == "paper"][-1]
    assert paper.consent_version == 2


def test_retention_is_edited_on_the_campaign_settings_and_bad_values_are_explained(client):
    login(client, "member")
    form = html(client.get("/campaigns/temps-libre-2026/edit"))
    data = {i["name"]: i.get("value", "") for i in form.select("form input[name]")}
    data |= {"version_id": form.select_one("select option[selected]")["value"]}
    data |= {"consent_text": form.select_one("textarea").get_text(), "anonymous": "yes"}
    assert (data["draft_retention_days"], data["response_retention_years"]) == ("30", "5")
    bad = client.post(
        "/campaigns/temps-libre-2026/edit",
        data=data | {"draft_retention_days": "0", "response_retention_years": "jamais"},
    )
    assert bad.status_code == 400
    page = html(bad)
    assert "1 et 3650" in page.select_one("#f-draft_retention_days-error").get_text()
    assert page.select_one("#f-response_retention_years")["value"] == "jamais"
    saved = client.post(
        "/campaigns/temps-libre-2026/edit",
        data=data | {"draft_retention_days": "14", "response_retention_years": ""},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    row = campaign(client)
    assert (row.draft_retention_days, row.response_retention_years) == (14, None)
    assert row.consent_version == 1  # the same text saved again is not a new version
