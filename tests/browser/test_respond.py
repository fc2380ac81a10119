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
def database(live_database) -> Path:
    return live_database


def stored(database: Path, token: str) -> list[tuple]:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT answers, completed, channel FROM response WHERE token = ?", (token,)
        ).fetchall()


def axe_clean(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def begin(page, base: str, artifacts, name: str) -> str:
    """Start the questionnaire; returns the draft's token (no code is shown on the pages)."""
    page.goto(f"{base}/r/{SLUG}")
    page.screenshot(path=artifacts / f"respond-{name}-intro.png", full_page=True)
    page.check("#age-15plus")
    page.check("#consent")
    page.get_by_role("button", name="Commencer").click()
    page.wait_for_url(f"**/r/{SLUG}/s/profil")
    assert page.locator(".code").count() == 0
    return page.locator("form#answers input[name=token]").input_value()


def resume_code(page) -> str:
    """Asked for with "Continuer plus tard", then back to the questions."""
    page.get_by_role("button", name="Continuer plus tard").click()
    page.wait_for_url(f"**/r/{SLUG}/later")
    code = page.locator("#resume-code").inner_text()
    page.get_by_role("link", name="Continuer maintenant").click()
    page.wait_for_url(f"**/r/{SLUG}/s/**")
    return code


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
    token = begin(phone, live_server, artifacts, "js")
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
    code = resume_code(phone)
    phone.screenshot(path=artifacts / "respond-js-later.png", full_page=True)
    finish(phone, artifacts, "js")
    axe_clean(phone)
    receipt = phone.locator("#receipt-code").inner_text()
    assert len(receipt.replace("-", "")) == 12 and receipt.replace("-", "") != code.replace("-", "")
    phone.goto(f"{live_server}/r/{SLUG}")  # back on the same phone
    assert phone.locator(".already-answered").is_visible()
    assert phone.get_by_role("button", name="Commencer").count() == 0
    phone.screenshot(path=artifacts / "respond-js-revisit.png", full_page=True)
    [(answers, completed, channel)] = stored(database, token)
    import json

    assert json.loads(answers) == EXPECTED and completed and channel == "web"


def test_answering_without_javascript_works_with_plain_forms(
    live_server, browser, artifacts, database
):
    from tests.browser.conftest import PHONE

    context = browser.new_context(viewport=PHONE, java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        token = begin(page, live_server, artifacts, "nojs")
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

    [(answers, completed, channel)] = stored(database, token)
    assert json.loads(answers) == EXPECTED and completed


def test_a_tap_on_next_before_a_follow_up_arrives_shows_it_with_nothing_lost(
    live_server, phone, artifacts
):
    """On a slow connection the follow-up of "Non" may still be on its way when "Suivant" is
    tapped: the page comes back with the new question and a notice, not the next page."""
    held = []
    phone.route("**/refresh", lambda route: held.append(route))
    begin(phone, live_server, artifacts, "slow-follow-up")
    fill_profile(phone)
    next_page(phone, "s/activites")
    phone.check("input[name=pratique_activite][value=no]")
    phone.get_by_role("button", name="Suivant").click()
    phone.locator(".notice-box").wait_for()
    assert phone.url.endswith(f"/r/{SLUG}/s/activites") and held
    assert phone.locator("input[name=pratique_activite][value=no]").is_checked()
    phone.locator(".notice-box a").click()  # the notice names the new question
    assert phone.evaluate("document.activeElement.id") == "q-activite_souhaitee"
    axe_clean(phone)
    phone.screenshot(path=artifacts / "respond-slow-follow-up.png", full_page=True)
    phone.unroute("**/refresh")
    phone.fill("#q-activite_souhaitee", "du théâtre")
    next_page(phone, "s/freins")


def test_an_error_is_shown_next_to_the_field_and_focus_goes_to_the_summary(
    live_server, phone, artifacts
):
    begin(phone, live_server, artifacts, "error")
    phone.fill("#q-age", "12")
    phone.get_by_role("button", name="Suivant").click()
    phone.wait_for_selector(".error-summary")
    assert phone.evaluate("document.activeElement.classList.contains('error-summary')")
    assert phone.input_value("#q-age") == "12"
    assert phone.get_attribute("#q-age", "aria-describedby") == "q-age-format q-age-error"
    phone.screenshot(path=artifacts / "respond-error-phone.png", full_page=True)
    axe_clean(phone)
    no_horizontal_scroll(phone)


def test_leaving_mid_way_and_resuming_on_another_device_with_the_code(
    live_server, browser, artifacts
):
    from tests.browser.conftest import PHONE

    first = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = first.new_page()
    begin(page, live_server, artifacts, "resume")
    fill_profile(page)
    next_page(page, "s/activites")
    code = resume_code(page)
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
    draft = begin(phone, live_server, artifacts, "double")
    fill_profile(phone)
    next_page(phone, "s/activites")
    phone.check("input[name=pratique_activite][value=no]")
    # "no" opens a follow-up: a tap on "Suivant" before htmx shows it gets the page again
    phone.wait_for_selector("#q-activite_souhaitee")
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
    rows = stored(database, draft)
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


def field_values(page) -> dict:
    """Every input of the page's form as the browser holds it."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(FIELDS))
        .filter(e => e.name && !e.name.startsWith('_') && e.name !== 'token')
        .map(e => [e.name + '=' + e.value, (e.type === 'checkbox' || e.type === 'radio')
        ? e.checked : e.value])""".replace(
            "FIELDS", "'#answers input, #answers select, #answers textarea'"
        )
    )


def switch_language(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("load")


def test_switching_language_mid_page_keeps_what_was_typed_in_every_field_type(
    live_server, phone, artifacts
):
    begin(phone, live_server, artifacts, "switch")
    fill_profile(phone)  # number, radios, "other" text
    before = field_values(phone)
    switch_language(phone, "English")
    assert phone.locator("html").get_attribute("lang") == "en"
    assert phone.get_by_role("button", name="Next").is_visible()
    assert field_values(phone) == before
    switch_language(phone, "Français")
    next_page(phone, "s/activites")
    phone.check("input[name=pratique_activite][value=yes]")
    phone.wait_for_selector("input[name=activites]")
    fill_activities_follow_ups(phone)  # check boxes, a scale, a decimal, a date
    phone.fill("#q-depense_mensuelle", "vingt")  # does not read as a number: kept, flagged
    before = field_values(phone)
    switch_language(phone, "English")
    assert field_values(phone) == before
    assert phone.get_attribute("#q-depense_mensuelle", "aria-invalid") == "true"
    phone.screenshot(path=artifacts / "respond-switch-flagged-en.png", full_page=True)
    phone.fill("#q-depense_mensuelle", "20,5")
    phone.get_by_role("button", name="Next").click()
    phone.wait_for_url(f"**/r/{SLUG}/s/freins")
    fill_obstacles(phone)  # a matrix, a ranking (selects)
    before = field_values(phone)
    switch_language(phone, "Français")
    assert field_values(phone) == before
    next_page(phone, "s/satisfaction")
    phone.check("input[name=satisfaction_offre][value=neutre]")
    phone.check("input[name=note_ville][value='6']")  # a rating
    next_page(phone, "s/envies")
    phone.fill("#q-envies", "Des bus plus tard le soir.")  # long text
    switch_language(phone, "English")
    assert phone.input_value("#q-envies") == "Des bus plus tard le soir."
    axe_clean(phone)


def test_leaving_and_resuming_keeps_an_unsent_pages_answers(live_server, browser, artifacts):
    from tests.browser.conftest import PHONE

    first = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = first.new_page()
    begin(page, live_server, artifacts, "autosave")
    code = resume_code(page)
    fill_profile(page)  # never sent with "Suivant"
    status = page.locator("#save-status")
    status.filter(has_text="Enregistré").wait_for()
    page.screenshot(path=artifacts / "respond-autosave-saved.png", full_page=True)
    first.close()

    second = browser.new_context(viewport=PHONE, locale="fr-FR")
    page = second.new_page()
    try:
        page.goto(f"{live_server}/r/{SLUG}/resume")
        page.get_by_label("Ton code de reprise").fill(code)
        page.get_by_role("button", name="Continuer").click()
        page.wait_for_url(f"**/r/{SLUG}/s/profil")
        assert page.input_value("#q-age") == "19"
        assert page.is_checked("input[name=genre][value=garcon]")
        assert page.input_value("input[name=situation_other]") == "service civique"
        # then typed and left at once: the beacon of "pagehide" saves it
        page.fill("#q-age", "21")
        page.goto("about:blank")
        for _attempt in range(20):  # the beacon travels on its own, after the page is gone
            page.goto(f"{live_server}/r/{SLUG}/s/profil")
            if page.input_value("#q-age") == "21":
                break
            page.wait_for_timeout(250)
        assert page.input_value("#q-age") == "21"
    finally:
        second.close()


@pytest.mark.parametrize("lang", ["fr-FR", "en-GB"])
def test_respondent_pages_pass_axe_at_320_px(live_server, browser, artifacts, lang):
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale=lang)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/r/{SLUG}")
        axe_clean(page)
        no_horizontal_scroll(page)
        page.check("#age-15plus")
        page.check("#consent")
        page.locator("form[action$='/start'] button[type=submit]").click()
        page.wait_for_url(f"**/r/{SLUG}/s/profil")
        page.fill("#q-age", "douze")
        page.locator("button[name=next]").click()
        page.wait_for_selector(".error-summary")
        axe_clean(page)
        no_horizontal_scroll(page)
        page.screenshot(path=artifacts / f"respond-320-{lang}-error.png", full_page=True)
        page.locator("button[name=later]").click()
        page.wait_for_url(f"**/r/{SLUG}/later")
        axe_clean(page)
        no_horizontal_scroll(page)
    finally:
        context.close()


def french_strings() -> set[str]:
    """The French catalogues and the demo's French texts that have an English version."""
    from consult.demo import EASY_READ, SOCIAL_NETWORKS_QUESTION
    from surveys.library import load_template
    from tests.web.test_respond_english import FRENCH

    texts = {
        "Tes réponses sont anonymes. Elles servent uniquement à la commission jeunesse "
        "pour améliorer l'offre de loisirs à Thionville.",
        "14–25 ans",
    }
    document = load_template("youth_free_time")

    def add(labels):
        if labels.get("fr") and labels.get("en") and labels["fr"] != labels["en"]:
            texts.add(labels["fr"])

    add(document.title)
    for section in document.sections:
        add(section.title)
        for q in section.questions:
            for labels in (q.label, q.hint, q.constraint_message):
                add(labels)
            for item in (*q.choices, *q.rows):
                add(item.label)
    add(SOCIAL_NETWORKS_QUESTION["label"])
    texts |= {fr for fr, _en in EASY_READ.values()}
    return FRENCH | texts


def no_french(page, french: set[str], where: str) -> None:
    body = page.inner_text("body")
    lines = {line.strip() for line in body.splitlines()}
    hits = [s for s in french if s in lines or (len(s) >= 14 and s in body)]
    assert hits == [], where


def test_the_whole_demo_flow_in_english_shows_no_french(live_server, browser, artifacts):
    from tests.browser.conftest import PHONE

    french = french_strings()
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/r/{SLUG}")
        no_french(page, french, "intro")
        page.get_by_role("button", name="Start").click()  # nothing ticked: errors
        page.wait_for_selector(".error-summary")
        no_french(page, french, "intro errors")
        page.check("#age-15plus")
        page.check("#consent")
        page.get_by_role("button", name="Start").click()
        page.wait_for_url(f"**/r/{SLUG}/s/profil")
        page.fill("#q-age", "12")
        page.get_by_role("button", name="Next").click()
        page.wait_for_selector(".error-summary")
        no_french(page, french, "profile errors")
        page.screenshot(path=artifacts / "respond-en-profile-error.png", full_page=True)
        fill_profile(page)
        page.get_by_role("button", name="Next").click()
        page.wait_for_url(f"**/r/{SLUG}/s/activites")
        page.check("input[name=pratique_activite][value=yes]")
        page.wait_for_selector("input[name=activites]")
        fill_activities_follow_ups(page)
        no_french(page, french, "activities")
        page.get_by_role("button", name="Next").click()
        page.wait_for_url(f"**/r/{SLUG}/s/freins")
        fill_obstacles(page)
        no_french(page, french, "obstacles")
        page.get_by_role("button", name="Next").click()
        page.wait_for_url(f"**/r/{SLUG}/s/satisfaction")
        page.check("input[name=satisfaction_offre][value=neutre]")
        page.check("input[name=note_ville][value='6']")
        page.check("input[name=connait_pij][value=yes]")
        page.wait_for_selector("input[name=satisfaction_pij]")
        page.check("input[name=satisfaction_pij][value=satisfait]")
        no_french(page, french, "satisfaction")
        page.get_by_role("button", name="Continue later").click()
        page.wait_for_url(f"**/r/{SLUG}/later")
        no_french(page, french, "later")
        page.get_by_role("link", name="Continue now").click()
        page.wait_for_url(f"**/r/{SLUG}/s/satisfaction")
        page.get_by_role("button", name="Next").click()
        page.wait_for_url(f"**/r/{SLUG}/s/envies")
        page.fill("#q-envies", "Later buses.")
        no_french(page, french, "wishes")
        page.get_by_role("button", name="Next").click()
        page.wait_for_url(f"**/r/{SLUG}/review")
        no_french(page, french, "review")
        page.get_by_role("button", name="Send my answers").click()
        page.wait_for_url(f"**/r/{SLUG}/thanks")
        no_french(page, french, "thanks")
        page.screenshot(path=artifacts / "respond-en-thanks.png", full_page=True)
        page.goto(f"{live_server}/r/{SLUG}")
        no_french(page, french, "revisit")
        axe_clean(page)
    finally:
        context.close()


FAKE_VOICE = """
window.__spoken = [];
const fake = {
  getVoices: () => [{ lang: "fr-FR", name: "Test" }],
  speak: (u) => window.__spoken.push(u.text),
  cancel: () => {},
  addEventListener: () => {},
};
Object.defineProperty(window, "speechSynthesis", { value: fake, configurable: true });
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
"""


def test_listen_reads_the_question_and_its_choices_where_a_voice_exists(
    live_server, browser, artifacts
):
    from tests.browser.conftest import PHONE

    context = browser.new_context(viewport=PHONE, locale="fr-FR")
    context.add_init_script(FAKE_VOICE)
    page = context.new_page()
    try:
        begin(page, live_server, artifacts, "listen")
        listen = page.locator("#q-genre-block button.listen")
        assert listen.inner_text() == "Écouter"
        listen.click()
        [spoken] = page.evaluate("window.__spoken")
        assert spoken.startswith("Tu es") and "Une fille" in spoken and "Un garçon" in spoken
        page.get_by_role("button", name="Lecture facile").click()
        page.wait_for_load_state("load")
        page.locator("#q-genre-block button.listen").click()
        spoken = page.evaluate("window.__spoken")[-1]
        assert spoken.startswith("Tu es une fille, un garçon, ou autre")
        axe_clean(page)
        page.screenshot(path=artifacts / "respond-easy-listen.png", full_page=True)
    finally:
        context.close()


def test_listen_is_absent_without_a_voice_or_without_javascript(live_server, browser):
    from tests.browser.conftest import PHONE

    for scripts in (True, False):
        context = browser.new_context(viewport=PHONE, locale="fr-FR", java_script_enabled=scripts)
        context.add_init_script(
            'Object.defineProperty(window, "speechSynthesis", {value: {getVoices: () => [],'
            " speak() {}, cancel() {}, addEventListener() {}}, configurable: true});"
        )
        page = context.new_page()
        try:
            page.goto(f"{live_server}/r/{SLUG}")
            page.check("#age-15plus")
            page.check("#consent")
            page.get_by_role("button", name="Commencer").click()
            page.wait_for_url(f"**/r/{SLUG}/s/profil")
            assert page.locator("button.listen").count() == 0
        finally:
            context.close()
