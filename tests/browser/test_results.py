import time

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

RESULTS = "/campaigns/temps-libre-2012/results"


def wait_for_image(page, selector, timeout=15):
    """Polls from the test (the page's CSP forbids the eval behind wait_for_function)."""
    deadline = time.monotonic() + timeout
    image = page.locator(selector)
    while time.monotonic() < deadline:
        if image.evaluate("i => i.complete && i.naturalWidth > 0"):
            return
        time.sleep(0.2)
    raise AssertionError(f"{selector} did not load")


def sign_in(page, base, email="animation@consult.demo", password="demo-animation"):
    page.goto(f"{base}/login")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base}/dashboard")


def test_a_facilitator_filters_the_results_and_builds_a_crosstab_on_a_phone(
    live_server, phone, artifacts
):
    from axe_playwright_python.sync_playwright import Axe

    sign_in(phone, live_server)
    phone.goto(f"{live_server}{RESULTS}")
    assert "300 réponses correspondent" in phone.locator("#match-count").inner_text()
    phone.locator("#filter-genre").select_option("fille")
    expect(phone.locator("#match-count")).to_contain_text("134")
    assert "genre=fille" in phone.url  # the filtered view is a shareable URL
    chart = phone.locator("#q-quartier img.chart")
    chart.scroll_into_view_if_needed()
    wait_for_image(phone, "#q-quartier img.chart")
    assert "genre=fille" in chart.get_attribute("src")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=artifacts / "results-filtered-phone.png", full_page=False)
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()

    phone.get_by_role("link", name="Tableau croisé").click()
    phone.get_by_label("Lignes : groupes de répondants").select_option("situation")
    phone.get_by_label("Colonnes : réponses comparées").select_option("pratique_activite")
    phone.get_by_role("button", name="Croiser les deux questions").click()
    phone.locator("#crosstab table").first.wait_for()
    assert "V de Cramér" in phone.locator("#crosstab .test").inner_text()
    assert "genre=fille" in phone.url and "row=situation" in phone.url
    wait_for_image(phone, "#crosstab img.chart")
    phone.screenshot(path=artifacts / "results-crosstab-phone.png", full_page=True)
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()


def test_the_results_page_on_a_laptop(live_server, browser, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server, "jeunesse@consult.demo", "demo-jeunesse")
    page.goto(f"{live_server}{RESULTS}")
    wait_for_image(page, ".overview img.chart")
    page.screenshot(path=artifacts / "results-overview-laptop.png", full_page=False)
    page.goto(f"{live_server}/series/temps-libre/waves?q=satisfaction_offre")
    page.locator("#waves table").wait_for()
    page.screenshot(path=artifacts / "results-waves-laptop.png", full_page=True)
    context.close()
