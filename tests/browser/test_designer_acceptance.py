"""Acceptance: a commission member builds the 10-question youth questionnaire, tries its
conditional branch in the preview, runs the launch checklist and opens the campaign — in at
most 25 clicks, without typing any internal value (no choice value, no question name, no
XLSForm expression). The click count is printed."""

import pytest

from tests.browser.conftest import htmx_idle
from tests.browser.test_designer import axe_clean, no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser

MAX_CLICKS = 25

# type, text, and what the add form takes: choices (one per line), a preset, ticks, bounds, rows
QUESTIONS = [
    ("single_choice", "Dans quel quartier habites-tu ?", {"choices": "Centre\nNord\nSud"}),
    ("multiple_choice", "Quelles activités pratiques-tu ?",
     {"choices": "Sport\nMusique\nThéâtre", "other": True, "none": True, "max_picks": "2"}),
    ("likert", "Je me sens bien dans mon quartier.", {"preset": "agreement_5"}),
    ("integer", "Combien d’heures de loisirs par semaine ?", {"min": "0", "max": "100"}),
    ("long_text", "Que voudrais-tu changer ?", {}),
    ("date", "Quand es-tu sorti·e pour la dernière fois ?", {}),
    ("yes_no", "Fais-tu partie d’un club ?", {}),
    ("text", "Lequel ?", {}),
    ("matrix", "Ton avis sur…", {"choices": "Bien\nMoyen\nMal", "rows": "Les horaires\nLes prix"}),
    ("rating", "Quelle note donnes-tu à ta ville ?", {}),
]  # fmt: skip


class Clicks:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, locator) -> None:
        self.count += 1
        locator.click()


def add_question(page, click, number: int, type_: str, label: str, extra: dict) -> None:
    form = page.locator("#add-section_1")
    form.locator("#add-type-section_1").select_option(type_)
    form.locator("#add-section_1-label").fill(label)
    if "choices" in extra:
        form.locator("#add-section_1-choices").fill(extra["choices"])
    if "preset" in extra:
        form.locator("#add-section_1-preset").select_option(extra["preset"])
    if "rows" in extra:
        form.locator("#add-section_1-rows").fill(extra["rows"])
    for field in ("min", "max", "max_picks"):
        if field in extra:
            form.locator(f"#add-section_1-{field}").fill(extra[field])
    if extra.get("other"):
        click(form.locator("label[for=add-section_1-other]"))
    if extra.get("none"):
        click(form.locator("label[for=add-section_1-none]"))
    click(form.locator("#add-section_1-submit"))
    page.locator(f"#card-q{number} .question-title", has_text=label).wait_for()
    htmx_idle(page)


def test_a_member_builds_previews_checks_and_opens_in_25_clicks(live_server, phone, artifacts):
    page, click = phone, Clicks()
    sign_in(page, live_server)
    page.locator("#blank-name").fill("Loisirs des jeunes 2027")
    click(page.get_by_role("button", name="Créer", exact=True))
    page.wait_for_selector("#designer")
    editor = page.url

    for number, (type_, label, extra) in enumerate(QUESTIONS, start=1):
        add_question(page, click, number, type_, label, extra)
    multiple = page.locator("#card-q2")
    assert multiple.locator("#e-q2-other").is_checked()
    assert multiple.locator("#e-q2-none").is_checked()
    assert page.locator("#e-q3-choices-fr").input_value().splitlines()[0] == "Pas du tout d’accord"

    # the follow-up is asked only if the yes/no is « Oui », picked from dropdowns
    click(page.locator("#card-q8 .logic-links a").first)
    builder = page.locator("#builder-question-q8")
    # htmx binds the builder's own triggers as it settles: pick the question only then
    builder.wait_for()
    htmx_idle(page)
    builder.locator("#builder-question-q8-0-question").select_option(
        label="7. Fais-tu partie d’un club ?"
    )
    page.locator("#builder-question-q8-0-value option", has_text="Oui").wait_for(state="attached")
    htmx_idle(page)
    page.locator("#builder-question-q8-0-value").select_option(label="Oui")
    axe_clean(page)
    click(page.locator("#builder-question-q8 button[value=apply]"))
    condition = page.locator("#card-q8 .question-condition .clause")
    condition.wait_for()
    assert condition.inner_text().strip() == "« Fais-tu partie d’un club ? » = Oui"

    # the introduction (the settings open by themselves while it is missing)
    page.locator("#introduction-fr").fill("Dix questions sur tes loisirs, deux minutes.")
    click(page.locator("#settings button[type=submit]"))
    page.locator("#settings:not([open])").wait_for(state="attached")
    click(page.get_by_role("button", name="Publier la version 1"))
    page.get_by_text("La version 1 est publiée").wait_for()
    no_horizontal_scroll(page)
    axe_clean(page)
    page.screenshot(path=artifacts / "acceptance-editor-phone.png", full_page=True)

    # the preview is the respondent page: the follow-up appears once « Oui » is ticked
    click(page.locator("#try-preview"))
    page.wait_for_selector("form.respond-form")
    assert page.locator("#q-q8").count() == 0
    click(page.locator("label[for=q-q7-1]"))
    page.locator("#q-q8").wait_for()
    page.locator("#q-q8").fill("Le club de foot")
    axe_clean(page)
    page.screenshot(path=artifacts / "acceptance-preview-phone.png", full_page=True)
    click(page.get_by_role("button", name="Suivant"))
    page.wait_for_url("**/preview/review")
    assert "Le club de foot" in page.locator("main").inner_text()
    click(page.get_by_role("link", name="Retour à l’éditeur").first)
    page.wait_for_url(editor)

    # the campaign: a draft, the checklist, then the opening
    click(page.locator("#launch-campaign"))
    page.locator("#f-name").fill("Loisirs des jeunes 2027")
    page.locator("#f-closes").fill("2099-12-31")
    page.locator("#f-consent_text").fill("J’accepte que mes réponses anonymes soient utilisées.")
    click(page.get_by_role("button", name="Enregistrer"))
    page.locator("#launch-ready").wait_for()
    axe_clean(page)
    page.screenshot(path=artifacts / "acceptance-checklist-phone.png", full_page=True)
    click(page.get_by_role("button", name="Ouvrir la campagne"))
    page.wait_for_load_state()
    assert page.locator("#launch").count() == 0

    print(
        f"\nacceptance: questionnaire built, previewed, checked and opened in {click.count} clicks"
    )
    assert click.count <= MAX_CLICKS
