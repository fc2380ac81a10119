"""Cascading lists for respondents (XLSForm ``choice_filter``), over HTTP with JavaScript
off, on pyxform's real choice_filter_test form: the county and city pages offer what the
state (and county) picked before allow; on a single page, htmx's refresh narrows the list
and the server refuses what does not belong."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, select

from consult.network.models import Commission
from surveys import questionnaires as service
from surveys.models import Campaign, Response
from surveys.xlsform import import_xlsform
from tests.third_party import fixture
from tests.web.conftest import csrf_token, html

SLUG = "cascade"
BASE = f"/r/{SLUG}"


def real_form():
    document, problems, _ = import_xlsform(
        fixture("xlsform", "choice_filter_test.xlsx").read_bytes()
    )
    assert problems == []
    return document


def one_question_a_page(document):
    """The same form, each question on its own page: the next page depends on the last."""
    [section] = document.sections
    sections = tuple(
        replace(section, name=f"p_{q.name}", questions=(q,)) for q in section.questions
    )
    return replace(document, sections=sections)


def open_campaign(client, document) -> None:
    with Session(client.app.state.engine) as session:
        commission = session.exec(select(Commission).where(Commission.slug == "jeunesse")).one()
        questionnaire = service.create_questionnaire(session, commission.id, document)
        assert service.publish(session, questionnaire.id).problems == []
        version = service.latest_version(session, questionnaire.id)
        closes = datetime.now(UTC) + timedelta(days=30)
        session.add(Campaign(slug=SLUG, name="Cascade", version_id=version.id, closes_at=closes))
        session.commit()


def start(client) -> str:
    page = html(client.get(BASE))
    token = page.select_one("form[action$='/start'] input[name=token]")["value"]
    data = {"_csrf_token": csrf_token(client), "token": token, "age_group": "15plus"}
    response = client.post(f"{BASE}/start", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    return response.headers["location"]


def offered(page, name: str) -> list[str]:
    return [i["value"] for i in page.select(f"input[name={name}]")]


def post(client, section: str, values: dict, url: str = ""):
    page = html(client.get(f"{BASE}/s/{section}"))
    data = {
        "_csrf_token": csrf_token(client),
        "token": page.select_one("input[name=token]")["value"],
        "_shown": offered(page, "_shown"),
        **values,
    }
    return client.post(url or f"{BASE}/s/{section}", data=data, follow_redirects=False)


def stored(client) -> dict:
    with Session(client.app.state.engine) as session:
        return session.exec(select(Response).order_by(Response.id.desc())).first().answers


def test_the_next_page_offers_what_the_earlier_answer_allows(client):
    document = one_question_a_page(real_form())
    open_campaign(client, document)
    assert start(client).endswith("/s/p_state")
    assert post(client, "p_state", {"state": "texas"}).headers["location"].endswith("/s/p_county")
    page = html(client.get(f"{BASE}/s/p_county"))
    assert offered(page, "county") == ["king", "cameron"]
    # a value of the list that Texas does not offer, posted by hand, is refused
    response = post(client, "p_county", {"county": "pierce"})
    assert response.status_code == 400
    page = html(response)
    error = page.select_one("#q-county-error").get_text()
    assert "réponses précédentes" in error
    assert offered(page, "county") == ["king", "cameron"]
    # kept in the draft as typed, like every answer, but the response cannot be sent with it
    assert stored(client)["county"] == "pierce"
    token = page.select_one("input[name=token]")["value"]
    data = {"_csrf_token": csrf_token(client), "token": token}
    sent = client.post(f"{BASE}/submit", data=data, follow_redirects=False)
    assert sent.headers["location"] == f"{BASE}/s/p_county?check=1"
    assert html(client.get(sent.headers["location"])).select_one("#q-county-error") is not None
    assert post(client, "p_county", {"county": "cameron"}).status_code == 303
    page = html(client.get(f"{BASE}/s/p_city"))
    assert offered(page, "city") == ["brownsville", "harlingen"]
    # back to change the state: the county and city lists follow
    assert post(client, "p_state", {"state": "washington"}).status_code == 303
    assert offered(html(client.get(f"{BASE}/s/p_county")), "county") == ["king", "pierce"]
    assert post(client, "p_county", {"county": "pierce"}).status_code == 303
    assert offered(html(client.get(f"{BASE}/s/p_city")), "city") == ["tacoma", "puyallup"]


def test_on_one_page_htmx_narrows_the_list_and_the_server_checks_it(client):
    open_campaign(client, real_form())
    section = start(client).rsplit("/", 1)[-1]
    page = html(client.get(f"{BASE}/s/{section}"))
    # the form's one group has no label: the page is headed by the form's title
    assert page.select_one("h1").get_text(strip=True) == "cascading selects"
    assert page.select_one("title").get_text().startswith("cascading selects · ")
    # nothing picked yet: every county, and the state refreshes the page's questions
    assert offered(page, "county") == ["king", "pierce", "cameron"]
    driver = page.select_one("[name=state]").find_parent(class_="driver")
    assert driver["hx-post"] == f"{BASE}/s/{section}/refresh"
    refreshed = html(post(client, section, {"state": "texas"}, f"{BASE}/s/{section}/refresh"))
    assert offered(refreshed, "county") == ["king", "cameron"]
    # without JavaScript: a county of another state is refused with the page kept as typed
    response = post(client, section, {"state": "texas", "county": "pierce"})
    assert response.status_code == 400
    page = html(response)
    assert page.select_one("#q-county-error") is not None
    assert page.select_one("input[name=state][value=texas]").has_attr("checked")
    response = post(client, section, {"state": "texas", "county": "cameron", "city": "brownsville"})
    assert response.status_code == 303
    assert {k: stored(client)[k] for k in ("state", "county", "city")} == {
        "state": "texas", "county": "cameron", "city": "brownsville"}  # fmt: skip
