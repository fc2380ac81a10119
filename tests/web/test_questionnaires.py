"""The questionnaire designer over HTTP: with and without htmx, scoped to the user's commissions."""

import pytest

from tests.surveys.helpers import xlsx
from tests.web.conftest import csrf_token, html, login

HX = {"HX-Request": "true"}


def demo_questionnaire_id(client) -> int:
    link = html(client.get("/questionnaires")).select_one("a.questionnaire-title")
    return int(link["href"].rsplit("/", 1)[1])


def commission_field(client, action: str) -> str:
    """The commission the form would send: a hidden field, or the first option of a list."""
    field = html(client.get("/questionnaires")).select_one(
        f"form[action='{action}'] [name=commission_id]"
    )
    return field["value"] if field.name == "input" else field.select_one("option")["value"]


def create(client, title="Essai") -> str:
    commission = commission_field(client, "/questionnaires/")
    response = client.post(
        "/questionnaires/",
        data={"commission_id": commission, "title": title, "_csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return response.headers["location"]


def post(client, path, data=None, htmx=False):
    data = {**(data or {}), "_csrf_token": csrf_token(client)}
    return client.post(path, data=data, headers=HX if htmx else {}, follow_redirects=False)


def cards(page):
    return [li["id"].removeprefix("card-") for li in page.select("li.question-card")]


def test_a_member_sees_the_questionnaires_of_their_commission(client):
    login(client, "member")
    page = html(client.get("/questionnaires"))
    assert page.find("h1").get_text(strip=True) == "Questionnaires"
    assert [h.get_text(strip=True) for h in page.select("#questionnaire-list h2")] == ["Jeunesse"]
    item = page.select_one(".questionnaire-item")
    assert "Bien vivre son temps libre" in item.select_one("a").get_text()
    assert "2 versions" in item.get_text() and "Publié" in item.get_text()


def test_the_list_answers_htmx_with_the_fragment(client):
    login(client, "member")
    response = client.get("/questionnaires", headers=HX)
    assert "HX-Request" in response.headers["vary"]
    assert "<html" not in response.text
    assert html(response).select_one("#questionnaire-list") is not None


@pytest.mark.parametrize("suffix", ["", "/versions", "/preview", "/paper", "/export.json"])
def test_a_member_of_another_commission_gets_403(client, suffix):
    login(client, "member")
    qid = demo_questionnaire_id(client)
    client.post("/logout", data={"_csrf_token": csrf_token(client)})
    login(client, "other_member")
    assert client.get(f"/questionnaires/{qid}{suffix}").status_code == 403
    assert html(client.get("/questionnaires")).select("a.questionnaire-title") == []


def test_a_member_of_another_commission_cannot_edit(client):
    login(client, "member")
    qid = demo_questionnaire_id(client)
    client.post("/logout", data={"_csrf_token": csrf_token(client)})
    login(client, "other_member")
    assert post(client, f"/questionnaires/{qid}/questions", {"type": "text"}).status_code == 403
    assert post(client, f"/questionnaires/{qid}/publish").status_code == 403
    assert post(client, f"/questionnaires/{qid}/duplicate").status_code == 403


def test_a_facilitator_has_no_designer(client):
    login(client, "facilitator")
    assert client.get("/questionnaires").status_code == 403


def test_an_unknown_questionnaire_is_404(client):
    login(client, "coordinator")
    assert client.get("/questionnaires/999999").status_code == 404


def test_adding_a_question_without_javascript_redirects_to_the_editor(client):
    login(client, "member")
    editor = create(client)
    response = post(client, f"{editor}/questions", {"type": "yes_no", "section": "section_1"})
    assert response.status_code == 303
    assert (
        response.headers["location"] == f"{editor}?focus=q1#card-q1"
        or "focus=q1" in response.headers["location"]
    )
    page = html(client.get(response.headers["location"]))
    assert cards(page) == ["q1"]
    assert page.select_one("#card-q1 details.question-edit")["open"] is not None


def test_adding_a_question_with_htmx_returns_the_editor_fragment(client):
    login(client, "member")
    editor = create(client)
    response = post(
        client, f"{editor}/questions", {"type": "rating", "section": "section_1"}, htmx=True
    )
    assert response.status_code == 200
    fragment = html(response)
    assert fragment.find("header") is None  # no site header: only the fragment
    assert fragment.select_one("div#designer") is not None
    assert cards(fragment) == ["q1"]
    assert "Note de 0 à 10" in fragment.select_one("#card-q1 .badge").get_text()


def test_every_registered_type_can_be_added(client):
    from surveys.types import REGISTRY

    login(client, "member")
    editor = create(client)
    options = html(client.get(editor)).select("#add-type-section_1 option")
    assert [o["value"] for o in options] == list(REGISTRY)
    for name in REGISTRY:
        assert (
            post(client, f"{editor}/questions", {"type": name, "section": "section_1"}).status_code
            == 303
        )
    assert len(cards(html(client.get(editor)))) == len(REGISTRY)


def test_labels_and_choices_are_edited_and_problems_shown_beside_the_question(client):
    login(client, "member")
    editor = create(client)
    post(client, f"{editor}/questions", {"type": "single_choice", "section": "section_1"})
    page = html(client.get(editor))
    problems = page.select_one("#problems-q1")
    assert "La question n’a pas de choix" in problems.get_text() or "choix" in problems.get_text()
    assert page.select_one("#e-q1-label-fr")["aria-describedby"] == "problems-q1"
    form = {
        "label_fr": "Fais-tu du sport ?",
        "has_choices": "1",
        "choice_0_value": "oui",
        "choice_0_label_fr": "Oui",
        "choice_1_value": "non",
        "choice_1_label_fr": "Non",
        "name": "sport",
    }
    fragment = html(post(client, f"{editor}/questions/q1", form, htmx=True))
    assert cards(fragment) == ["sport"]
    assert fragment.select_one("#problems-sport") is None
    assert (
        fragment.select_one("#card-sport .question-title").get_text(" ", strip=True)
        == "1. Fais-tu du sport ?"
    )
    assert fragment.select_one("#e-sport-choice-1-label-fr")["value"] == "Non"


def test_delete_then_undo_puts_the_question_back(client):
    login(client, "member")
    editor = create(client)
    for _ in range(3):
        post(client, f"{editor}/questions", {"type": "text", "section": "section_1"})
    fragment = html(post(client, f"{editor}/questions/q2/delete", htmx=True))
    assert cards(fragment) == ["q1", "q3"]
    assert "q2" in fragment.select_one("form.undo").get_text()
    assert post(client, f"{editor}/undo").status_code == 303
    page = html(client.get(editor))
    assert cards(page) == ["q1", "q2", "q3"]
    assert page.select_one("form.undo") is None
    assert post(client, f"{editor}/undo").status_code == 404  # one undo only


def test_questions_move_up_and_down(client):
    login(client, "member")
    editor = create(client)
    for _ in range(2):
        post(client, f"{editor}/questions", {"type": "text", "section": "section_1"})
    post(client, f"{editor}/questions/q2/move", {"direction": "up"})
    assert cards(html(client.get(editor))) == ["q2", "q1"]


def test_the_condition_builder_writes_the_expression(client):
    login(client, "member")
    editor = create(client)
    post(client, f"{editor}/questions", {"type": "yes_no", "section": "section_1"})
    post(client, f"{editor}/questions", {"type": "text", "section": "section_1"})
    fragment = html(
        post(
            client,
            f"{editor}/questions/q2/condition",
            {"question": "q1", "operator": "=", "value": "yes"},
            htmx=True,
        )
    )
    words = fragment.select_one("#card-q2 .question-condition .clause")
    assert words.get_text(" ", strip=True) == "« Nouvelle question » = Oui"
    builder = html(client.get(f"{editor}/questions/q2/condition"))
    assert builder.select_one("#builder-question-q2-0-question option[selected]")["value"] == "q1"
    post(client, f"{editor}/questions/q2/condition", {"action": "remove"})
    assert html(client.get(editor)).select_one("#card-q2 .question-condition") is None


def test_publish_is_refused_with_the_list_of_problems(client):
    login(client, "member")
    editor = create(client)
    response = post(client, f"{editor}/publish")
    assert response.status_code == 400
    alert = html(response).select_one("#publish-problems")
    assert "Section « section_1 »" in alert.get_text() or "section_1" in alert.get_text()
    fragment = html(post(client, f"{editor}/publish", htmx=True))
    assert fragment.select_one("#publish-problems") is not None


def test_publish_then_edit_starts_version_2(client):
    login(client, "member")
    editor = create(client)
    post(client, f"{editor}/questions", {"type": "text", "section": "section_1"})
    assert post(client, f"{editor}/publish").status_code == 303
    page = html(client.get(editor))
    assert "Publiée le" in page.select_one(".designer-status").get_text()
    assert page.select_one(f"form[action='{editor}/publish']") is None
    post(client, f"{editor}/questions", {"type": "yes_no", "section": "section_1"})
    page = html(client.get(editor))
    assert "Version 2" in page.select_one(".designer-status strong").get_text()
    versions = html(client.get(f"{editor}/versions"))
    assert [v["id"] for v in versions.select("li.version")] == ["version-2", "version-1"]
    assert versions.select_one("#version-2 .diff-added").get_text(strip=True) == "q2"


BROKEN = xlsx(
    survey="| type | name | label |\n| text | nom | Nom |\n| select_one couleurs | c | Couleur |",
    choices="| list_name | name | label |\n| tailles | s | S |",
)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "Feuille «\xa0survey\xa0», ligne 3"),
        ("en", "Sheet “survey”, row 3"),
    ],
)
def test_a_broken_xlsform_shows_row_precise_messages_and_creates_nothing(client, lang, expected):
    login(client, "member")
    before = len(html(client.get("/questionnaires")).select("a.questionnaire-title"))
    page = html(client.get("/questionnaires"))
    commission = page.select_one("form[action='/questionnaires/import'] [name=commission_id]")[
        "value"
    ]
    response = client.post(
        "/questionnaires/import",
        data={"commission_id": commission, "_csrf_token": csrf_token(client)},
        files={"file": ("form.xlsx", BROKEN)},
        headers={"Accept-Language": lang},
    )
    assert response.status_code == 400
    alert = html(response).select_one("#import-problems")
    messages = [li.get_text() for li in alert.select("li")]
    assert len(messages) == 1 and messages[0].startswith(expected)
    assert html(response).select_one("#import-file")["aria-describedby"] == "import-problems"
    assert len(html(client.get("/questionnaires")).select("a.questionnaire-title")) == before


def test_an_xlsform_upload_creates_a_draft_and_shows_its_warnings(client):
    login(client, "member")
    data = xlsx(survey="| type | name | label | colour |\n| text | nom | Nom | red |")
    page = html(client.get("/questionnaires"))
    commission = page.select_one("form[action='/questionnaires/import'] [name=commission_id]")[
        "value"
    ]
    response = client.post(
        "/questionnaires/import",
        data={"commission_id": commission, "_csrf_token": csrf_token(client)},
        files={"file": ("form.xlsx", data)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    editor = html(client.get(response.headers["location"]))
    assert cards(editor) == ["nom"]
    assert "colour" in editor.select_one("#import-warnings").get_text()
    # shown once
    assert html(client.get(response.headers["location"])).select_one("#import-warnings") is None


def test_creating_from_a_model_and_duplicating(client):
    login(client, "member")
    page = html(client.get("/questionnaires"))
    commission = page.select_one(
        "form[action='/questionnaires/from-template'] [name=commission_id]"
    )["value"]
    response = post(
        client,
        "/questionnaires/from-template",
        {"commission_id": commission, "template": "event_satisfaction"},
    )
    assert response.status_code == 303
    copy = post(client, response.headers["location"] + "/duplicate")
    assert copy.status_code == 303 and copy.headers["location"] != response.headers["location"]
    assert "(copie)" in html(client.get(copy.headers["location"])).find("h1").get_text()


def page_form(page) -> dict:
    hidden: dict[str, list[str]] = {}
    for field in page.select_one("form.respond-form").select("input[type=hidden]"):
        hidden.setdefault(field["name"], []).append(field.get("value", ""))
    return hidden


def test_the_preview_is_the_respondent_page_in_test_mode_with_live_conditions(client):
    from tests.web.respond_helpers import PAGES, responses

    login(client, "member")
    qid = demo_questionnaire_id(client)
    base = f"/questionnaires/{qid}/preview"
    first = client.get(base, follow_redirects=False)
    assert first.headers["location"] == f"{base}/s/profil"
    page = html(client.get(f"{base}/s/profil"))
    assert page.select_one("form.respond-form")["action"] == f"{base}/s/profil"
    assert page.select_one(f".preview-banner form[action='{base}/reset']") is not None
    inputs = page.select("form.respond-form input:not([type=hidden])")
    assert inputs and not any(i.has_attr("disabled") for i in inputs)
    sent = client.post(
        f"{base}/s/profil", data={**page_form(page), **PAGES["profil"]}, follow_redirects=False
    )
    assert sent.status_code == 303, html(sent).select(".error-summary, .notice-box")
    assert sent.headers["location"] == f"{base}/s/activites"
    page = html(client.get(f"{base}/s/activites"))
    assert page.select_one("[name=frequence]") is None  # asked only if pratique_activite = yes
    again = client.post(f"{base}/s/activites", data={**page_form(page), "pratique_activite": "yes"})
    assert again.status_code == 200 and html(again).select_one("[name=frequence]") is not None
    assert responses(client) == [] or all(r.channel != "test" for r in responses(client))
    client.post(f"{base}/reset", data={"_csrf_token": csrf_token(client)})
    assert html(client.get(f"{base}/s/profil")).select_one("#q-age")["value"] == ""


def test_the_paper_version_numbers_questions_and_spells_out_the_skip_logic(client):
    login(client, "member")
    editor = create(client)
    post(client, f"{editor}/questions", {"type": "yes_no", "section": "section_1"})
    post(client, f"{editor}/questions", {"type": "long_text", "section": "section_1"})
    post(client, f"{editor}/questions/q1", {"label_fr": "Fais-tu du sport ?"})
    post(
        client,
        f"{editor}/questions/q2/condition",
        {"question": "q1", "operator": "=", "value": "yes"},
    )
    paper = html(client.get(f"{editor}/paper"))
    assert [n.get_text() for n in paper.select(".paper-number")] == ["1.", "2."]
    assert len(paper.select("#pq-q1 .box")) == 2
    assert len(paper.select("#pq-q2 .write-line")) == 6
    skip = paper.select_one("#pq-q2 .paper-skip").get_text()
    assert "Si vous avez répondu « Oui » à la question 1, répondez à la question 2" in skip


def test_exports_download_the_latest_version(client):
    login(client, "member")
    qid = demo_questionnaire_id(client)
    response = client.get(f"/questionnaires/{qid}/export.json")
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["sections"]
    assert client.get(f"/questionnaires/{qid}/export.xlsx").content[:2] == b"PK"


def test_the_designer_works_on_both_databases(any_db_client):
    client = any_db_client
    login(client, "coordinator")
    editor = create(client)
    post(client, f"{editor}/questions", {"type": "text", "section": "section_1"})
    assert post(client, f"{editor}/publish").status_code == 303
    post(client, f"{editor}/questions", {"type": "text", "section": "section_1"})
    assert "Version 2" in html(client.get(editor)).select_one(".designer-status strong").get_text()


def test_markdown_in_an_imported_label_is_shown_formatted_and_html_never_passes(client):
    login(client, "member")
    survey = (
        "| type | name | label |\n"
        "| note | intro | **Bienvenue** <script>alert(1)</script>*merci* [site](https://example.org) |\n"
        "| text | ville | Ta *ville* ? |"
    )
    page = html(client.get("/questionnaires"))
    commission = page.select_one("form[action='/questionnaires/import'] [name=commission_id]")[
        "value"
    ]
    response = client.post(
        "/questionnaires/import",
        data={"commission_id": commission, "_csrf_token": csrf_token(client)},
        files={"file": ("form.xlsx", xlsx(survey=survey))},
        follow_redirects=False,
    )
    assert response.status_code == 303
    preview = html(client.get(response.headers["location"] + "/preview"))
    intro = preview.select_one("#q-intro-block")
    assert intro.select_one("strong").get_text() == "Bienvenue"
    assert intro.select_one("em").get_text() == "merci"
    assert intro.select_one("a")["href"] == "https://example.org"
    assert intro.select_one("script") is None
    assert preview.select_one("#q-ville-block label em").get_text() == "ville"
