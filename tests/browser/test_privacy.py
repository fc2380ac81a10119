"""On a phone (390×844): send the questionnaire, note the code, then see and erase one's
answers with it."""

import sqlite3
from pathlib import Path

import pytest

from tests.browser.test_respond import (
    SLUG,
    axe_clean,
    begin,
    fill_activities_follow_ups,
    fill_obstacles,
    fill_profile,
    finish,
    next_page,
    no_horizontal_scroll,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def database(live_database) -> Path:
    return live_database


def stored(database: Path, code: str) -> list[tuple]:
    """The sent response a receipt code names (shown with dashes, stored as typed or not)."""
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT answers, completed, channel FROM response"
            " WHERE receipt_code = ? OR receipt_code = ?",
            (code, code.replace("-", "")),
        ).fetchall()


def test_a_respondent_sees_then_erases_their_answers_with_the_code(
    live_server, phone, artifacts, database
):
    begin(phone, live_server, artifacts, "privacy")
    fill_profile(phone)
    next_page(phone, "s/activites")
    phone.check("input[name=pratique_activite][value=yes]")
    phone.wait_for_selector("input[name=activites]")
    fill_activities_follow_ups(phone)
    next_page(phone, "s/freins")
    fill_obstacles(phone)
    next_page(phone, "s/satisfaction")
    finish(phone, artifacts, "privacy")
    code = phone.locator(".receipt .code").inner_text()
    assert stored(database, code)
    phone.screenshot(path=artifacts / "privacy-thanks-code-phone.png", full_page=True)
    axe_clean(phone)

    phone.get_by_role("link", name="Revoir ou effacer mes réponses").click()
    phone.wait_for_url(f"**/r/{SLUG}/mine")
    phone.fill("#code", "wrong")
    phone.get_by_role("button", name="Voir mes réponses").click()
    phone.wait_for_selector("#code-error")  # htmx swaps the refusal in (400)
    assert phone.get_attribute("#code", "aria-invalid") == "true"
    phone.fill("#code", code.lower())
    phone.get_by_role("button", name="Voir mes réponses").click()
    phone.wait_for_selector("h1:has-text('Tes réponses')")
    assert phone.locator("#mine").get_by_text("Des bus plus tard le soir.").count() == 1
    phone.screenshot(path=artifacts / "privacy-answers-phone.png", full_page=True)
    axe_clean(phone)
    no_horizontal_scroll(phone)

    phone.get_by_role("link", name="Effacer mes réponses…").click()
    phone.wait_for_selector("h1:has-text('Effacer tes réponses ?')")
    phone.screenshot(path=artifacts / "privacy-confirm-phone.png", full_page=True)
    phone.get_by_role("button", name="Oui, effacer mes réponses").click()
    phone.wait_for_selector("h1:has-text('Tes réponses ont été effacées')")
    phone.screenshot(path=artifacts / "privacy-erased-phone.png", full_page=True)
    axe_clean(phone)
    no_horizontal_scroll(phone)
    assert stored(database, code) == []
