"""The injection corpus (tests/security/payloads.py) typed into every field people control,
then read back from every output: pages, htmx fragments, charts, exports, slides, PDFs."""

import json
import re

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from surveys import questionnaires
from surveys.models import Campaign, Response
from tests.conftest import _template
from tests.security.payloads import (
    FORMULAS,
    LONG,
    PAYLOAD,
    SCRIPT,
    assert_escaped,
    assert_inert,
    assert_inert_svg,
    assert_no_formula,
    assert_no_formula_cell,
    csv_cells,
    html_of,
    pdf_text,
    xlsx_cells,
)
from tests.security.world import COORDINATOR, MEMBER, build_world
from tests.web.conftest import html

SLUG = "injection"
HTMX = {"HX-Request": "true"}
RESPONDENTS = 5  # the public page shows groups of at least 5


@pytest.fixture(scope="module")
def world(templates, tmp_path_factory, request):
    source = _template("sqlite", True, templates, tmp_path_factory, request)
    world = build_world(source, tmp_path_factory.mktemp("injection"))
    yield world
    world.client.__exit__(None, None, None)


def document() -> dict:
    label = {"fr": PAYLOAD}
    return {
        "schema": 1,
        "name": "injection",
        "version": "1",
        "title": label,
        "description": label,
        "languages": ["fr"],
        "sections": [
            {
                "name": "s1",
                "title": label,
                "questions": [
                    {
                        "name": "choix",
                        "type": "single_choice",
                        "label": label,
                        "hint": label,
                        "other": True,
                        "choices": [
                            {"value": "a", "label": {"fr": SCRIPT}},
                            {"value": "b", "label": {"fr": "Autre chose"}},
                            {"value": "other", "label": {"fr": "Autre"}},
                        ],
                    },
                    {"name": "court", "type": "text", "label": label},
                    {"name": "long", "type": "long_text", "label": label},
                ],
            }
        ],
    }


def ok(response, where: str, status: int = 200):
    assert response.status_code == status, f"{where}: {response.status_code} {response.text[:500]}"
    return response


@pytest.fixture(scope="module")
def survey(world) -> dict:
    """A questionnaire whose every text is the payload, run as a campaign whose name and
    consent are too, answered with the payload by five respondents."""
    youth = world.values["commission_id"]
    upload = {"file": ("injection.json", json.dumps(document()).encode())}
    created = world.request(
        MEMBER, "POST", "/questionnaires/import", {"commission_id": str(youth)}, upload
    )
    questionnaire_id = int(ok(created, "import", 303).headers["location"].rsplit("/", 1)[1])
    ok(world.request(MEMBER, "POST", f"/questionnaires/{questionnaire_id}/publish"), "pub", 303)
    with Session(world.client.app.state.engine) as db:
        version_id = questionnaires.latest_version(db, questionnaire_id).id
    form = {"name": PAYLOAD, "slug": SLUG, "version_id": str(version_id), "anonymous": "yes"}
    form |= {"audience": PAYLOAD, "consent_text": PAYLOAD}
    ok(world.request(COORDINATOR, "POST", "/campaigns", form), "campaign", 303)
    with Session(world.client.app.state.engine) as db:  # a new campaign is a draft: open it
        campaign = db.exec(select(Campaign).where(Campaign.slug == SLUG)).one()
        campaign.draft = False
        db.add(campaign)
        db.commit()
    pages = {name: answer(world, index) for index, name in enumerate(range(RESPONDENTS))}
    return {"questionnaire_id": questionnaire_id, "pages": pages[0]}


def answer(world, index: int) -> dict[str, str]:
    """One respondent, every free field typed with the payload (a formula in the short one)."""
    phone = TestClient(world.client.app, base_url="http://testserver.local")
    base = f"/r/{SLUG}"
    intro = ok(phone.get(base), "intro")
    token = html(intro).select_one("form[action$='/start'] input[name=token]")["value"]
    csrf = phone.cookies.get("consult_csrf")
    start = {"_csrf_token": csrf, "token": token, "age_group": "15plus", "consent": "yes"}
    ok(phone.post(f"{base}/start", data=start, follow_redirects=False), "start", 303)
    section = ok(phone.get(f"{base}/s/s1"), "section")
    page = html(section)
    other = page.select_one("input[id$='-other']")["name"]
    data = {
        "_csrf_token": csrf,
        "token": page.select_one("input[name=token]")["value"],
        "_shown": [i["value"] for i in page.select("input[name=_shown]")],
        "choix": "other" if index % 2 else "a",
        other: PAYLOAD,
        "court": FORMULAS[index % len(FORMULAS)] + " " + SCRIPT,
        "long": PAYLOAD if index else LONG + PAYLOAD,
    }
    ok(phone.post(f"{base}/s/s1", data=data, follow_redirects=False), "answers", 303)
    pages = {
        "intro": intro.text,
        "section": section.text,
        "section again": phone.get(f"{base}/s/s1").text,
        "review": ok(phone.get(f"{base}/review"), "review").text,
    }
    submit_token = html_of(pages["review"]).select_one("form[action$='/submit'] input[name=token]")
    submit = {"_csrf_token": csrf, "token": submit_token["value"]}
    ok(phone.post(f"{base}/submit", data=submit, follow_redirects=False), "submit", 303)
    return pages


def test_respondent_pages_show_labels_and_answers_as_text(survey):
    for name, markup in survey["pages"].items():
        assert_inert(markup, f"respondent {name}")


def test_designer_pages_and_fragments_show_labels_as_text(world, survey):
    base = f"/questionnaires/{survey['questionnaire_id']}"
    preview = world.request(MEMBER, "GET", f"{base}/preview").headers["location"]  # its page 1
    for path in ("", preview.removeprefix(base), "/paper", "/versions"):
        assert_inert(ok(world.request(MEMBER, "GET", base + path), path).text, base + path)
    assert_inert(world.request(MEMBER, "GET", "/questionnaires", headers=HTMX).text, "list")
    assert SCRIPT in pdf_text(ok(world.request(MEMBER, "GET", f"{base}/paper.pdf"), "pdf").content)


def test_a_question_name_cannot_break_out_of_its_attributes(world, survey):
    base = f"/questionnaires/{survey['questionnaire_id']}"
    name = "x\" onmouseover=\"alert(1)' onfocus='alert(1)"
    form = {"name": name, "label_fr": PAYLOAD}
    fragment = world.request(MEMBER, "POST", f"{base}/questions/court", form, headers=HTMX)
    assert_inert(ok(fragment, "rename").text, "editor fragment")
    assert_inert(ok(world.request(MEMBER, "GET", base), "editor").text, "editor")


def test_questionnaire_files_hold_text_not_formulas(world, survey):
    base = f"/questionnaires/{survey['questionnaire_id']}"
    xlsform = ok(world.request(MEMBER, "GET", f"{base}/export.xlsx"), "xlsform").content
    assert_no_formula_cell(xlsform, "XLSForm")
    labels = [c.value for c in xlsx_cells(xlsform) if isinstance(c.value, str)]
    assert PAYLOAD in labels  # kept exactly: importing the file gives the same questionnaire
    exported = ok(world.request(MEMBER, "GET", f"{base}/export.json"), "json")
    assert exported.json()["title"]["fr"] == PAYLOAD


def test_results_pages_and_fragments_show_answers_as_text(world, survey):
    base = f"/campaigns/{SLUG}"
    for path in ("", "/results", "/results/text?q=court", "/results/text?q=long", "/entry"):
        page = ok(world.request(COORDINATOR, "GET", base + path), path)
        assert_inert(page.text, base + path)
    for path in ("/results", "/results/text?q=long"):
        fragment = world.request(COORDINATOR, "GET", base + path, headers=HTMX)
        assert_inert(ok(fragment, path).text, f"{base}{path} (htmx)")
    for path in ("/campaigns", "/dashboard", f"{base}/poster"):
        assert_inert(ok(world.request(COORDINATOR, "GET", path), path).text, path)


def test_charts_escape_labels(world, survey):
    chart = world.request(COORDINATOR, "GET", f"/campaigns/{SLUG}/results/chart.svg?q=choix")
    assert ok(chart, "chart").headers["content-type"].startswith("image/svg+xml")
    assert_inert_svg(chart.content, "results chart")


def test_exports_neutralise_formulas_and_keep_numbers(world, survey):
    base = f"/campaigns/{SLUG}/results"
    for separator in (",", ";"):
        content = ok(
            world.request(COORDINATOR, "GET", f"{base}/export?separator={separator}"), "csv"
        )
        cells = csv_cells(content.content, separator)
        assert_no_formula(cells, "CSV")
        for formula in FORMULAS:
            assert not any(c.startswith(formula.strip()) for c in cells), formula
    workbook = ok(world.request(COORDINATOR, "GET", f"{base}/export?format=xlsx"), "xlsx")
    assert_no_formula_cell(workbook.content, "responses XLSX")
    assert_no_formula(
        [c.value for c in xlsx_cells(workbook.content) if isinstance(c.value, str)], "XLSX"
    )
    assert any(isinstance(c.value, int | float) for c in xlsx_cells(workbook.content))
    summaries = ok(world.request(COORDINATOR, "GET", f"{base}/summaries.xlsx"), "summaries")
    assert_no_formula_cell(summaries.content, "summaries XLSX")


def test_report_shows_the_text_literally(world, survey):
    base = f"/campaigns/{SLUG}/results"
    assert_inert(ok(world.request(COORDINATOR, "GET", f"{base}/report"), "report").text, "report")
    report = ok(world.request(COORDINATOR, "GET", f"{base}/report.pdf"), "report.pdf")
    assert SCRIPT in pdf_text(report.content)


def test_quotes_takeaways_and_public_page_show_text(world, survey):
    base = f"/campaigns/{SLUG}"
    with Session(world.client.app.state.engine) as db:
        response_ids = db.exec(select(Response.id).order_by(Response.id.desc())).all()
    quote = {"response_id": str(response_ids[0]), "question": "long"}
    ok(world.request(COORDINATOR, "POST", f"{base}/results/quotes", quote), "quote", 303)
    slide = {"kind": "quotes", "takeaway": PAYLOAD}
    ok(world.request(COORDINATOR, "POST", f"{base}/deck/slides", slide), "slide", 303)
    for path in ("/deck", "/deck/edit"):
        assert_inert(ok(world.request(COORDINATOR, "GET", base + path), path).text, path)
    deck_pdf = pdf_text(ok(world.request(COORDINATOR, "GET", f"{base}/deck/pdf"), "pdf").content)
    assert deck_pdf.count(SCRIPT) >= 2  # the takeaway and the quote
    published = {"q": "choix", "published": "1"}
    ok(world.request(COORDINATOR, "POST", f"{base}/public", published), "publish", 303)
    assert_inert(ok(world.request("anonymous", "GET", f"/p/{SLUG}"), "public").text, "public")
    chart = world.request("anonymous", "GET", f"/p/{SLUG}/chart.svg?q=choix")
    assert_inert_svg(ok(chart, "public chart").content, "public chart")


def test_partner_fields_from_the_form_and_a_csv_file(world):
    contact = {"contact_name": PAYLOAD, "contact_role": PAYLOAD}
    contact |= {"contact_phone": "+33 3 82 00 00 00", "contact_email": "a@b.example"}
    form = {"name": PAYLOAD[:150], "slug": "partenaire-injection", "kind": "association"}
    form |= {k: PAYLOAD for k in ("objectives", "public", "access_conditions", "place", "hours")}
    ok(world.request(COORDINATOR, "POST", "/partners/new", form | contact), "partner", 303)
    row = ["partenaire-csv", '=HYPERLINK("http://x") ' + SCRIPT, "association"]
    header = "slug;name;kind;objectives\r\n"
    upload = header + ";".join([*row, f'"{PAYLOAD}"']) + "\r\n"
    files = {"file": ("partenaires.csv", upload.encode())}
    ok(world.request(COORDINATOR, "POST", "/partners/import", {}, files), "import", 303)
    for path in (
        "/partners",
        "/partners/partenaire-injection",
        "/partners/partenaire-csv",
        "/partners/print",
    ):
        assert_inert(ok(world.request(MEMBER, "GET", path), path).text, path)
    fragment = world.request(MEMBER, "GET", "/partners", headers=HTMX)
    assert_inert(ok(fragment, "partners fragment").text, "partners fragment")
    assert SCRIPT in pdf_text(
        ok(world.request(MEMBER, "GET", "/partners/directory.pdf"), "").content
    )
    exported = ok(world.request(MEMBER, "GET", "/partners/export.csv"), "partners csv")
    cells = csv_cells(exported.content, ";")
    assert_no_formula(cells, "partners CSV")
    reimported = {"file": ("partenaires.csv", exported.content)}
    ok(world.request(COORDINATOR, "POST", "/partners/import", {}, reimported), "round trip", 303)
    again = ok(world.request(MEMBER, "GET", "/partners/partenaire-csv"), "after round trip")
    assert '=HYPERLINK("http://x")' in html(again).get_text()  # the apostrophe is not kept
    assert "'=HYPERLINK" not in html(again).get_text()


def test_commission_project_finding_and_plenary_fields(world):
    values = world.values
    members = values["youth_members"]
    commission = {
        "description": PAYLOAD,
        "theme": PAYLOAD[:200],
        "partner_ids": [str(i) for i in members["partner_ids"]],
        "user_ids": [str(i) for i in members["user_ids"]],
        "pilot_id": str(values["youth_pilot"]),
    }
    base = f"/commissions/{values['commission']}"
    ok(world.request(COORDINATOR, "POST", f"{base}/edit", commission), "commission", 303)
    project = {"year": "2026", "title": PAYLOAD, "description": PAYLOAD, "outcome": PAYLOAD}
    project |= {"status": "idea"}
    ok(world.request(MEMBER, "POST", f"{base}/projects/new", project), "project", 303)
    with Session(world.client.app.state.engine) as db:
        campaign_id = db.exec(select(Response.campaign_id)).first()
    finding = {"campaign_id": str(campaign_id), "text": PAYLOAD, "decision": PAYLOAD}
    ok(world.request(MEMBER, "POST", f"{base}/findings/new", finding), "finding", 303)
    for path in (base, "/commissions"):
        assert_inert(ok(world.request(MEMBER, "GET", path), path).text, path)
    assert_inert(world.request(MEMBER, "GET", base, headers=HTMX).text, f"{base} (htmx)")
    plenary = {"held_on": "2027-03-01", "title": PAYLOAD, "place": PAYLOAD, "minutes": PAYLOAD}
    plenary |= {"item_title": PAYLOAD, "item_position": "1"}
    created = ok(world.request(COORDINATOR, "POST", "/plenaries/new", plenary), "plenary", 303)
    page = created.headers["location"]
    for path in (page, "/plenaries"):
        assert_inert(ok(world.request(MEMBER, "GET", path), path).text, path)
    minutes = ok(world.request(MEMBER, "GET", f"{page}/minutes.pdf"), "minutes")
    assert SCRIPT in pdf_text(minutes.content)


def test_poll_questions_choices_and_free_answers(world):
    youth = str(world.values["commission_id"])
    single = {"commission_id": youth, "kind": "single", "question": PAYLOAD}
    single |= {"choices": f"{SCRIPT}\n{PAYLOAD[:120]}", "hidden": ""}
    code = ok(world.request(MEMBER, "POST", "/polls", single), "poll", 303).headers["location"]
    code = code.rsplit("/", 1)[1]
    text_poll = {"commission_id": youth, "kind": "text", "question": PAYLOAD, "hidden": ""}
    text_code = ok(world.request(MEMBER, "POST", "/polls", text_poll), "text poll", 303)
    text_code = text_code.headers["location"].rsplit("/", 1)[1]
    phone = TestClient(world.client.app, base_url="http://testserver.local")
    vote_page = ok(phone.get(f"/v/{text_code}"), "vote page")
    assert_inert(vote_page.text, "vote page")
    vote = {"_csrf_token": phone.cookies.get("consult_csrf"), "text": PAYLOAD}
    ok(phone.post(f"/v/{text_code}", data=vote, follow_redirects=False), "vote", 303)
    control = ok(world.request(MEMBER, "GET", f"/polls/{text_code}"), "moderation")
    assert_inert(control.text, "moderation")
    vote_id = re.search(rf"/polls/{text_code}/answers/(\d+)", control.text)[1]
    approve = {"decision": "approve"}
    moderated = world.request(
        MEMBER, "POST", f"/polls/{text_code}/answers/{vote_id}", approve, headers=HTMX
    )
    assert_escaped(ok(moderated, "approve").text, "moderation fragment")
    for poll in (code, text_code):
        for path in (f"/polls/{poll}", f"/polls/{poll}/screen", f"/polls/{poll}/results", "/polls"):
            markup = ok(world.request(MEMBER, "GET", path), path).text
            if poll == text_code and path.endswith(("/screen", "/results")):
                assert_escaped(markup, path)  # approved answers are shown as a word cloud
            else:
                assert_inert(markup, path)
    assert_inert(phone.get(f"/v/{code}").text, "single vote page")
    for _ in range(5):  # the room sees a poll's choices from k = 5 votes on (disclosure)
        voter = TestClient(world.client.app, base_url="http://testserver.local")
        voter.get(f"/v/{code}")
        ballot = {"_csrf_token": voter.cookies.get("consult_csrf"), "answer": SCRIPT}
        voter.post(f"/v/{code}", data=ballot, follow_redirects=False)
    stream = world.request(MEMBER, "GET", f"/polls/{code}/stream")
    assert stream.status_code == 200 and "<script>alert" not in stream.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in stream.text
