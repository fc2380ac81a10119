"""Building a questionnaire on a phone with the designer (JavaScript on), then publishing it."""

import pytest

from tests.browser.conftest import htmx_idle

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
    htmx_idle(page)


def save(page, name, label, choices=()):
    card = page.locator(f"#card-{name}")
    card.locator(f"#e-{name}-label-fr").fill(label)
    if choices:  # one per line; the values are made from the labels
        card.locator(f"#e-{name}-choices-fr").fill("\n".join(text for _, text in choices))
    card.get_by_role("button", name="Enregistrer la question").click()
    page.wait_for_function(
        "([n, l]) => document.querySelector('#card-' + n + ' .question-title')?.textContent.includes(l)",
        arg=[name, label],
    )
    htmx_idle(page)


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
    card.get_by_role("link", name="Condition : quand la poser").click()
    card.locator("#builder-question-q2-0-question").wait_for()
    htmx_idle(phone)
    card.locator("#builder-question-q2-0-question").select_option("q1")
    phone.locator("#builder-question-q2-0-value option", has_text="Oui").wait_for(state="attached")
    htmx_idle(phone)
    card.locator("#builder-question-q2-0-value").select_option(label="Oui")
    card.get_by_role("button", name="Appliquer la condition").click()
    phone.locator("#card-q2 .question-condition .clause").wait_for()
    words = phone.locator("#card-q2 .question-condition .clause").inner_text()
    assert words.strip() == "« Fais-tu du sport ? » = Oui"
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
    phone.goto(f"{editor_url}/preview")  # the respondent page in test mode: answerable
    form = phone.locator("form.respond-form")
    assert "Dans quel quartier habites-tu ?" in form.inner_text()
    assert form.locator("input:not([type=hidden]):not([disabled])").count() > 0
    assert phone.locator("#q-q2-1").count() == 0  # "Lequel ?" waits for « Oui »
    phone.locator("label[for=q-q1-1]").click()
    phone.locator("#q-q2-1").wait_for(state="attached")
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
