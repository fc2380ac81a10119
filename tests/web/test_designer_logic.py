"""Logic in words: the condition builder picks values among a question's choices, shows
conditions as sentences, edits imported page conditions and constraints without changing
their expression, and keeps the editor linear in the number of questions."""

import io
import time

import openpyxl
from sqlmodel import Session

from surveys import questionnaires as service
from surveys.document import Choice, Document, Question, Section
from tests.surveys.helpers import xlsx
from tests.web.conftest import csrf_token, html, login
from tests.web.test_questionnaires import HX, commission_field, create, post


def club_questionnaire(client) -> str:
    editor = create(client)
    post(client, f"{editor}/questions", {"type": "yes_no", "section": "section_1"})
    post(client, f"{editor}/questions", {"type": "text", "section": "section_1"})
    post(client, f"{editor}/questions/q1", {"label_fr": "Fais-tu partie d’un club ?"})
    post(client, f"{editor}/questions/q2", {"label_fr": "Lequel ?"})
    return editor


def test_the_builder_offers_the_earlier_questions_then_their_choices_by_label(client):
    login(client, "member")
    editor = club_questionnaire(client)
    builder = html(client.get(f"{editor}/questions/q2/condition", headers=HX))
    questions = builder.select("#builder-question-q2-0-question option")
    assert [o["value"] for o in questions] == ["", "q1"]
    assert "Fais-tu partie d’un club ?" in questions[1].get_text()
    # picking the question (htmx sends the form as it is) brings that question's choices
    chosen = html(client.get(f"{editor}/questions/q2/condition?clause_0_question=q1", headers=HX))
    options = chosen.select("#builder-question-q2-0-value option")
    assert [(o["value"], o.get_text()) for o in options] == [("yes", "Oui"), ("no", "Non")]
    ops = [o["value"] for o in chosen.select("#builder-question-q2-0-op option")]
    assert ops[0] == "=" and "answered" in ops
    # without JavaScript the same builder is a page of its own
    page = client.get(f"{editor}/questions/q2/condition")
    assert page.status_code == 200 and html(page).select_one("h1") is not None
    assert html(page).select_one("form#builder-question-q2[action$='/questions/q2/condition']")


def test_a_condition_is_shown_in_words_and_its_expression_only_in_the_advanced_part(client):
    login(client, "member")
    editor = club_questionnaire(client)
    form = {"clause_0_question": "q1", "clause_0_op": "=", "clause_0_value": "yes"}
    fragment = html(post(client, f"{editor}/questions/q2/condition", form, htmx=True))
    condition = fragment.select_one("#card-q2 .question-condition")
    assert condition.select_one("code") is None
    assert condition.select_one(".clause").get_text(" ", strip=True) == (
        "« Fais-tu partie d’un club ? » = Oui"
    )
    builder = html(client.get(f"{editor}/questions/q2/condition"))
    assert builder.select_one("details.advanced textarea").get_text() == "${q1} = 'yes'"
    assert builder.select_one("#builder-question-q2-0-value option[selected]")["value"] == "yes"


def test_a_label_typed_as_the_value_is_understood_and_a_wrong_one_names_the_valid_ones(client):
    login(client, "member")
    editor = club_questionnaire(client)
    form = {"clause_0_question": "q1", "clause_0_op": "=", "clause_0_value": "oui"}
    assert post(client, f"{editor}/questions/q2/condition", form).status_code == 303
    assert service_expression(client, editor, "q2") == "${q1} = 'yes'"
    form["clause_0_value"] = "peut-être"
    refused = post(client, f"{editor}/questions/q2/condition", form)
    assert refused.status_code == 400
    errors = html(refused).select_one("#builder-question-q2-errors").get_text()
    assert "« Oui » (yes)" in errors and "« Non » (no)" in errors
    assert service_expression(client, editor, "q2") == "${q1} = 'yes'"  # nothing lost
    # htmx gets the builder back in place of itself, with the message
    swapped = post(client, f"{editor}/questions/q2/condition", form, htmx=True)
    assert swapped.status_code == 200
    assert swapped.headers["hx-retarget"] == "#builder-question-q2"
    assert html(swapped).select_one("#builder-question-q2-errors") is not None


def test_two_clauses_joined_by_or_and_a_removed_clause(client):
    login(client, "member")
    editor = club_questionnaire(client)
    post(client, f"{editor}/questions", {"type": "integer", "section": "section_1"})
    post(client, f"{editor}/questions/q3", {"label_fr": "Ton âge ?"})
    post(client, f"{editor}/questions", {"type": "text", "section": "section_1"})
    form = {
        "clause_0_question": "q1", "clause_0_op": "=", "clause_0_value": "no",
        "clause_1_question": "q3", "clause_1_op": ">=", "clause_1_value": "18",
        "joiner": "or",
    }  # fmt: skip
    post(client, f"{editor}/questions/q4/condition", form)
    assert service_expression(client, editor, "q4") == "${q1} = 'no' or ${q3} >= 18"
    words = html(client.get(editor)).select_one("#card-q4 .question-condition")
    assert [c.get_text(" ", strip=True) for c in words.select(".clause")] == [
        "« Fais-tu partie d’un club ? » = Non",
        "« Ton âge ? » ≥ 18",
    ]
    post(client, f"{editor}/questions/q4/condition", {**form, "clause_0_remove": "1"})
    assert service_expression(client, editor, "q4") == "${q3} >= 18"


FORM_WITH_LOGIC = xlsx(
    survey=[
        ["type", "name", "label", "relevant", "constraint"],
        ["select_one yn", "used_hotline", "As-tu appelé la ligne d’écoute ?", "", ""],
        ["integer", "age", "Quel âge as-tu ?", "", ". >= 0 and . <= 100"],
        ["begin group", "hotline", "La ligne d’écoute", "${used_hotline}='yes'", ""],
        ["text", "why", "Pourquoi ?", "", ""],
        ["end group", "", "", "", ""],
    ],
    choices=[["list_name", "name", "label"], ["yn", "yes", "Oui"], ["yn", "no", "Non"]],
    settings=[["default_language"], ["fr"]],
)


def import_form(client, content=FORM_WITH_LOGIC) -> str:
    commission = commission_field(client, "/questionnaires/import")
    response = client.post(
        "/questionnaires/import",
        data={"commission_id": commission, "_csrf_token": csrf_token(client)},
        files={"file": ("logic.xlsx", content)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return response.headers["location"]


def builder_form(page) -> dict[str, str]:
    """What the builder would send as it is shown (its selected options and values)."""
    form = {}
    for field in page.select("form.builder select"):
        chosen = field.select_one("option[selected]") or field.select_one("option")
        form[field["name"]] = chosen["value"] if chosen else ""
    for field in page.select("form.builder input[name^=clause_]"):
        if field.get("type") != "checkbox":
            form[field["name"]] = field.get("value", "")
    return form


def test_imported_page_conditions_and_constraints_read_in_words_and_round_trip(client):
    login(client, "member")
    editor = import_form(client)
    page = html(client.get(editor))
    section = page.select_one("#section-hotline .section-condition")
    assert section.select_one(".clause").get_text(" ", strip=True) == (
        "« As-tu appelé la ligne d’écoute ? » = Oui"
    )
    constraint = page.select_one("#card-age .question-constraint")
    assert [c.get_text(" ", strip=True) for c in constraint.select(".clause")] == [
        "la réponse ≥ 0",
        "la réponse ≤ 100",
    ]
    # saving each builder as shown keeps the imported expression exactly
    for path in ("sections/hotline/condition", "questions/age/constraint"):
        shown = html(client.get(f"{editor}/{path}"))
        assert post(client, f"{editor}/{path}", builder_form(shown)).status_code == 303
    exported = client.get(f"{editor}/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content))["survey"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    by_name: dict = {}
    for row in rows[1:]:  # a group's "begin" row comes before its "end" row
        by_name.setdefault(row[header.index("name")], row)
    assert by_name["hotline"][header.index("relevant")] == "${used_hotline}='yes'"
    assert by_name["age"][header.index("constraint")] == ". >= 0 and . <= 100"
    # an edit made with the builder writes the expression it says
    shown = builder_form(html(client.get(f"{editor}/questions/age/constraint")))
    post(client, f"{editor}/questions/age/constraint", {**shown, "clause_1_value": "99"})
    assert service_expression(client, editor, "age", "constraint") == ". >= 0 and . <= 99"


def service_expression(client, editor: str, name: str, field: str = "relevant") -> str | None:
    questionnaire_id = int(editor.rsplit("/", 1)[1])
    with Session(client.app.state.engine) as db:
        document = service.document_of(service.latest_version(db, questionnaire_id))
    return getattr(document.question(name), field)


def big_document(count: int) -> Document:
    """Questions with five choices each, every one asked only if the previous was answered."""
    choices = tuple(Choice(f"c{i}", {"fr": f"Choix numéro {i}"}) for i in range(5))
    questions = [
        Question(
            f"q{n}",
            "single_choice",
            {"fr": f"Question numéro {n} ?"},
            choices=choices,
            relevant=f"${{q{n - 1}}} = 'c1'" if n else None,
        )
        for n in range(count)
    ]
    sections = tuple(
        Section(f"s{i}", {"fr": f"Page {i}"}, questions=tuple(questions[i : i + 50]))
        for i in range(0, count, 50)
    )
    return Document({"fr": "Grand"}, ("fr",), sections)


def editor_size(client, count: int) -> tuple[int, float]:
    commission = int(commission_field(client, "/questionnaires/"))
    with Session(client.app.state.engine) as db:
        questionnaire_id = service.create_questionnaire(
            db, commission, big_document(count), max_questions=None
        ).id
    started = time.perf_counter()
    response = client.get(f"/questionnaires/{questionnaire_id}")
    assert response.status_code == 200
    return len(response.content), time.perf_counter() - started


def test_the_editor_grows_linearly_with_the_number_of_questions(client):
    # stored directly, above the limit of CONSULT_MAX_QUESTIONS, to measure the growth
    login(client, "member")
    small, small_time = editor_size(client, 500)
    large, large_time = editor_size(client, 1000)
    print(f"editor HTML: 500 questions {small:,} bytes ({small_time:.2f} s), "
          f"1000 questions {large:,} bytes ({large_time:.2f} s), ratio {large / small:.2f}")  # fmt: skip
    assert large / small < 2.1  # quadratic would be about 4
    assert large / 1000 < 15_000  # about 12 KB per question (5 choices), whatever the count


def test_choices_are_typed_one_per_line_and_their_values_shown_only_in_the_advanced_part(client):
    login(client, "member")
    editor = create(client)
    post(client, f"{editor}/questions", {"type": "multiple_choice", "section": "section_1"})
    form = {
        "label_fr": "Tes activités ?", "choices_text_fr": "Sport\nMusique\nThéâtre",
        "has_other": "1", "other": "1", "has_none_of_these": "1", "none_of_these": "1",
        "max_picks": "2", "has_max_picks": "1",
    }  # fmt: skip
    page = html(post(client, f"{editor}/questions/q1", form, htmx=True))
    assert page.select_one("#problems-q1") is None
    assert page.select_one("#e-q1-choices-fr").get_text() == "Sport\nMusique\nThéâtre"
    assert page.select_one("#e-q1-other").has_attr("checked")
    assert page.select_one("#e-q1-none").has_attr("checked")
    assert page.select_one("#e-q1-max_picks")["value"] == "2"
    advanced = page.select_one("#card-q1 details.advanced")
    values = [i["value"] for i in advanced.select("input[name$=_value]") if i.get("value")]
    assert values == ["sport", "musique", "theatre", "none", "other"]
    # a preset replaces the typed choices, keeping the two ticks
    page = html(post(client, f"{editor}/questions/q1", {**form, "preset": "frequency"}, htmx=True))
    assert page.select_one("#e-q1-choices-fr").get_text().splitlines()[0] == "Jamais"
