"""Representativeness as a facilitator sees it: the monitor names who is missing, and the
weighted switch changes the figures by what the margins say."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import htmx_idle
from tests.browser.test_results import sign_in, wait_for_image

pytestmark = pytest.mark.browser

CAMPAIGN = "/campaigns/temps-libre-2013"


def elange_share(page) -> str:
    row = page.locator("#q-quartier tbody tr", has_text="Élange")
    return row.locator("td").nth(1).inner_text().strip()


def test_monitor_flags_elange_and_weighting_lifts_it_to_its_population_share(
    live_server, browser, artifacts
):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server}{CAMPAIGN}/population")
    flagged = page.locator("#under-represented").inner_text()
    assert "Élange" in flagged and "22-25" in flagged
    wait_for_image(page, "img.chart >> nth=2")
    page.screenshot(path=artifacts / "population-monitor.png", full_page=True)
    axe = Axe().run(page)
    assert axe.violations_count == 0, axe.generate_report()

    page.goto(f"{live_server}{CAMPAIGN}/results")
    page.locator("#q-quartier details summary").click()
    unweighted = elange_share(page)
    page.locator("#weighted-switch").click()
    page.wait_for_url("**weighted=1**")
    page.locator("#q-quartier details summary").click()
    weighted = elange_share(page)
    assert (unweighted, weighted) == ("3,2\u00a0%", "10,0\u00a0%")
    assert "Effet de plan" in page.locator("#weighting-method").inner_text()
    wait_for_image(page, "#q-quartier img.chart")
    page.locator("#q-quartier").screenshot(path=artifacts / "weighted-card.png")
    context.close()


def test_weighted_waves_stay_weighted_when_the_question_changes(live_server, browser, artifacts):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server}/series/temps-libre/waves?q=quartier")
    assert page.locator("#weighting-method").count() == 0
    page.locator("#weighted-switch").click()
    page.wait_for_url("**weighted=1**")
    assert "n effectif" in page.locator("#waves table").inner_text()
    htmx_idle(page)
    page.locator("#q").select_option("genre")
    expect(page.locator("#waves-title")).to_have_text("Tu es…")
    assert "weighted=1" in page.url
    assert page.locator("#weighting-method").is_visible()
    wait_for_image(page, "#waves img.chart")
    page.screenshot(path=artifacts / "weighted-waves.png", full_page=True)
    axe = Axe().run(page)
    assert axe.violations_count == 0, axe.generate_report()
    context.close()


def test_the_deck_shows_margins_of_error_when_asked(live_server, browser, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(f"{live_server}{CAMPAIGN}/deck/edit")
    page.select_option("#kind", "question")
    page.select_option("#question", "genre")
    # the slide added comes last (other tests of the session may have prepared a deck)
    toggles = page.locator("button[value=margins-on]")
    before = toggles.count()
    page.locator(f"form[action='{CAMPAIGN}/deck/slides'] button[type=submit]").click()
    expect(toggles).to_have_count(before + 1)
    htmx_idle(page)
    toggle = toggles.last
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(page.locator("button[value=margins-off]").last).to_have_attribute("aria-pressed", "true")
    page.goto(f"{live_server}{CAMPAIGN}/deck")
    margins = page.locator("ul.slide-margins", has_text="Une fille").last
    expect(margins).to_contain_text("Une fille")
    expect(margins).to_contain_text(" pts")
    page.screenshot(path=artifacts / "deck-margins.png")
    context.close()
