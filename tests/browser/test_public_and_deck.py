"""The public results page on a phone (axe, no horizontal scroll) and the deck on a projector
(keyboard navigation, one slide at a time with JavaScript)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_live_polls import sign_in

pytestmark = pytest.mark.browser
SLUG = "temps-libre-2012"


def publish(page, base: str) -> None:
    sign_in(page, base)
    page.goto(f"{base}/campaigns/{SLUG}/public")
    for question in ("quartier", "genre", "satisfaction_offre"):
        page.check(f"input[name=q][value={question}]")
    page.check("#published")
    page.locator(f"form[action='/campaigns/{SLUG}/public'] button[type=submit]").click()
    page.wait_for_url(re.compile(r".*saved=1$"))


def test_the_public_page_reads_well_on_a_phone(browser, live_server, phone, artifacts):
    from axe_playwright_python.sync_playwright import Axe

    staff = browser.new_context(locale="fr-FR")
    try:
        publish(staff.new_page(), live_server)
    finally:
        staff.close()
    phone.goto(f"{live_server}/p/{SLUG}")
    expect(phone.locator("div.question h2").first).to_be_visible()
    assert phone.locator("img.chart").count() == 3
    phone.locator("img.chart").first.scroll_into_view_if_needed()
    expect(phone.locator("img.chart").first).to_have_js_property("complete", True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=artifacts / "public-results-phone.png", full_page=True)
    results = Axe().run(phone)
    assert results.violations_count == 0, results.generate_report()


def test_the_deck_moves_with_the_keyboard(browser, live_server, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="fr-FR")
    try:
        page = context.new_page()
        sign_in(page, live_server)
        page.goto(f"{live_server}/campaigns/{SLUG}/deck/edit")
        kinds = (("figures", ""), ("question", "quartier"), ("waves", "genre"))
        for n, (kind, question) in enumerate(kinds, start=1):
            page.select_option("#kind", kind)
            if question:
                page.select_option("#question", question)
            page.locator(
                f"form[action='/campaigns/{SLUG}/deck/slides'] button[type=submit]"
            ).click()
            expect(page.locator(".deck-slides li[data-slide]")).to_have_count(n)
        page.fill("[id^=takeaway-] >> nth=1", "Le centre-ville répond le plus.")
        with page.expect_response(re.compile(r".*/deck/slides/\d+$")) as saved:
            page.locator("button[value=takeaway] >> nth=1").click()
        assert saved.value.status == 200
        page.screenshot(path=artifacts / "deck-editor.png", full_page=True)
        page.goto(f"{live_server}/campaigns/{SLUG}/deck")
        current = page.locator(".slide.current")
        expect(current).to_have_count(1)
        expect(current).to_have_class(re.compile("slide-title"))
        page.screenshot(path=artifacts / "deck-slide-1.png")
        page.keyboard.press("ArrowRight")
        expect(current).to_have_class(re.compile("slide-figures"))
        page.keyboard.press(" ")
        expect(current).to_have_class(re.compile("slide-question"))
        expect(current.locator(".takeaway")).to_have_text("Le centre-ville répond le plus.")
        page.screenshot(path=artifacts / "deck-slide-3.png")
        page.keyboard.press("ArrowRight")
        expect(current).to_have_class(re.compile("slide-waves"))
        page.screenshot(path=artifacts / "deck-slide-4.png")
        page.keyboard.press("ArrowLeft")
        expect(current).to_have_class(re.compile("slide-question"))
    finally:
        context.close()
