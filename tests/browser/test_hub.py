"""The facilitator's path (issue 14), in Chromium as animation@: dashboard → campaign hub →
cross-tab of satisfaction by age group in at most 4 clicks; the filter said as a chip on the
cross-tab and named in the files exported from it; "Prepare the plenary" gives a full deck
whose live-poll slide updates when a vote arrives."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, htmx_idle
from tests.browser.test_live_polls import answer_over_http, sign_in

pytestmark = pytest.mark.browser
SLUG = "temps-libre-2013"
PROJECTOR = {"width": 1920, "height": 1080}
SCREENS = {
    "projector": {"viewport": PROJECTOR},
    "phone": {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
}


@pytest.fixture(params=list(SCREENS))
def screen(request, browser):
    """The facilitator's browser at 1920×1080 (a projector) and at 390×844 (a phone)."""
    context = browser.new_context(**SCREENS[request.param], locale="fr-FR", accept_downloads=True)
    try:
        yield request.param, context.new_page()
    finally:
        context.close()


def no_sideways_scroll(page, name: str) -> None:
    if name == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


class Clicks:
    """Every click and every choice in a list, counted as the facilitator's clicks."""

    def __init__(self, page) -> None:
        self.page, self.count = page, 0

    def click(self, selector: str) -> None:
        self.count += 1
        self.page.locator(selector).click()

    def choose(self, selector: str, value: str) -> None:
        self.count += 1
        self.page.select_option(selector, value)
        htmx_idle(self.page)


def test_dashboard_to_satisfaction_by_age_group_in_four_clicks(screen, live_server, artifacts):
    name, page = screen
    sign_in(page, live_server)  # lands on the dashboard
    clicks = Clicks(page)
    clicks.click(f"ul.campaigns a[href='/campaigns/{SLUG}']")
    page.wait_for_url(re.compile(rf".*/campaigns/{SLUG}$"))
    expect(page.locator("nav.breadcrumbs")).to_contain_text("Jeunesse")
    clicks.click("nav.hub-tabs a[data-tab=crosstab]")
    page.wait_for_url(re.compile(r".*/results/crosstab$"))
    clicks.choose("#row", "age__groups")
    clicks.choose("#col", "satisfaction_offre")
    rows = page.locator("#crosstab table.data").first.locator("tbody th[scope=row]")
    expect(rows.first).to_have_text("14–17")
    expect(page.locator("#crosstab img.chart")).to_have_js_property("complete", True)
    print(f"\ndashboard → satisfaction by age group: {clicks.count} clicks")
    assert clicks.count <= 4
    no_sideways_scroll(page, name)
    page.screenshot(path=artifacts / f"hub-crosstab-age-groups-{name}.png", full_page=True)


def test_prepare_the_plenary_gives_a_full_deck_with_a_live_poll(screen, live_server, artifacts):
    name, page = screen
    sign_in(page, live_server)
    page.goto(f"{live_server}/campaigns/{SLUG}")
    page.locator(".hub-actions a[href$='/deck/edit#prepare']").click()
    expect(page.locator("#prepare-scope")).to_contain_text("l'ensemble du terrain")
    no_sideways_scroll(page, name)
    page.locator("#prepare").screenshot(path=artifacts / f"deck-prepare-form-{name}.png")
    page.fill("#poll_choices", "Les transports\nLes tarifs\nL'information")
    page.locator("#prepare-submit").click()
    page.wait_for_url(re.compile(r".*/deck/edit\?prepared=1$"))
    page.fill("[id^=takeaway-] >> nth=1", "Plus d'un sur deux pratique une activité.")
    with page.expect_response(re.compile(r".*/deck/slides/\d+$")):
        page.locator("button[value=takeaway] >> nth=1").click()
    page.goto(f"{live_server}/campaigns/{SLUG}/deck")
    slides = page.locator("section.slide")
    total = slides.count()
    print(f"\nprepared deck: {total} slides")
    assert total >= 8
    current = page.locator(".slide.current")
    # the presenter's bar stays on one line (on a phone « PDF » was set one letter a line)
    pdf_link = page.locator(".deck-bar a[href$='/deck/pdf']").bounding_box()
    assert pdf_link["width"] > pdf_link["height"], pdf_link
    page.keyboard.press("ArrowRight")
    expect(current).to_have_class(re.compile("slide-method"))
    lines = current.locator("dl.method-lines > div")
    lefts = {round(lines.nth(i).bounding_box()["x"]) for i in range(lines.count())}
    assert len(lefts) == (1 if name == "phone" else 2), lefts  # one column on a phone
    page.screenshot(path=artifacts / f"deck-prepared-method-{name}.png")
    page.keyboard.press("ArrowRight")
    expect(current).to_have_class(re.compile("slide-question"))
    expect(current.locator("img.slide-chart")).to_have_js_property("complete", True)
    page.screenshot(path=artifacts / f"deck-prepared-question-{name}.png")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    expect(current).to_have_class(re.compile("slide-poll"))
    count = current.locator(".poll-count")
    expect(count).to_have_text("0")
    code = current.locator(".join-code strong").inner_text()
    answer_over_http(live_server, code, "Les tarifs")
    expect(count).to_have_text("1", timeout=5000)
    # the room sees the bars from k = 5 votes on (disclosure control), live
    for _ in range(4):
        answer_over_http(live_server, code, "Les tarifs")
    expect(count).to_have_text("5", timeout=5000)
    expect(current.locator(".poll-bars li")).not_to_have_count(0, timeout=5000)
    page.screenshot(path=artifacts / f"deck-prepared-poll-{name}.png")


def test_the_filter_shows_on_the_crosstab_and_in_its_files(screen, live_server, artifacts):
    import io
    import subprocess

    from openpyxl import load_workbook

    stated = "Filtre : Tu es… = Une fille"
    name, page = screen
    sign_in(page, live_server)
    page.goto(f"{live_server}/campaigns/{SLUG}/results")
    page.select_option("#filter-genre", "fille")
    chip = page.locator(".filter-chips li.chip")
    expect(chip).to_have_count(1)
    expect(chip).to_contain_text("Tu es… = Une fille")
    page.locator("nav.hub-tabs a[data-tab=crosstab]").click()
    page.wait_for_url(re.compile(r".*/results/crosstab\?genre=fille$"))
    expect(page.locator(".filter-chips li.chip")).to_contain_text("Tu es… = Une fille")
    page.select_option("#row", "age__groups")
    page.select_option("#col", "satisfaction_offre")
    expect(page.locator("#crosstab-csv")).to_be_visible()
    no_sideways_scroll(page, name)
    page.screenshot(path=artifacts / f"hub-crosstab-filtered-{name}.png", full_page=True)
    files = {}
    for kind in ("csv", "xlsx", "pdf"):
        with page.expect_download() as download:
            page.locator(f"#crosstab-{kind}").click()
        files[kind] = Path(download.value.path()).read_bytes()
    assert files["csv"].decode("utf-8-sig").splitlines()[1] == stated
    assert load_workbook(io.BytesIO(files["xlsx"])).active["A2"].value == stated
    pdf = artifacts / f"hub-crosstab-filtered-report-{name}.pdf"
    pdf.write_bytes(files["pdf"])
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert stated in " ".join(text.split())


def test_the_waves_page_filters_like_the_other_views(screen, live_server, artifacts):
    """The filter fields open inside the waves form; a choice updates the chips, the counts of
    each wave and the comparison in place, and the question chosen stays."""
    name, page = screen
    sign_in(page, live_server)
    page.goto(f"{live_server}/campaigns/{SLUG}/results/waves?q=satisfaction_offre")
    waves = page.locator("fieldset.wave-choice label")
    before = waves.nth(1).inner_text()
    expect(page.locator(".filter-chips li.chip")).to_have_count(0)
    page.locator("details.filter-details > summary").click()
    page.select_option("#filter-genre", "fille")
    htmx_idle(page)
    expect(page.locator(".filter-chips li.chip")).to_contain_text("Tu es… = Une fille")
    expect(waves.nth(1)).not_to_have_text(before)
    assert "genre=fille" in page.url and "q=satisfaction_offre" in page.url
    expect(page.locator("#q")).to_have_value("satisfaction_offre")
    expect(page.locator("#waves img.chart")).to_have_js_property("complete", True)
    no_sideways_scroll(page, name)
    page.screenshot(path=artifacts / f"hub-waves-filtered-{name}.png", full_page=True)
    page.locator(".filter-chips a.chip-remove").click()
    page.wait_for_url(re.compile(r".*/results/waves\?(?!.*genre=).*q=satisfaction_offre.*"))
    expect(waves.nth(1)).to_have_text(before)


def test_the_exports_tab_carries_the_filter_to_every_file(screen, live_server, artifacts):
    name, page = screen
    sign_in(page, live_server)
    page.goto(f"{live_server}/campaigns/{SLUG}/results?genre=fille")
    page.locator("nav.hub-tabs a[data-tab=exports]").click()
    page.wait_for_url(re.compile(r".*/results/exports\?genre=fille$"))
    expect(page.locator(".filter-chips li.chip")).to_contain_text("Tu es… = Une fille")
    page.check("#export-labels input[name=labels][value=true]")
    page.locator("#export-labels button[type=submit]").click()
    page.wait_for_url(re.compile(r".*labels=true.*"))
    for key in ("csv", "xlsx", "sav", "dta"):
        href = page.locator(f"#export-{key}").get_attribute("href")
        assert "genre=fille" in href, key
        assert ("labels=true" in href) == (key in ("csv", "xlsx")), key
    with page.expect_download() as download:
        page.locator("#export-sav").click()
    assert download.value.suggested_filename == f"{SLUG}-filtered.sav"
    no_sideways_scroll(page, name)
    page.screenshot(path=artifacts / f"hub-exports-filtered-{name}.png", full_page=True)
