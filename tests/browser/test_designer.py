"""Building a questionnaire on a phone with the designer (JavaScript on), then publishing it."""

import pytest

pytestmark = pytest.mark.browser


def sign_in(page, base, email="jeunesse@consult.demo", password="demo-jeunesse"):
    page.goto(f"{base}/login?next=/questionnaires")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/questionnaires")


def add(page, type_, number):
    page.locator("#add-type-section_1").select_option(type_)
    page.get_by_role("button", name="Ajouter une question à cette page").click()
    page.locator(f"#card-q{number}").wait_for()


def save(page, name, label, choices=()):
    card = page.locator(f"#card-{name}")
    card.locator(f"#e-{name}-label-fr").fill(label)
    for i, (value, text) in enumerate(choices):
        card.locator(f"#e-{name}-choice-{i}-value").fill(value)
        card.locator(f"#e-{name}-choice-{i}-label-fr").fill(text)
    card.get_by_role("button", name="Enregistrer la question").click()
    page.wait_for_function(
        "([n, l]) => document.querySelector('#card-' + n + ' .question-title')?.textContent.includes(l)",
        arg=[name, label],
    )


def no_horizontal_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def axe_clean(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_a_member_builds_publishes_and_previews_a_five_question_questionnaire(
    live_server, phone, artifacts
):
    sign_in(phone, live_server)
    axe_clean(phone)
    phone.screenshot(path=artifacts / "designer-list-phone.png", full_page=True)
    phone.locator("#blank-name").fill("Sport et loisirs")
    phone.get_by_role("button", name="Créer", exact=True).click()
    phone.wait_for_selector("#designer")
    editor_url = phone.url

    add(phone, "yes_no", 1)
    save(phone, "q1", "Fais-tu du sport ?")
    add(phone, "single_choice", 2)
    save(phone, "q2", "Lequel ?", [("foot", "Football"), ("danse", "Danse")])
    add(phone, "integer", 3)
    save(phone, "q3", "Quel âge as-tu ?")
    add(phone, "text", 4)
    save(phone, "q4", "Dans quel quartier habites-tu ?")
    add(phone, "rating", 5)
    save(phone, "q5", "Quelle note donnes-tu aux loisirs de ta ville ?")

    card = phone.locator("#card-q2")
    card.get_by_text("Condition : quand la poser").click()
    card.locator("#c-q2-question").select_option("q1")
    card.locator("#c-q2-operator").select_option("=")
    card.locator("#c-q2-value").fill("yes")
    card.get_by_role("button", name="Appliquer la condition").click()
    phone.locator("#card-q2 .question-condition code").wait_for()
    assert phone.locator("#card-q2 .question-condition code").inner_text() == "${q1} = 'yes'"
    assert phone.url == editor_url  # htmx swapped the editor in place
    no_horizontal_scroll(phone)
    phone.screenshot(path=artifacts / "designer-editor-phone.png", full_page=True)
    axe_clean(phone)

    phone.get_by_role("button", name="Publier la version 1").click()
    phone.get_by_text("La version 1 est publiée").wait_for()
    assert "Publiée le" in phone.locator(".designer-status").inner_text()

    preview = phone.locator("[data-testid=phone-preview]")
    for label in ("Fais-tu du sport ?", "Lequel ?", "Quel âge as-tu ?", "Football"):
        assert label in preview.inner_text()
    phone.goto(f"{editor_url}/preview")
    preview = phone.locator("[data-testid=phone-preview]")
    assert "Dans quel quartier habites-tu ?" in preview.inner_text()
    assert preview.locator("input:not([disabled])").count() == 0
    no_horizontal_scroll(phone)
    axe_clean(phone)
    phone.screenshot(path=artifacts / "designer-preview-phone.png", full_page=True)

    phone.goto(f"{editor_url}/paper")
    assert "Si vous avez répondu « Oui » à la question 1" in phone.locator("#pq-q2").inner_text()
    phone.screenshot(path=artifacts / "designer-paper-phone.png", full_page=True)


def test_the_versions_page_passes_axe(live_server, phone):
    sign_in(phone, live_server)
    phone.locator("a.questionnaire-title").first.click()
    phone.wait_for_selector("#designer")
    phone.get_by_role("link", name="Versions et modifications").click()
    phone.wait_for_selector("li.version")
    axe_clean(phone)
