"""Hypothesis over HTTP: any form posted to a respondent's page or to staff paper entry gets a
page back (saved, or refused with messages next to the fields), never a server error, and
what was saved before is never lost."""

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from sqlmodel import Session, select

from surveys.capture import document_of
from surveys.models import Campaign, Response
from tests.conftest import _template
from tests.fuzz.test_fuzz_answers import forms_for, paper_form
from tests.web.conftest import csrf_token, html, login, make_client
from tests.web.respond_helpers import PAGES, SLUG, post_page, start
from tests.web.test_campaigns import CAMPAIGN

HTTP = settings(
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def app_client(templates, tmp_path_factory, request):
    var_dir = tmp_path_factory.mktemp("fuzz-forms")
    shutil.copyfile(
        _template("sqlite", True, templates, tmp_path_factory, request), var_dir / "c.db"
    )
    # No rate limit here: this test posts far faster than any person.
    with make_client(f"sqlite:///{var_dir / 'c.db'}", var_dir, submit_rate=0) as client:
        with Session(client.app.state.engine) as db:
            campaign = db.exec(select(Campaign).where(Campaign.slug == SLUG)).one()
            document = document_of(db, campaign.version_id)
        yield client, document


def _stored(client, token: str) -> dict:
    with Session(client.app.state.engine) as db:
        return db.exec(select(Response.answers).where(Response.token == token)).one()


def test_any_page_post_is_saved_or_refused_with_messages_and_loses_nothing(app_client):
    client, document = app_client
    client.cookies.clear()
    assert start(client).status_code == 303
    assert post_page(client, "profil", PAGES["profil"]).status_code == 303
    token = client.cookies.get("consult_draft")
    saved = _stored(client, token)
    section = document.section("activites")

    @HTTP
    @given(form=forms_for(section.questions))
    def check(form):
        response = post_page(client, "activites", form)
        assert response.status_code in (200, 303, 400), response.text[:300]
        if response.status_code == 400:
            page = html(response)
            for error in page.select("[id$='-error']"):
                assert error.get_text(strip=True)
            assert page.select("[aria-invalid=true]")
        # the earlier page is untouched whatever this one sent
        assert {k: _stored(client, token)[k] for k in saved} == saved

    check()


def test_any_paper_entry_is_stored_or_refused_and_a_refusal_stores_nothing(app_client):
    client, document = app_client
    client.cookies.clear()
    login(client, "facilitator")

    @HTTP
    @given(form=paper_form(document))
    def check(form):
        before = _count(client)
        response = client.post(
            f"{CAMPAIGN}/entry",
            data={"_csrf_token": csrf_token(client), **form},
            follow_redirects=False,
        )
        assert response.status_code in (303, 400), response.text[:300]
        assert _count(client) == before + (response.status_code == 303)

    check()


def _count(client) -> int:
    with Session(client.app.state.engine) as db:
        return len(db.exec(select(Response.id).where(Response.channel == "paper")).all())


def test_an_id_too_large_for_the_database_is_a_404_and_api_errors_are_json(app_client):
    client, _ = app_client
    client.cookies.clear()
    login(client, "coordinator")
    assert client.get(f"/plenaries/{2**64}/edit").status_code == 404  # once a 500
    response = client.get("/api/campaigns/x/questions/a/b")  # matches no API route
    assert response.status_code == 404
    assert response.json() == {"status": 404, "detail": "Not Found"}
