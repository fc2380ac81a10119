"""The respondent hot paths stay cheap: a fixed, small number of SQL statements per request
(an N+1 or a per-request reload fails here), the one-query campaign lookup never goes stale,
and what is cached for blank pages never leaks into an answered one."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import Column, Integer, MetaData, Table, event, select, update
from sqlmodel import Session

from consult.db import make_engine
from consult.web.plumbing.group_commit import GroupCommit
from surveys.models import Campaign
from tests.web.conftest import csrf_token, html, login
from tests.web.respond_helpers import BASE, PAGES, SLUG, answer_all, post_page, start, submit


def count_statements(engine) -> list[str]:
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    return statements


def writes(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.lstrip().upper().startswith("SELECT")]


def test_a_section_page_costs_one_query_and_no_write(any_db_client):
    client = any_db_client
    start(client)
    client.get(f"{BASE}/s/profil")  # the first visit may move the resume pointer
    statements = count_statements(client.app.state.engine)
    response = client.get(f"{BASE}/s/profil")
    assert response.status_code == 200
    assert len(html(response).select(".question")) == 5  # a note and four questions
    assert len(statements) == 1, statements
    assert "FROM campaign" in statements[0]


def test_saving_a_page_costs_one_query_and_one_write_and_points_the_resume_code_ahead(
    any_db_client,
):
    client = any_db_client
    start(client)
    page = html(client.get(f"{BASE}/s/profil"))
    data = {
        "_csrf_token": csrf_token(client),
        "token": page.select_one("input[name=token]")["value"],
        "_shown": [i["value"] for i in page.select("input[name=_shown]")],
        **PAGES["profil"],
    }
    statements = count_statements(client.app.state.engine)
    response = client.post(f"{BASE}/s/profil", data=data, follow_redirects=False)
    assert response.headers["location"] == f"{BASE}/s/activites"
    assert len(statements) == 2 and len(writes(statements)) == 1, statements
    statements.clear()
    assert client.get(f"{BASE}/s/activites").status_code == 200
    assert writes(statements) == []  # the page pointer was saved with the answers


def test_the_final_submission_costs_one_query_and_one_write(any_db_client):
    client = any_db_client
    token = answer_all(client)
    statements = count_statements(client.app.state.engine)
    assert submit(client, token).headers["location"] == f"{BASE}/thanks"
    assert len(statements) == 2 and len(writes(statements)) == 1, statements


def test_a_paper_entry_costs_two_queries_and_one_insert(any_db_client):
    client = any_db_client
    login(client, "facilitator")
    values = {k: v for page in PAGES.values() for k, v in page.items()}
    data = {"_csrf_token": csrf_token(client), **values}
    client.post(f"/campaigns/{SLUG}/entry", data=data, follow_redirects=False)  # warm
    statements = count_statements(client.app.state.engine)
    response = client.post(f"/campaigns/{SLUG}/entry", data=data, follow_redirects=False)
    assert response.status_code == 303
    # the signed-in user with their commissions, the campaign with its draft, the insert
    assert len(statements) == 3 and len(writes(statements)) == 1, statements


def test_a_campaign_closed_through_another_worker_is_seen_at_once(client):
    start(client)
    assert client.get(f"{BASE}/s/profil").status_code == 200
    other_worker = make_engine(str(client.app.state.engine.url))
    with Session(other_worker) as session:
        past = datetime.now(UTC) - timedelta(days=3)
        session.exec(
            update(Campaign).where(Campaign.slug == SLUG).values(opens_at=past, closes_at=past)
        )
        session.commit()
    other_worker.dispose()
    response = client.get(f"{BASE}/s/profil", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == BASE


def test_an_answered_page_shows_its_answers_after_the_blank_one_was_cached(client):
    start(client)
    blank = html(client.get(f"{BASE}/s/profil"))
    assert not blank.select("input[checked]") and blank.select_one("#q-age")["value"] == ""
    assert post_page(client, "profil", PAGES["profil"]).status_code == 303
    answered = html(client.get(f"{BASE}/s/profil"))
    assert answered.select_one("#q-age")["value"] == "17"
    assert answered.select_one("input[name=genre][value=fille]").has_attr("checked")
    # and another respondent still gets the blank page
    client.cookies.clear()
    start(client)
    fresh = html(client.get(f"{BASE}/s/profil"))
    assert fresh.select_one("#q-age")["value"] == ""
    assert str(fresh.select_one("#questions")) == str(blank.select_one("#questions"))


def test_concurrent_writes_share_a_commit_and_a_failing_one_fails_alone(database_url):
    engine = make_engine(database_url)
    table = Table("group_probe", MetaData(), Column("id", Integer, primary_key=True))
    table.create(engine)
    groups: list[int] = []
    committer = GroupCommit(engine)
    commit = committer._commit
    committer._commit = lambda units: groups.append(len(units)) or commit(units)

    async def write_all():
        writes = [committer.execute((table.insert(), {"id": i})) for i in (1, 2, 3, 2, 4)]
        return await asyncio.gather(*writes, return_exceptions=True)

    # In a thread of its own: a Playwright test earlier in this worker may leave a loop running.
    with ThreadPoolExecutor(1) as pool:
        outcomes = pool.submit(asyncio.run, write_all()).result()
    assert [type(o).__name__ for o in outcomes] == ["list"] * 3 + ["IntegrityError", "list"]
    with engine.connect() as conn:
        assert sorted(conn.execute(select(table.c.id)).scalars()) == [1, 2, 3, 4]
    assert groups[0] > 1  # the writes waiting together went in one transaction
    engine.dispose()
