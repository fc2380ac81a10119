"""The respondent flow over HTTP, without JavaScript (plain POSTs and 303s) and with htmx."""

from sqlmodel import Session, update

from consult.web.areas.respond import DRAFT_COOKIE
from surveys.models import Response
from tests.web.conftest import csrf_token, html
from tests.web.respond_helpers import (
    BASE,
    PAGES,
    answer_all,
    hours,
    post_page,
    responses,
    set_campaign,
    start,
    submit,
)


def test_the_intro_says_who_asks_how_long_and_that_it_is_anonymous(client):
    page = html(client.get(BASE))
    text = page.select_one("main").get_text(" ")
    assert "Jeunesse" in text and "minutes" in text and "anonyme" in text.lower()
    assert page.select_one("fieldset legend").get_text(strip=True).startswith("Ton âge")
    assert page.select_one("input[name=consent][type=checkbox]") is not None


def test_starting_without_consent_says_what_is_missing_and_keeps_the_age(client):
    page = html(client.get(BASE))
    token = page.select_one("input[name=token]")["value"]
    response = client.post(
        f"{BASE}/start",
        data={"_csrf_token": csrf_token(client), "token": token, "age_group": "under15"},
    )
    assert response.status_code == 400
    page = html(response)
    assert page.select_one(".error-summary a[href='#consent']") is not None
    assert page.select_one("#consent")["aria-invalid"] == "true"
    assert page.select_one("#age-under15").has_attr("checked")
    assert responses(client) == []


def test_under_15_see_the_information_page_before_the_questions(client):
    response = start(client, age_group="under15")
    assert response.headers["location"] == f"{BASE}/young"
    page = html(client.get(f"{BASE}/young"))
    assert "15" in page.select_one("main").get_text()
    assert page.select_one("a.button")["href"] == f"{BASE}/s/profil"


def test_a_full_response_without_javascript_is_stored_as_given(any_db_client):
    client = any_db_client
    token = answer_all(client)
    response = submit(client, token)
    assert response.headers["location"] == f"{BASE}/thanks"
    [stored] = responses(client)
    assert stored.completed and stored.channel == "web"
    assert stored.answers["age"] == 17
    assert stored.answers["activites"] == ["sport", "musique"]
    assert stored.answers["depense_mensuelle"] == 12.5
    assert stored.answers["priorites"] == ["horaires"]
    assert stored.answers["opinions"] == {"securite": "plutot"}
    assert "activite_souhaitee" not in stored.answers
    thanks = html(client.get(response.headers["location"]))
    assert thanks.select_one("h1").get_text(strip=True) == "Merci !"


def test_submitting_twice_or_retrying_yields_one_response_and_the_same_thanks(any_db_client):
    client = any_db_client
    token = answer_all(client)
    first, second, third = submit(client, token), submit(client, token), submit(client, token)
    assert {r.headers["location"] for r in (first, second, third)} == {f"{BASE}/thanks"}
    assert len(responses(client)) == 1 and responses(client)[0].completed


def test_a_double_tap_on_start_makes_one_draft(client):
    page = html(client.get(BASE))
    data = {
        "_csrf_token": csrf_token(client),
        "token": page.select_one("input[name=token]")["value"],
        "age_group": "15plus",
        "consent": "yes",
    }
    client.post(f"{BASE}/start", data=data)
    client.post(f"{BASE}/start", data=data)
    assert len(responses(client)) == 1


def test_a_validation_error_keeps_every_typed_value_and_points_at_the_field(client):
    start(client)
    response = post_page(client, "profil", {"age": "12", "genre": "fille", "situation": "other"})
    assert response.status_code == 400
    page = html(response)
    summary = page.select_one(".error-summary")
    assert summary.has_attr("autofocus") and summary["tabindex"] == "-1"
    assert [a["href"] for a in summary.select("a")] == [
        "#q-age",
        "#q-quartier-1",
        "#q-situation-1",
    ]
    age = page.select_one("#q-age")
    assert age["value"] == "12" and age["aria-invalid"] == "true"
    assert "q-age-error" in age["aria-describedby"]
    assert "14–25" in page.select_one("#q-age-error").get_text()
    assert page.select_one("input[name=genre][value=fille]").has_attr("checked")
    # what was well-formed is saved already
    assert responses(client)[0].answers["genre"] == "fille"


def test_errors_are_in_english_for_an_english_visitor(client):
    client.cookies.set("consult_lang", "en")
    start(client)
    page = html(post_page(client, "profil", {}))
    assert "This question needs an answer." in page.select_one("#q-genre-error").get_text()


def test_skip_logic_without_javascript_shows_new_questions_before_complaining(client):
    start(client)
    post_page(client, "profil", PAGES["profil"])
    response = post_page(client, "activites", {"pratique_activite": "yes"})
    assert response.status_code == 200
    page = html(response)
    assert page.select_one(".error-summary") is None
    assert page.select_one(".notice-box") is not None
    assert page.select_one("input[name=activites]") is not None
    assert page.select_one("#q-pratique_activite-1").has_attr("checked")


def test_the_notice_names_each_new_question_and_links_to_it(client):
    start(client)
    post_page(client, "profil", PAGES["profil"])
    page = html(post_page(client, "activites", {"pratique_activite": "yes"}))
    links = {a["href"]: a.get_text(strip=True) for a in page.select(".notice-box a")}
    assert len(links) == 4, links  # activites, frequence, lieux, depense_mensuelle
    for target, label in links.items():
        assert page.select_one(target) is not None and label
    assert "#q-pratique_activite-1" not in links and "#q-derniere_sortie" not in links


def test_htmx_refresh_returns_the_questions_fragment_with_the_follow_ups(client):
    start(client)
    token = responses(client)[0].token
    data = {"_csrf_token": csrf_token(client), "token": token, "pratique_activite": "no"}
    response = client.post(f"{BASE}/s/activites/refresh", data=data, headers={"HX-Request": "true"})
    fragment = html(response)
    assert fragment.select_one("html > body > div#questions") is not None
    assert fragment.select_one("header") is None
    names = {i["value"] for i in fragment.select("input[name=_shown]")}
    assert "activite_souhaitee" in names and "activites" not in names
    data["pratique_activite"] = "yes"
    fragment = html(client.post(f"{BASE}/s/activites/refresh", data=data))
    names = {i["value"] for i in fragment.select("input[name=_shown]")}
    assert "activites" in names and "activite_souhaitee" not in names


def test_a_respondent_resumes_on_another_device_with_the_code(client):
    start(client)
    post_page(client, "profil", PAGES["profil"])
    assert html(client.get(f"{BASE}/s/activites")).select_one(".code") is None
    code = html(client.get(f"{BASE}/later")).select_one("#resume-code").get_text(strip=True)
    assert len(code.replace("-", "")) == 10 and not set(code) & set("01OIL")
    client.cookies.clear()
    page = html(client.get(f"{BASE}/resume"))
    assert page.select_one("label[for=code]") is not None
    response = client.post(
        f"{BASE}/resume",
        data={"_csrf_token": csrf_token(client), "code": code.lower()},
        follow_redirects=False,
    )
    assert response.headers["location"] == f"{BASE}/s/activites"
    page = html(client.get(f"{BASE}/s/profil"))
    assert page.select_one("#q-age")["value"] == "17"


def test_a_wrong_resume_code_is_refused_clearly(client):
    response = client.post(
        f"{BASE}/resume", data={"_csrf_token": csrf_token(client), "code": "ZZZZ2222"}
    )
    assert response.status_code == 400
    assert html(response).select_one("#code")["aria-invalid"] == "true"


def test_a_partner_link_tags_the_response_with_the_partner(client):
    start(client, via="mjc-thionville")
    assert responses(client)[0].channel == "partner:mjc-thionville"


def test_an_unknown_partner_falls_back_to_the_public_link(client):
    start(client, via="nobody")
    assert responses(client)[0].channel == "web"


def test_a_campaign_not_yet_open_shows_a_clear_page(client):
    set_campaign(client, opens_at=hours(48))
    page = html(client.get(BASE))
    assert "pas encore ouvert" in page.select_one(".notice").get_text()
    assert page.select_one("form[action$='/start']") is None


def test_a_closed_campaign_refuses_new_respondents(client):
    set_campaign(client, closes_at=hours(-1))
    page = html(client.get(BASE))
    assert "fermé" in page.select_one(".notice").get_text()
    data = {"_csrf_token": csrf_token(client), "token": "x" * 32, "age_group": "15plus"}
    response = client.post(f"{BASE}/start", data={**data, "consent": "yes"}, follow_redirects=False)
    assert response.headers["location"] == BASE and responses(client) == []


def test_a_draft_started_before_the_close_can_be_finished_within_the_grace_period(client):
    token = answer_all(client)
    started_three_hours_ago(client)
    set_campaign(client, closes_at=hours(-2))
    assert client.get(f"{BASE}/s/profil").status_code == 200
    assert submit(client, token).headers["location"] == f"{BASE}/thanks"
    assert responses(client)[0].completed


def test_after_the_grace_period_a_draft_can_no_longer_be_sent(client):
    token = answer_all(client)
    started_three_hours_ago(client)
    set_campaign(client, closes_at=hours(-25))
    assert submit(client, token).headers["location"] == BASE
    assert not responses(client)[0].completed
    assert "fermé" in html(client.get(BASE)).select_one(".notice").get_text()


def test_a_full_quota_closes_the_door_to_new_respondents_only(client):
    token = answer_all(client)
    submit(client, token)
    set_campaign(client, quota=1)
    client.cookies.clear()
    page = html(client.get(BASE))
    assert "toutes les réponses" in page.select_one(".notice").get_text()


def test_kiosk_mode_keeps_no_resume_cookie_and_returns_to_the_start(client, tmp_path):
    from surveys.capture import kiosk_key

    key = kiosk_key(client.app.state.settings.secret_key, "temps-libre-2026")
    assert client.get("/k/temps-libre-2026/wrong").status_code == 404
    client.get(f"/k/temps-libre-2026/{key}")
    response = start(client)
    cookie = response.headers["set-cookie"]
    assert DRAFT_COOKIE in cookie and "Max-Age" not in cookie.split(DRAFT_COOKIE)[1].split(",")[0]
    for section, values in PAGES.items():
        post_page(client, section, values)
    token = responses(client)[0].token
    assert html(client.get(f"{BASE}/s/profil")).select_one(".code") is None  # no resume code
    done = submit(client, token)
    assert (
        f'{DRAFT_COOKIE}=""' in done.headers["set-cookie"]
        or "Max-Age=0" in done.headers["set-cookie"]
    )
    thanks = html(client.get(f"{BASE}/thanks"))
    assert thanks.select_one("meta[http-equiv=refresh]")["content"].endswith(BASE)
    intro = html(client.get(BASE))
    assert intro.select_one(".resume-box") is None  # nothing of the previous person
    [stored] = responses(client)
    assert stored.channel == "kiosk" and stored.resume_code is None


def test_no_ip_address_or_user_agent_is_stored(client):
    token = answer_all(client)
    submit(client, token)
    stored = responses(client)[0].model_dump()
    assert "testclient" not in str(stored) and "python-httpx" not in str(stored)
    assert not {"ip", "user_agent", "client"} & set(stored)


def test_respondent_pages_are_not_cached_and_need_no_account(client):
    response = client.get(BASE)
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"


def test_an_unknown_campaign_or_section_is_404(client):
    assert client.get("/r/nothing-here").status_code == 404
    start(client)
    assert client.get(f"{BASE}/s/nothing").status_code == 404


def test_going_back_keeps_the_answers_of_the_page(client):
    start(client)
    post_page(client, "profil", PAGES["profil"])
    response = post_page(client, "activites", {"pratique_activite": "no"}, back="1")
    assert response.headers["location"] == f"{BASE}/s/profil"
    page = html(client.get(f"{BASE}/s/activites"))
    assert page.select_one("#q-pratique_activite-2").has_attr("checked")


def test_the_review_lists_the_answers_in_words_and_links_each_page(client):
    answer_all(client)
    page = html(client.get(f"{BASE}/review"))
    text = page.select_one("main").get_text(" ")
    assert "Une fille" in text and "12,5" in text and "01/11/2026" in text
    assert page.select_one(f"a[href='{BASE}/s/freins']") is not None


def test_a_submit_with_a_missing_answer_sends_back_to_the_page_with_the_error(client):
    start(client)
    post_page(client, "profil", PAGES["profil"])
    token = responses(client)[0].token
    response = submit(client, token)
    assert response.headers["location"] == f"{BASE}/s/activites?check=1"
    page = html(client.get(response.headers["location"]))
    assert page.select_one("#q-pratique_activite-error") is not None
    assert not responses(client)[0].completed


def test_the_language_switch_keeps_the_draft(client):
    start(client)
    post_page(client, "profil", PAGES["profil"])
    client.post(
        "/language",
        data={"_csrf_token": csrf_token(client), "lang": "en", "next": f"{BASE}/s/profil"},
    )
    page = html(client.get(f"{BASE}/s/profil"))
    assert page.select_one("h1").get_text(strip=True) == "About you"
    assert page.select_one("#q-age")["value"] == "17"


def started_three_hours_ago(client) -> None:
    with Session(client.app.state.engine) as session:
        session.exec(update(Response).values(started_at=hours(-3)))
        session.commit()


def test_thanks_page_links_to_the_public_results_once_published(client):
    from datetime import UTC, datetime

    from surveys.models import PublicPage
    from tests.web.respond_helpers import BASE, answer_all, campaign, submit

    submit(client, answer_all(client))
    assert html(client.get(f"{BASE}/thanks")).select_one("a[href^='/p/']") is None
    engine = client.app.state.engine
    with Session(engine) as session:
        session.add(PublicPage(campaign_id=campaign(client).id, published_at=datetime.now(UTC)))
        session.commit()
    link = html(client.get(f"{BASE}/thanks")).select_one("a[href^='/p/']")
    assert link["href"] == f"/p/{campaign(client).slug}"
