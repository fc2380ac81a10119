"""The public results page: only the chosen questions, never a cell below k, quotes only."""

import re

from sqlmodel import Session, select

from consult.plenary.public import public_results_url
from surveys.models import Campaign, Response
from surveys.results import find_campaign, mark_quote
from tests.web.conftest import csrf_token, html, login

SLUG = "temps-libre-2012"
K = 5
COUNT = re.compile(r"^\d[\d\s\u202f\u00a0]*$")


def publish(client, questions: list[str], published: bool = True):
    data = {"_csrf_token": csrf_token(client), "q": questions}
    if published:
        data["published"] = "1"
    return client.post(f"/campaigns/{SLUG}/public", data=data, follow_redirects=False)


def shown_counts(page) -> list[str]:
    """Every cell of every table under a count column ("Respondents", "Mentions"...)."""
    cells = []
    for table in page.select("table"):
        headers = [th.get_text(strip=True) for th in table.select("thead th")]
        count_columns = [
            i
            for i, h in enumerate(headers)
            if i > 0 and not any(w in h for w in ("%", "Part", "Share"))
        ]
        for row in table.select("tbody tr"):
            values = [c.get_text(strip=True) for c in row.find_all(["th", "td"])]
            cells += [values[i] for i in count_columns if i < len(values)]
    return cells


def test_an_unpublished_page_does_not_exist(any_db_client):
    assert any_db_client.get(f"/p/{SLUG}").status_code == 404
    with Session(any_db_client.app.state.engine) as session:
        campaign_id = session.exec(select(Campaign.id).where(Campaign.slug == SLUG)).one()
        assert public_results_url(session, campaign_id) is None
    login(any_db_client, "member")
    assert publish(any_db_client, ["quartier"]).status_code == 303
    with Session(any_db_client.app.state.engine) as session:
        assert public_results_url(session, campaign_id) == f"/p/{SLUG}"
    publish(any_db_client, ["quartier"], published=False)
    assert any_db_client.get(f"/p/{SLUG}").status_code == 404


def test_the_public_page_never_shows_a_cell_below_k(any_db_client):
    login(any_db_client, "member")
    publish(any_db_client, ["quartier", "genre", "activites"])
    any_db_client.post("/logout", data={"_csrf_token": csrf_token(any_db_client)})
    for lang in ("fr", "en"):
        any_db_client.cookies.set("consult_lang", lang)
        page = html(any_db_client.get(f"/p/{SLUG}"))
        assert len(page.select("div.question h2")) >= 3
        cells = shown_counts(page)
        hidden = [c for c in cells if c.startswith("<")]
        assert hidden, "the small neighbourhoods must be hidden"
        assert set(hidden) == {"< 5"}
        for cell in cells:
            if cell and not cell.startswith("<"):
                assert COUNT.match(cell), cell
                value = int(re.sub(r"\D", "", cell))
                # an empty category stands for nobody: analysis shows it as 0 (suppress_zeros=False)
                assert value >= K or value == 0, cell


def test_only_chosen_questions_and_no_free_text_but_quotes(any_db_client):
    login(any_db_client, "member")
    with Session(any_db_client.app.state.engine) as session:
        campaign = find_campaign(session, SLUG)
        response = session.exec(
            select(Response).where(Response.campaign_id == campaign.id, Response.completed)
        ).first()
        answers = dict(response.answers)
        answers["envies"] = "Un cinéma en plein air l'été."
        response.answers = answers
        session.add(response)
        session.commit()
        mark_quote(session, [campaign.id], response.id, "envies", 1)
        other = session.exec(
            select(Response).where(Response.campaign_id == campaign.id, Response.id != response.id)
        ).first()
        other_answers = dict(other.answers)
        other_answers["envies"] = "Texte jamais choisi."
        other.answers = other_answers
        session.add(other)
        session.commit()
    assert publish(any_db_client, ["genre", "envies"]).status_code == 303
    page = html(any_db_client.get(f"/p/{SLUG}"))
    titles = [h.get_text(strip=True) for h in page.select("div.question h2")]
    assert len(page.select("img.chart")) == 1
    assert [q.get_text(strip=True) for q in page.select("blockquote")] == [
        "Un cinéma en plein air l'été."
    ]
    assert "Texte jamais choisi." not in page.get_text()
    assert not any("quartier" in t.lower() for t in titles)
    chart = page.select_one("img.chart")["src"]
    assert any_db_client.get(chart).headers["content-type"].startswith("image/svg+xml")
    not_chosen = chart.replace("q=genre", "q=quartier")
    assert any_db_client.get(not_chosen).status_code == 404


def test_the_management_page_is_for_the_commission_only(client):
    login(client, "other_member")
    assert client.get(f"/campaigns/{SLUG}/public").status_code == 403
    assert publish(client, ["genre"]).status_code == 403


def test_choosing_an_unknown_question_is_refused_and_nothing_changes(client):
    login(client, "facilitator")
    response = publish(client, ["genre", "pas-une-question"])
    assert response.status_code == 400
    assert "pas-une-question" in html(response).select_one(".alert").get_text()
    assert client.get(f"/p/{SLUG}").status_code == 404
    page = html(client.get(f"/campaigns/{SLUG}/public"))
    assert page.select("input[name=q]:checked") == []
