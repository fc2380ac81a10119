"""Limits on what one request may make the server build: questions per questionnaire
(CONSULT_MAX_QUESTIONS) on every path that creates questions, and the nesting of JSON."""

import json

import pytest
from sqlmodel import Session, select

from surveys import editing
from surveys import questionnaires as service
from surveys.messages import render
from surveys.models import Questionnaire
from surveys.problems import Problem
from tests.surveys.helpers import xlsx
from tests.web.conftest import csrf_token, html, login, make_client
from tests.web.test_questionnaires import cards, commission_field, create, post

LIMIT = 5


@pytest.fixture
def small_client(sqlite_demo_url, tmp_path):
    """The app with at most LIMIT questions per questionnaire."""
    with make_client(sqlite_demo_url, tmp_path, max_questions=LIMIT) as c:
        yield c


def document_json(questions: int) -> bytes:
    return json.dumps(
        {
            "title": {"fr": "Grand"},
            "languages": ["fr"],
            "sections": [
                {
                    "name": "s1",
                    "title": {"fr": "Page"},
                    "questions": [
                        {"name": f"q{i}", "type": "text", "label": {"fr": f"Q{i}"}}
                        for i in range(questions)
                    ],
                }
            ],
        }
    ).encode()


def upload(client, name: str, content: bytes, lang: str = "en"):
    return client.post(
        "/questionnaires/import",
        data={
            "commission_id": commission_field(client, "/questionnaires/import"),
            "_csrf_token": csrf_token(client),
        },
        files={"file": (name, content)},
        headers={"Accept-Language": lang},
        follow_redirects=False,
    )


def import_messages(response) -> list[str]:
    return [li.get_text() for li in html(response).select("#import-problems li")]


def too_many(count: int, limit: int, lang: str = "en") -> str:
    return render(Problem("Q_TOO_MANY_QUESTIONS", "", count=count, max=limit), lang)


def questionnaire_count(client) -> int:
    with Session(client.app.state.engine) as db:
        return len(db.exec(select(Questionnaire.id)).all())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_json_questionnaire_over_the_default_limit_is_refused(client, lang):
    login(client, "member")
    before = questionnaire_count(client)
    response = upload(client, "big.json", document_json(501), lang)
    assert response.status_code == 400
    assert import_messages(response) == [too_many(501, 500, lang)]
    assert questionnaire_count(client) == before
    assert upload(client, "ok.json", document_json(500)).status_code == 303


def test_an_xlsform_over_the_limit_is_refused(small_client):
    login(small_client, "member")
    before = questionnaire_count(small_client)
    rows = [["type", "name", "label"]] + [["text", f"q{i}", f"Q{i}"] for i in range(LIMIT + 1)]
    response = upload(small_client, "big.xlsx", xlsx(survey=rows))
    assert response.status_code == 400
    assert import_messages(response) == [too_many(LIMIT + 1, LIMIT)]
    assert questionnaire_count(small_client) == before


def test_the_designer_adds_no_question_past_the_limit(small_client):
    login(small_client, "member")
    editor = create(small_client)
    for _ in range(LIMIT):  # a blank questionnaire starts with one empty page
        assert post(small_client, f"{editor}/questions", {"type": "text"}).status_code == 303
    assert len(cards(html(small_client.get(editor)))) == LIMIT
    for htmx in (False, True):
        refused = post(small_client, f"{editor}/questions", {"type": "text"}, htmx=htmx)
        alert = html(refused).select_one("#edit-problems")
        assert alert is not None, refused.status_code
        assert [li.get_text() for li in alert.select("li")] == [too_many(LIMIT + 1, LIMIT, "fr")]
    assert refused.status_code == 200  # htmx swaps 2xx only: the refusal is the new editor
    assert post(small_client, f"{editor}/questions", {"type": "text"}).status_code == 400
    assert len(cards(html(small_client.get(editor)))) == LIMIT


def test_undoing_a_delete_cannot_pass_the_limit(small_client):
    login(small_client, "member")
    editor = create(small_client)
    for _ in range(LIMIT):
        post(small_client, f"{editor}/questions", {"type": "text"})
    first = cards(html(small_client.get(editor)))[0]
    assert post(small_client, f"{editor}/questions/{first}/delete").status_code == 303
    post(small_client, f"{editor}/questions", {"type": "text"})
    undone = post(small_client, f"{editor}/undo")
    assert undone.status_code == 400
    assert html(undone).select_one("#edit-problems") is not None
    assert len(cards(html(small_client.get(editor)))) == LIMIT


def test_a_questionnaire_over_the_limit_is_not_duplicated(small_client):
    login(small_client, "member")
    with Session(small_client.app.state.engine) as db:
        commission = int(commission_field(small_client, "/questionnaires/"))
        document = editing.blank_document("Ancien")
        for _ in range(LIMIT + 1):  # made before the limit was lowered
            document, _name = editing.add_question(document, "section_1", "text", {"fr": "Q"})
        big = service.create_questionnaire(db, commission, document, max_questions=None).id
    before = questionnaire_count(small_client)
    response = post(small_client, f"/questionnaires/{big}/duplicate")
    assert response.status_code == 400
    alert = html(response).select_one("#edit-problems")
    assert [li.get_text() for li in alert.select("li")] == [too_many(LIMIT + 1, LIMIT, "fr")]
    assert questionnaire_count(small_client) == before


@pytest.mark.parametrize("depth", [200, 100_000])
def test_deeply_nested_json_is_a_coded_problem_not_a_crash(client, depth):
    login(client, "member")
    response = upload(client, "deep.json", b"[" * depth + b"]" * depth)
    assert response.status_code == 400
    expected = render(Problem("J_TOO_DEEP", "", max=service.MAX_JSON_DEPTH), "en")
    assert import_messages(response) == [expected]
