"""Editing comfort: insert a question anywhere, duplicate one, drop one at a position."""

from tests.web.conftest import html, login
from tests.web.test_questionnaires import cards, create, post


def three_questions(client) -> str:
    editor = create(client)
    for _ in range(3):
        post(client, f"{editor}/questions", {"type": "text", "section": "section_1"})
    return editor


def test_a_question_is_inserted_below_another(client):
    login(client, "member")
    editor = three_questions(client)
    link = html(client.get(editor)).select_one("#card-q1 .insert-below a")
    assert link["href"] == f"{editor}?after=q1#add-section_1"
    form = html(client.get(link["href"].split("#")[0])).select_one("form#add-section_1")
    assert form.select_one("[name=after]")["value"] == "q1"
    fragment = html(post(client, f"{editor}/questions", {"type": "yes_no", "after": "q1"}, True))
    assert cards(fragment) == ["q1", "q4", "q2", "q3"]


def test_a_question_is_duplicated_right_after_itself(client):
    login(client, "member")
    editor = three_questions(client)
    post(client, f"{editor}/questions/q2", {"label_fr": "Ton quartier ?"})
    assert post(client, f"{editor}/questions/q2/duplicate").status_code == 303
    page = html(client.get(editor))
    assert cards(page) == ["q1", "q2", "q2_1", "q3"]
    assert (
        page.select_one("#card-q2_1 .question-title")
        .get_text(" ", strip=True)
        .endswith("Ton quartier ?")
    )


def test_a_dropped_question_lands_at_its_new_place_and_arrows_still_work(client):
    login(client, "member")
    editor = three_questions(client)
    page = html(client.get(editor))
    assert page.select_one("ol.question-cards")["data-section"] == "section_1"
    assert page.select_one("#card-q3")["data-move"] == f"{editor}/questions/q3/move"
    fragment = html(
        post(client, f"{editor}/questions/q3/move", {"section": "section_1", "index": "0"}, True)
    )
    assert cards(fragment) == ["q3", "q1", "q2"]
    post(client, f"{editor}/questions/q3/move", {"direction": "down"})
    assert cards(html(client.get(editor))) == ["q1", "q3", "q2"]
    assert page.select_one("script[src='/static/vendor/Sortable.min.js']") is not None
