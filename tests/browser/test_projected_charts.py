"""The results as they look on a projector (1920×1080): the page, the agreement grid and a
cross-tab, screenshotted into test-artifacts/ to be looked at."""

import pytest

from tests.browser.test_results import sign_in, wait_for_image

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1920, "height": 1080}
RESULTS = "/campaigns/temps-libre-2013/results"


@pytest.fixture
def projector(browser):
    context = browser.new_context(viewport=PROJECTOR, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


def natural_size(page, selector):
    return page.locator(selector).evaluate("i => [i.naturalWidth, i.naturalHeight]")


def test_the_results_charts_on_a_projector(live_server, projector, artifacts):
    page = projector
    sign_in(page, live_server)
    page.goto(f"{live_server}{RESULTS}")
    wait_for_image(page, ".overview img.chart")  # the timeline, in the first screen
    page.screenshot(path=artifacts / "projector-results-page.png")
    page.locator("#q-quartier").scroll_into_view_if_needed()
    wait_for_image(page, "#q-quartier img.chart")
    page.screenshot(path=artifacts / "projector-results-cards.png")

    grid = page.locator("#q-opinions")  # « Es-tu d'accord avec ces phrases ? »
    grid.scroll_into_view_if_needed()
    wait_for_image(page, "#q-opinions img.chart")
    width, height = natural_size(page, "#q-opinions img.chart")
    assert (width, height) != (0, 0) and height <= 900
    grid.screenshot(path=artifacts / "projector-grid-chart.png")
    # The grid's rows are its statements: the stem is said once, as the title.
    svg = page.request.get(
        live_server + page.locator("#q-opinions img.chart").get_attribute("src")
    ).text()
    stem = page.locator("#h-opinions").inner_text().strip()
    assert svg.count(stem[:25]) <= 1

    page.goto(f"{live_server}{RESULTS}/crosstab?row=quartier&col=satisfaction_offre")
    wait_for_image(page, "#crosstab img.chart")
    width, height = natural_size(page, "#crosstab img.chart")
    assert height <= 900  # it was 1,630 px with its legend outside the picture
    # on a 1920 px projector the chart is drawn large enough to read (it was 750 px wide)
    assert page.locator("#crosstab img.chart").bounding_box()["width"] >= 1100
    page.locator("#crosstab img.chart").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "projector-crosstab.png")
