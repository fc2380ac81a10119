"""Nothing typed is lost (issue 16), JavaScript off: the language switch and "Previous"
save the page as typed, what does not read as an answer is kept and flagged, the draft
endpoint behind the JavaScript autosave saves as typed; relevance is walked once a request."""

import pytest
from sqlmodel import Session, select

import consult.web.areas.respond
import consult.web.areas.respond_pages
import surveys.answers
import surveys.capture
from surveys.capture import TYPED
from surveys.models import Response
from tests.web.conftest import csrf_token, html
from tests.web.respond_helpers import BASE, PAGES, post_page, post_until_done, responses, start


def draft_answers(client) -> dict:
    [row] = [r for r in responses(client) if not r.completed]
    return row.answers


def test_switching_language_mid_page_saves_every_value_as_typed(client):
    start(client)
    response = post_page(client, "profil", PAGES["profil"], _lang="en")
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}/s/profil"
    assert client.cookies.get("consult_lang") == "en"
    page = html(client.get(f"{BASE}/s/profil"))
    assert page.select_one("html")["lang"] == "en"
    assert page.select_one("#q-age")["value"] == "17"
    assert page.select_one("input[name=genre][value=fille]").has_attr("checked")
    assert page.select_one("input[name=situation][value=lyceen]").has_attr("checked")
    assert not page.select(".error-message")  # nothing to complain about
    assert draft_answers(client)["age"] == 17


def test_every_field_type_survives_a_language_switch(client):
    start(client)
    for section, values in PAGES.items():
        assert post_until_done(client, section, values).status_code == 303
    # the pages hold choices, check boxes, a decimal, a date, a matrix, a ranking, long text
    for section in ("activites", "freins", "envies"):
        before = html(client.get(f"{BASE}/s/{section}")).select_one("#questions")
        assert post_page(client, section, {**PAGES[section], "_lang": "en"}).status_code == 303
        after = html(client.get(f"{BASE}/s/{section}")).select_one("#questions")
        picked = "input[checked], option[selected]"
        assert [str(i) for i in after.select(picked)] == [str(i) for i in before.select(picked)]
        values = [(i["name"], i.get("value")) for i in after.select("input[type=text]")]
        assert values == [(i["name"], i.get("value")) for i in before.select("input[type=text]")]
        assert (
            after.select_one("textarea") is None
            or after.select_one("textarea").get_text() == before.select_one("textarea").get_text()
        )


def test_a_value_that_does_not_read_is_kept_as_typed_and_flagged_after_the_switch(client):
    start(client)
    values = {**PAGES["profil"], "age": "dix-sept"}
    assert post_page(client, "profil", values, _lang="en").status_code == 303
    stored = draft_answers(client)
    assert "age" not in stored and stored[TYPED] == {"age": {"age": ["dix-sept"]}}
    assert stored["genre"] == "fille"
    page = html(client.get(f"{BASE}/s/profil"))
    assert page.select_one("#q-age")["value"] == "dix-sept"
    assert page.select_one("#q-age")["aria-invalid"] == "true"
    assert page.select_one("#q-age-error") is not None
    assert page.select_one("input[name=genre][value=fille]").has_attr("checked")


def test_previous_saves_the_page_as_typed_even_with_a_value_to_fix(client):
    start(client)
    assert post_until_done(client, "profil", PAGES["profil"]).status_code == 303
    values = {**PAGES["activites"], "depense_mensuelle": "douze"}
    response = post_page(client, "activites", values, back="1")
    assert response.status_code == 303
    assert response.headers["location"] == f"{BASE}/s/profil"
    stored = draft_answers(client)
    assert stored["pratique_activite"] == "yes" and stored["activites"] == ["sport", "musique"]
    assert stored[TYPED]["depense_mensuelle"] == {"depense_mensuelle": ["douze"]}
    page = html(client.get(f"{BASE}/s/activites"))
    assert page.select_one("#q-depense_mensuelle")["value"] == "douze"
    assert page.select_one("#q-depense_mensuelle")["aria-invalid"] == "true"
    # corrected, the typed value goes away
    fixed = {**PAGES["activites"], "depense_mensuelle": "12,5"}
    assert post_until_done(client, "activites", fixed).status_code == 303
    stored = draft_answers(client)
    assert stored["depense_mensuelle"] == 12.5 and TYPED not in stored


def test_a_value_typed_but_never_accepted_stops_the_submission_at_its_page(client):
    start(client)
    for section, values in PAGES.items():
        assert post_until_done(client, section, values).status_code == 303
    # an optional question left with a value that does not read, then "Previous"
    values = {**PAGES["activites"], "depense_mensuelle": "beaucoup"}
    assert post_page(client, "activites", values, back="1").status_code == 303
    review = html(client.get(f"{BASE}/review"))
    token = review.select_one("form[action$='/submit'] input[name=token]")["value"]
    data = {"_csrf_token": csrf_token(client), "token": token}
    response = client.post(f"{BASE}/submit", data=data, follow_redirects=False)
    assert response.headers["location"] == f"{BASE}/s/activites?check=1"
    assert not responses(client)[0].completed


def test_the_draft_endpoint_saves_as_typed_without_a_word(client):
    start(client)
    page = html(client.get(f"{BASE}/s/profil"))
    data = {
        "_csrf_token": csrf_token(client),
        "token": page.select_one("input[name=token]")["value"],
        "_shown": [i["value"] for i in page.select("input[name=_shown]")],
        "age": "1 7 ans",
        "genre": "garcon",
    }
    response = client.post(f"{BASE}/s/profil/draft", data=data)
    assert response.status_code == 204 and response.headers["cache-control"] == "no-store"
    stored = draft_answers(client)
    assert stored["genre"] == "garcon" and stored[TYPED]["age"] == {"age": ["1 7 ans"]}
    assert page.select_one("form#answers")["data-draft"] == f"{BASE}/s/profil/draft"
    refused = client.post(f"{BASE}/s/profil/draft", data={**data, "_csrf_token": "x"})
    assert refused.status_code == 403


def test_the_resume_code_is_shown_on_demand_only(client):
    start(client)
    page = html(client.get(f"{BASE}/s/profil"))
    token = page.select_one("input[name=token]")["value"]
    with Session(client.app.state.engine) as session:
        code = session.exec(select(Response.resume_code).where(Response.token == token)).one()
    assert code and code not in page.get_text() and page.select_one(".code") is None
    later = page.select_one("form#answers button[name=later]")
    assert later is not None
    response = post_page(client, "profil", {"age": "17"}, later="1")
    assert response.headers["location"] == f"{BASE}/later"
    shown = html(client.get(f"{BASE}/later")).select_one("#resume-code").get_text(strip=True)
    assert shown.replace("-", "") == code
    assert draft_answers(client)["age"] == 17


@pytest.fixture
def relevance_calls(monkeypatch) -> list[int]:
    """A spy on every way into surveys.answers.relevance."""
    calls: list[int] = []
    real = surveys.answers.relevance

    def spy(document, answers):
        calls.append(1)
        return real(document, answers)

    modules = (surveys.answers, surveys.capture)
    modules += (consult.web.areas.respond, consult.web.areas.respond_pages)
    for module in modules:
        monkeypatch.setattr(module, "relevance", spy)
    return calls


def test_saving_a_page_walks_the_relevance_once(client, relevance_calls):
    start(client)

    def posted(section: str, values: dict):
        page = html(client.get(f"{BASE}/s/{section}"))
        data = {
            "_csrf_token": csrf_token(client),
            "token": page.select_one("input[name=token]")["value"],
            "_shown": [i["value"] for i in page.select("input[name=_shown]")],
            **values,
        }
        relevance_calls.clear()
        return client.post(f"{BASE}/s/{section}", data=data, follow_redirects=False)

    assert posted("profil", PAGES["profil"]).status_code == 303
    assert len(relevance_calls) == 1
    again = posted("activites", {"pratique_activite": "yes"})
    assert again.status_code == 200 and html(again).select_one(".notice-box") is not None
    assert len(relevance_calls) == 1  # the page shown again with its new questions
    relevance_calls.clear()
    assert client.get(f"{BASE}/s/activites").status_code == 200
    assert len(relevance_calls) == 1
