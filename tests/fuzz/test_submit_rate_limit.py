"""The submission rate limit: per respondent and per client address, in the shared throttle
store under keyed hashes only; a 429 page in the visitor's language that keeps what was typed;
staff paper entry never limited."""

import pytest
from litestar.stores.file import FileStore
from litestar.stores.memory import MemoryStore
from sqlmodel import Session, select

from consult.web.plumbing import submit_limit
from consult.web.plumbing.submit_limit import handler_name
from consult.web.plumbing.throttle import LIMITED_HANDLERS, SubmitThrottle
from surveys.models import LiveVote
from tests.loops import run_alone
from tests.web.conftest import csrf_token, html, login, make_client
from tests.web.respond_helpers import BASE, PAGES, post_page, responses, start
from tests.web.test_campaigns import CAMPAIGN
from tests.web.test_polls import create_poll, vote


@pytest.fixture
def limited(sqlite_demo_url, tmp_path, monkeypatch):
    monkeypatch.setattr(submit_limit, "clock", lambda: 1_000_000 * 60 + 1.0)

    def build(per_respondent: int, per_address: int):
        return make_client(
            sqlite_demo_url,
            tmp_path,
            submit_rate=per_respondent,
            submit_rate_per_address=per_address,
        )

    return build


def test_every_limited_handler_is_a_post_route_of_the_app(limited):
    posts = {
        handler_name(handler)
        for route in limited(1, 1).app.routes
        for handler in getattr(route, "route_handlers", [])
        if "POST" in handler.http_methods
    }
    assert posts >= LIMITED_HANDLERS


def test_a_respondent_over_the_limit_gets_a_french_429_that_keeps_the_typed_answers(limited):
    with limited(per_respondent=3, per_address=0) as client:
        assert start(client).status_code == 303  # 1
        first = {**PAGES["profil"], "age": "16"}
        assert post_page(client, "profil", first).status_code == 303  # 2
        assert post_page(client, "profil", PAGES["profil"]).status_code == 303  # 3
        typed = {**PAGES["profil"], "age": "18"}
        response = post_page(client, "profil", typed)  # 4: over
        assert response.status_code == 429
        assert response.headers["retry-after"] == "59"
        page = html(response)
        assert page.select_one("h1").get_text() == "Envoi trop rapide"
        form = page.select_one(".error-page form")
        assert form["action"] == f"{BASE}/s/profil"
        kept = {i["name"]: i["value"] for i in form.select("input[type=hidden]")}
        assert kept["age"] == "18" and kept["quartier"] == typed["quartier"]
        assert kept["_csrf_token"] == csrf_token(client) and kept["token"]
        [draft] = responses(client)
        assert draft.answers["age"] == 17  # the refused post saved nothing; the earlier ones did
        # htmx refreshes get a bare 429, which htmx leaves unswapped
        refresh = client.post(
            f"{BASE}/s/profil/refresh",
            data={"_csrf_token": csrf_token(client), "token": kept["token"]},
            headers={"HX-Request": "true"},
        )
        assert refresh.status_code == 429 and refresh.text == ""


def test_the_limit_is_per_respondent_so_another_draft_goes_on(limited):
    with limited(per_respondent=2, per_address=0) as client:
        start(client)
        post_page(client, "profil", PAGES["profil"])
        assert post_page(client, "profil", PAGES["profil"]).status_code == 429
        client.cookies.delete("consult_draft", path=BASE)  # a second phone, same network
        client.cookies.clear()
        assert start(client).status_code == 303
        assert post_page(client, "profil", PAGES["profil"]).status_code == 303


def test_the_address_ceiling_stops_a_flood_of_new_responses(limited):
    with limited(per_respondent=0, per_address=3) as client:
        assert [start(client).status_code for _ in range(4)] == [303, 303, 303, 429]
        page = html(client.get(BASE, headers={"Accept-Language": "en"}))
        assert page.select_one("form[action$='/start']") is not None  # reading is not limited
        assert len(responses(client)) == 3


def test_poll_votes_are_limited_and_keep_the_choice(limited):
    with limited(per_respondent=1, per_address=0) as client:
        login(client, "facilitator")
        code = create_poll(client, hidden=False)
        client.post("/logout", data={"_csrf_token": csrf_token(client)})
        assert vote(client, code, answer="Sport").status_code == 303
        again = vote(client, code, answer="Musique")
        assert again.status_code == 429
        kept = html(again).select_one(f"form[action='/v/{code}'] input[name=answer]")
        assert kept["value"] == "Musique"
        with Session(client.app.state.engine) as db:
            assert len(db.exec(select(LiveVote)).all()) == 1


def test_staff_paper_entry_is_never_limited(limited):
    with limited(per_respondent=1, per_address=1) as client:
        login(client, "facilitator")
        values = {k: v for page in PAGES.values() for k, v in page.items()}
        for _ in range(3):
            response = client.post(
                f"{CAMPAIGN}/entry",
                data={"_csrf_token": csrf_token(client), **values},
                follow_redirects=False,
            )
            assert response.status_code == 303
        assert len(responses(client)) == 3


def test_the_store_holds_keyed_hashes_that_expire_and_loopback_is_exempt():
    store = MemoryStore()
    throttle = SubmitThrottle(store, "secret", per_respondent=0, per_address=1)

    async def run():
        now = 1_000_000 * 60 + 5.0
        first = await throttle.wait_seconds("", "203.0.113.7", now)
        second = await throttle.wait_seconds("", "203.0.113.7", now)
        next_minute = await throttle.wait_seconds("", "203.0.113.7", now + 60)
        loopback = [await throttle.wait_seconds("", "127.0.0.1", now) for _ in range(3)]
        keys = list(store._store)
        expiries = [await store.expires_in(key) for key in keys]
        return first, second, next_minute, loopback, keys, expiries

    first, second, next_minute, loopback, keys, expiries = run_alone(run())
    assert (first, second, next_minute, loopback) == (0, 55, 0, [0, 0, 0])
    assert keys and not any("203.0.113" in key for key in keys)
    assert all(0 < seconds <= 60 for seconds in expiries)


def test_expired_counters_are_swept_from_a_file_store(tmp_path):
    store = FileStore(path=tmp_path, create_directories=True)
    throttle = SubmitThrottle(store, "secret", per_respondent=5, per_address=0)

    async def run():
        await store.set("submit:old", "3", expires_in=-1)  # a counter of a past minute
        await throttle.wait_seconds("draft-token", "203.0.113.7", 120.0)
        await throttle._sweeping
        return await store.exists("submit:old"), sorted(p.name for p in tmp_path.iterdir())

    old_exists, files = run_alone(run())
    assert not old_exists and len(files) == 1  # only this minute's counter is left
