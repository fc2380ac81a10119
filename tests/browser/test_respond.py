"""A young resident answers on a phone (390×844), with and without JavaScript."""

import sqlite3
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

SLUG = "temps-libre-2026"
EXPECTED = {
    "age": 19,
    "genre": "garcon",
    "quartier": "guentrange",
    "situation": "other",
    "situation_other": "service civique",
    "pratique_activite": "yes",
    "activites": ["sport", "jeux_video"],
    "frequence": "semaine",
    "depense_mensuelle": 20.5,
    "derniere_sortie": "2026-10-15",
    "freins": ["transport"],
    "transport": "bus",
    "opinions": {"securite": "plutot", "ecoute": "plutot_pas"},
    "priorites": ["transports_soir", "tarifs"],
    "satisfaction_offre": "neutre",
    "note_ville": 6,
    "connait_pij": "yes",
    "satisfaction_pij": "satisfait",
    "envies": "Des bus plus tard le soir.",
}


@pytest.fixture
def database(tmp_path_factory, live_server) -> Path:
    """The live server's SQLite file (tests/browser/conftest.py puts it in a "live" folder)."""
    return sorted(tmp_path_factory.getbasetemp().glob("live*/consult.db"))[0]


def stored(database: Path, code: str) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT answers, completed, channel FROM response WHERE resume_code = ?", (code,)
        ).fetchall()


def axe_clean(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def begin(page, base: str, artifacts, name: str) -> str:
    page.goto(f"{base}/r/{SLUG}")
    page.screenshot(path=artifacts / f"respond-{name}-intro.png", full_page=True)
    page.check("#age-15plus")
    page.check("#consent")
    page.get_by_role("button", name="Commencer").click()
    page.wait_for_url(f"**/r/{SLUG}/s/profil")
    return page.locator(".code").inner_text()


def fill_profile(page) -> None:
    page.fill("#q-age", "19")
    page.check("input[name=genre][value=garcon]")
    page.check("input[name=quartier][value=guentrange]")
    page.check("input[name=situation][value=other]")
    page.fill("input[name=situation_other]", "service civique")


def fill_activities_follow_ups(page) -> None:
    page.check("input[name=activites][value=sport]")
    page.check("input[name=activites][value=jeux_video]")
    page.check("input[name=frequence][value=semaine]")
    page.fill("#q-depense_mensuelle", "20,5")
    page.fill("#q-derniere_sortie", "2026-10-15")


def fill_obstacles(page) -> None:
    page.check("input[name=freins][value=transport]")
    page.check("input[name=transport][value=bus]")
    page.check("input[name='opinions/securite'][value=plutot]")
    page.check("input[name='opinions/ecoute'][value=plutot_pas]")
    page.select_option("select[name='priorites/transports_soir']", "1")
    page.select_option("select[name='priorites/tarifs']", "2")


def next_page(page, section: str) -> None:
    page.get_by_role("button", name="Suivant").click()
    page.wait_for_url(f"**/r/{SLUG}/{section}")


def finish(page, artifacts, name: str) -> None:
    page.check("input[name=satisfaction_offre][value=neutre]")
    page.check("input[name=note_ville][value='6']")
    page.check("input[name=connait_pij][value=yes]")
    if page.context.pages and page.evaluate("typeof htmx !== 'undefined'"):
        page.wait_for_selector("input[name=satisfaction_pij]")
    else:
        next_page_notice(page)
    page.check("input[name=satisfaction_pij][value=satisfait]")
    next_page(page, "s/envies")
    page.fill("#q-envies", "Des bus plus tard le soir.")
    next_page(page, "review")
    page.screenshot(path=artifacts / f"respond-{name}-review.png", full_page=True)
    page.get_by_role("button", name="Envoyer mes réponses").click()
    page.wait_for_url(f"**/r/{SLUG}/thanks")
    page.screenshot(path=artifacts / f"respond-{name}-thanks.png", full_page=True)


def next_page_notice(page) -> None:
    """Without JavaScript, follow-up questions appear once the page is sent."""
    page.get_by_role("button", name="Suivant").click()
    page.wait_for_selector(".notice-box")


def test_answering_with_javascript_shows_follow_ups_in_place(
    live_server, phone, artifacts, database
):
    code = begin(phone, live_server, artifacts, "js")
    axe_clean(phone)
    fill_profile(phone)
    phone.screenshot(path=artifacts / "respond-js-profile.png", full_page=True)
    no_horizontal_scroll(phone)
    next_page(phone, "s/activites")
    assert phone.locator("input[name=activites]").count() == 0
    phone.check("input[name=pratique_activite][value=yes]")
    phone.wait_for_selector("input[name=activites]")  # htmx swapped the follow-ups in
    assert phone.locator("#q-activite_souhaitee").count() == 0
    fill_activities_follow_ups(phone)
    axe_clean(phone)
    phone.screenshot(path=artifacts / "respond-js-activities.png", full_page=True)
    next_page(phone, "s/freins")
    fill_obstacles(phone)
    axe_clean(phone)
    no_horizontal_scroll(phone)
    phone.screenshot(path=artifacts / "respond-js-obstacles.png", full_page=True)
    next_page(phone, "s/satisfaction")
    axe_clean(phone)
    phone.screenshot(path=artifacts / "respond-js-satisfaction.png", full_page=True)
    finish(phone, artifacts, "js")
    axe_clean(phone)
    [(answers, completed, channel)] = stored(database, code)
    import json

    assert json.loads(answers) == EXPECTED and completed and channel == "web"


def test_answering_without_javascript_works_with_plain_forms(
    live_server, browser, artifacts, database
):
    from tests.browser.conftest import PHONE

    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        code = begin(page, live_server, artifacts, "nojs")
        fill_profile(page)
        next_page(page, "s/activites")
        page.check("input[name=pratique_activite][value=yes]")
        next_page_notice(page)
        fill_activities_follow_ups(page)
        next_page(page, "s/freins")
        fill_obstacles(page)
        next_page(page, "s/satisfaction")
        finish(page, artifacts, "nojs")
    finally:
        context.close()
    import json

    [(answers, completed, channel)] = stored(database, code)
    assert json.loads(answers) == EXPECTED and completed


def test_an_error_is_shown_next_to_the_field_and_focus_goes_to_the_summary(
    live_server, phone, artifacts
):
    begin(phone, live_server, artifacts, "error")
    phone.fill("#q-age", "12")
    phone.get_by_role("button", name="Suivant").click()
    phone.wait_for_selector(".error-summary")
    assert phone.evaluate("document.activeElement.classList.contains('error-summary')")
    assert phone.input_value("#q-age") == "12"
    assert phone.get_attribute("#q-age", "aria-describedby") == "q-age-error"
    phone.screenshot(path=artifacts / "respond-error-phone.png", full_page=True)
    axe_clean(phone)
    no_horizontal_scroll(phone)


def test_leaving_mid_way_and_resuming_on_another_device_with_the_code(
    live_server, browser, artifacts
):
    from tests.browser.conftest import PHONE

    first = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = first.new_page()
    code = begin(page, live_server, artifacts, "resume")
    fill_profile(page)
    next_page(page, "s/activites")
    first.close()

    second = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = second.new_page()
    try:
        page.goto(f"{live_server}/r/{SLUG}")
        page.get_by_role("link", name="J'ai un code de reprise").click()
        page.get_by_label("Ton code de reprise").fill(code.lower())
        axe_clean(page)
        page.get_by_role("button", name="Continuer").click()
        page.wait_for_url(f"**/r/{SLUG}/s/activites")
        page.get_by_role("button", name="Précédent").click()
        page.wait_for_url(f"**/r/{SLUG}/s/profil")
        assert page.input_value("#q-age") == "19"
        page.screenshot(path=artifacts / "respond-resumed.png", full_page=True)
    finally:
        second.close()


def test_double_submit_and_retry_make_one_response(live_server, phone, artifacts, database):
    code = begin(phone, live_server, artifacts, "double")
    fill_profile(phone)
    next_page(phone, "s/activites")
    phone.check("input[name=pratique_activite][value=no]")
    next_page(phone, "s/freins")
    phone.check("input[name=freins][value=aucun]")
    next_page(phone, "s/satisfaction")
    phone.check("input[name=satisfaction_offre][value=neutre]")
    next_page(phone, "s/envies")
    next_page(phone, "review")
    form = phone.locator("form[action$='/submit']")
    token = form.locator("input[name=token]").input_value()
    csrf = form.locator("input[name=_csrf_token]").input_value()
    phone.get_by_role("button", name="Envoyer mes réponses").dblclick()
    phone.wait_for_url(f"**/r/{SLUG}/thanks")
    phone.go_back()  # the back button, then a second tap
    if "/review" in phone.url:
        phone.get_by_role("button", name="Envoyer mes réponses").click()
        phone.wait_for_url(f"**/r/{SLUG}/thanks")
    # a retry after a lost connection replays the very same request
    retry = phone.request.post(
        f"{live_server}/r/{SLUG}/submit",
        form={"token": token, "_csrf_token": csrf},
        max_redirects=0,
    )
    assert retry.status == 303 and retry.headers["location"].endswith("/thanks")
    rows = stored(database, code)
    assert len(rows) == 1 and rows[0][1]
    with __import__("sqlite3").connect(database) as db:
        assert db.execute("SELECT count(*) FROM response WHERE token = ?", (token,)).fetchone() == (
            1,
        )


def test_first_page_and_next_page_stay_within_the_weight_budget(live_server, browser):
    from tests.browser.conftest import PHONE

    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    transfers: list[tuple[str, int]] = []
    urls: dict[str, str] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: transfers.append((urls.get(e["requestId"], "?"), e["encodedDataLength"])),
    )
    try:
        page.goto(f"{live_server}/r/{SLUG}", wait_until="networkidle")
        first = list(transfers)
        transfers.clear()
        page.check("#age-15plus")
        page.check("#consent")
        page.get_by_role("button", name="Commencer").click()
        page.wait_for_url(f"**/r/{SLUG}/s/profil")
        page.wait_for_load_state("networkidle")
        second = list(transfers)
    finally:
        context.close()
    first_bytes = sum(n for _, n in first)
    second_bytes = sum(n for _, n in second)
    print("first page", first_bytes, first, "second page", second_bytes, second)
    assert len(first) <= 6 and first_bytes <= 60 * 1024, first
    assert second_bytes <= 15 * 1024, second
