"""Live polls over HTTP: the facilitator creates, reveals, moderates and closes; phones answer
without an account, once each."""

import httpx
import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from consult.network.models import Commission
from surveys.models import LivePoll, LiveVote
from tests.web.conftest import csrf_token, html, login


@pytest.fixture
def staff(any_db_client) -> TestClient:
    login(any_db_client, "facilitator")
    return any_db_client


class Phone:
    """Another browser on the same app: its own cookie jar, lent to the test client per call
    (a second TestClient would run the app's lifespan twice)."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.cookies = httpx.Cookies()

    def request(self, method: str, url: str, **kwargs):
        saved = self.client.cookies
        self.client.cookies = self.cookies
        try:
            return self.client.request(method, url, **kwargs)
        finally:
            self.cookies = self.client.cookies
            self.client.cookies = saved

    def get(self, url: str, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self.request("POST", url, **kwargs)


@pytest.fixture
def phones(staff):
    return lambda: Phone(staff)


def commission_id(client, slug: str = "jeunesse") -> int:
    with Session(client.app.state.engine) as session:
        return session.exec(select(Commission.id).where(Commission.slug == slug)).one()


def create_poll(client, kind: str = "single", hidden: bool = True, **fields) -> str:
    data = {
        "_csrf_token": csrf_token(client),
        "question": "Quelle activité préférez-vous ?",
        "kind": kind,
        "choices": "Sport\nMusique\nJeux vidéo",
        "scale": "1-5",
        "commission_id": str(commission_id(client)),
        **fields,
    }
    if hidden:
        data["hidden"] = "1"
    response = client.post("/polls", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    return response.headers["location"].rsplit("/", 1)[-1]


def vote(phone: TestClient, code: str, **data):
    phone.get(f"/v/{code}")  # the CSRF cookie and the voter's token
    return phone.post(
        f"/v/{code}",
        data={"_csrf_token": phone.cookies.get("consult_csrf"), **data},
        follow_redirects=False,
    )


def results(client, code: str, htmx: bool = True):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(f"/polls/{code}/results", headers=headers)
    assert response.status_code == 200
    return html(response)


def bars(page) -> dict[str, str]:
    return {
        li.select_one(".bar-label").get_text(strip=True): li.select_one(".bar-value")
        .get_text(" ", strip=True)
        .split()[0]
        for li in page.select(".poll-bars li")
    }


def test_a_phone_answers_without_an_account_and_cannot_vote_twice(staff, phones):
    code = create_poll(staff, hidden=False)
    phone = phones()
    assert vote(phone, code, answer="Sport").status_code == 303
    again = vote(phone, code, answer="Musique")
    assert again.status_code == 400
    page = html(again)
    assert page.select_one("#err-answer").get_text(strip=True)
    # one vote in the room: shown only from k votes on (see test_a_room_sees_bars_in_steps_of_k)
    page = results(staff, code)
    assert page.select(".poll-bars") == [] and page.select_one(".withheld") is not None
    assert html(phone.get(f"/v/{code}")).select_one("p.notice[role=status]") is not None
    with Session(staff.app.state.engine) as session:
        votes = session.exec(select(LiveVote)).all()
    assert len(votes) == 1 and len(votes[0].voter) >= 24  # a random token, nothing personal


def test_the_unique_constraint_refuses_a_second_vote_even_past_the_check(staff):
    code = create_poll(staff)
    with Session(staff.app.state.engine) as session:
        poll = session.exec(select(LivePoll).where(LivePoll.code == code)).one()
        session.add(LiveVote(poll_id=poll.id, voter="same-token", choices=["Sport"]))
        session.commit()
        session.add(LiveVote(poll_id=poll.id, voter="same-token", choices=["Musique"]))
        with pytest.raises(Exception):  # noqa: B017 - IntegrityError of either driver
            session.commit()


def test_voting_without_the_csrf_token_is_refused(staff, phones):
    code = create_poll(staff)
    phone = phones()
    phone.get(f"/v/{code}")
    response = phone.post(f"/v/{code}", data={"answer": "Sport"}, follow_redirects=False)
    assert response.status_code == 403


def test_a_bad_answer_gets_a_message_next_to_the_field(staff, phones):
    code = create_poll(staff, kind="multiple")
    phone = phones()
    response = vote(phone, code)
    assert response.status_code == 400
    page = html(response)
    assert page.select_one("fieldset")["aria-describedby"] == "err-answer"
    assert "au moins" in page.select_one("#err-answer").get_text()
    assert vote(phone, code, answer="Pétanque").status_code == 400
    assert vote(phone, code, answer=["Sport", "Musique"]).status_code == 303


def test_hidden_results_send_no_numbers_until_revealed(staff, phones):
    code = create_poll(staff, hidden=True)
    for choice in ["Sport"] * 5 + ["Musique"] * 5:
        assert vote(phones(), code, answer=choice).status_code == 303
    for htmx in (True, False):
        page = results(staff, code, htmx)
        assert page.select_one(".poll-count").get_text() == "10"
        assert page.select(".poll-bars") == []
        assert page.select_one(".poll-hidden") is not None
    staff.post(f"/polls/{code}/reveal", data={"_csrf_token": csrf_token(staff)})
    assert bars(results(staff, code)) == {"Sport": "5", "Musique": "5", "Jeux vidéo": "0"}
    full_page = results(staff, code, htmx=False)
    assert full_page.select_one("h1").get_text() == "Quelle activité préférez-vous ?"


def test_a_scale_poll_counts_each_point_and_the_mean(staff, phones):
    code = create_poll(staff, kind="scale", hidden=False, scale="0-10")
    for value in ["8"] * 5 + ["6"] * 5 + ["10"]:
        vote(phones(), code, answer=value)
    assert vote(phones(), code, answer="11").status_code == 400
    page = results(staff, code)
    assert list(bars(page)) == [str(v) for v in range(11)]
    # the eleventh vote waits for four more: the bars count the first ten
    assert bars(page)["8"] == "5" and bars(page)["10"] == "0"
    assert page.select_one(".poll-mean").get_text().endswith("7.0")


def test_a_room_sees_bars_in_steps_of_k_and_no_mean_beside_a_hidden_bar(staff, phones):
    code = create_poll(staff, kind="scale", hidden=False, scale="0-10")
    seen = []
    for value in ["8"] * 6 + ["6"] * 3 + ["10"]:
        vote(phones(), code, answer=value)
        page = results(staff, code)
        seen.append((tuple(bars(page).items()), page.select_one(".withheld") is not None))
    assert all(withheld and not shown for shown, withheld in seen[:4])
    assert len(set(seen[4:9])) == 1  # votes 5 to 9: the same bars
    page = results(staff, code)
    assert bars(page)["8"] == "6" and bars(page)["6"] == "<" and bars(page)["10"] == "<"
    assert page.select_one(".poll-mean") is None


def test_free_text_waits_for_approval_before_the_word_cloud(staff, phones):
    code = create_poll(staff, kind="text", hidden=False)
    vote(phones(), code, text="Un skatepark couvert")
    vote(phones(), code, text="Le skatepark et la piscine")
    vote(phones(), code, text="insulte")
    page = results(staff, code)
    assert page.select_one(".poll-count").get_text() == "3"
    assert page.select(".cloud li") == []
    control = html(staff.get(f"/polls/{code}"))
    answers = {
        li.select_one(".answer-text").get_text(): li["data-vote"]
        for li in control.select(".moderation li")
    }
    assert set(answers) == {"Un skatepark couvert", "Le skatepark et la piscine", "insulte"}
    token = csrf_token(staff)
    for text in ("Un skatepark couvert", "Le skatepark et la piscine"):
        url = f"/polls/{code}/answers/{answers[text]}"
        response = staff.post(
            url, data={"_csrf_token": token, "decision": "approve"}, headers={"HX-Request": "true"}
        )
        assert html(response).select_one("#moderation") is not None
    staff.post(
        f"/polls/{code}/answers/{answers['insulte']}",
        data={"_csrf_token": token, "decision": "reject"},
        follow_redirects=False,
    )
    cloud = {
        li.contents[0].strip(): li["class"][0] for li in results(staff, code).select(".cloud li")
    }
    assert set(cloud) == {
        "skatepark",
        "couvert",
        "piscine",
    }  # "un", "le", "et", "la" are stop words
    assert cloud["skatepark"] == "cloud-5" and cloud["piscine"] == "cloud-1"


def test_closing_freezes_the_results(staff, phones):
    code = create_poll(staff, hidden=False)
    for _i in range(5):
        vote(phones(), code, answer="Sport")
    staff.post(f"/polls/{code}/close", data={"_csrf_token": csrf_token(staff)})
    late = vote(phones(), code, answer="Musique")
    assert late.status_code == 400 and "fermé" in html(late).select_one(".notice").get_text()
    page = results(staff, code)
    assert bars(page) == {"Sport": "5", "Musique": "0", "Jeux vidéo": "0"}
    assert page.select_one(".poll-closed") is not None


def test_a_poll_is_kept_with_its_plenary(staff):
    from consult.network.models import Plenary

    with Session(staff.app.state.engine) as session:
        plenary_id = session.exec(select(Plenary.id)).first()
    if plenary_id is None:
        pytest.skip("the demo has no plenary")
    code = create_poll(staff, plenary_id=str(plenary_id))
    page = html(staff.get(f"/polls?plenary={plenary_id}"))
    assert [a["href"] for a in page.select(".polls a")] == [f"/polls/{code}"]


def test_a_poll_with_problems_is_not_created_and_keeps_what_was_typed(staff):
    response = staff.post(
        "/polls",
        data={
            "_csrf_token": csrf_token(staff),
            "question": "",
            "kind": "single",
            "choices": "Oui",
            "commission_id": str(commission_id(staff)),
        },
    )
    assert response.status_code == 400
    page = html(response)
    assert page.select_one("#question")["aria-describedby"] == "err-question"
    assert page.select_one("#err-choices") is not None
    assert page.select_one("#choices").get_text() == "Oui"


def test_staff_of_another_commission_cannot_run_the_poll(staff):
    code = create_poll(staff)
    other = Phone(staff)
    login(other, "other_member")
    assert other.get(f"/polls/{code}").status_code == 403
    assert other.get(f"/polls/{code}/screen").status_code == 403
    assert other.get(f"/polls/{code}/results").status_code == 403
    assert other.get("/polls/ZZZZZ").status_code == 404
    # a commission one does not belong to cannot be chosen either
    response = other.post(
        "/polls",
        data={
            "_csrf_token": other.cookies.get("consult_csrf"),
            "question": "Q",
            "kind": "text",
            "commission_id": str(commission_id(staff)),
        },
    )
    assert response.status_code == 403  # as for every object of another commission
    anonymous = Phone(staff)
    response = anonymous.get(f"/polls/{code}/screen", follow_redirects=False)
    assert response.status_code in (302, 303, 401)


def test_the_screen_shows_a_qr_code_and_a_short_url(staff):
    code = create_poll(staff)
    page = html(staff.get(f"/polls/{code}/screen"))
    assert page.select_one("img.qr")["src"].startswith("data:image/svg+xml")
    assert page.select_one(".short-url").get_text() == f"testserver.local/v/{code}"
    assert page.select_one("#poll-results")["data-stream"] == f"/polls/{code}/stream"
    assert page.select("script[src='/static/js/plenary.js']")
    assert len(code) == 5 and not set(code) & set("0O1IL2Z5S8B6G")


def test_a_code_typed_in_lower_case_finds_the_poll(staff, phones):
    code = create_poll(staff)
    phone = phones()
    response = phone.get(f"/v?code={code.lower()}", follow_redirects=False)
    assert response.headers["location"] == f"/v/{code}"
    assert phone.get("/v?code=QQQQQ").status_code == 404
