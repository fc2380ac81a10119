"""Cascading lists in a phone's browser (XLSForm ``choice_filter``, pyxform's real
choice_filter_test form on one page): picking a state narrows the counties there and then,
picking a county the cities, by htmx; the keyboard's focus stays on the answer just given,
and what the new state no longer allows is not kept."""

import pytest
from sqlmodel import Session, select

from consult.db import make_engine
from surveys import questionnaires as service
from surveys.models import Response
from tests.browser.conftest import htmx_idle, open_live_campaign
from tests.browser.test_respond import axe_clean, no_horizontal_scroll
from tests.web.test_respond_cascading import real_form

pytestmark = pytest.mark.browser

SLUG = "cascade-navigateur"


@pytest.fixture(scope="module")
def cascade_campaign(live_database) -> str:
    def publish(db, commission_id):
        questionnaire = service.create_questionnaire(db, commission_id, real_form())
        return service.publish(db, questionnaire.id).version

    open_live_campaign(live_database, publish, SLUG, "Cascade")
    return f"sqlite:///{live_database}"


def offered(page, name: str) -> list[str]:
    return page.eval_on_selector_all(f"input[name={name}]", "inputs => inputs.map(i => i.value)")


def test_a_state_narrows_the_counties_and_a_county_the_cities_keyboard_kept(
    live_server, cascade_campaign, phone, artifacts
):
    phone.goto(f"{live_server}/r/{SLUG}")
    phone.check("#age-15plus")
    phone.check("#consent")
    phone.get_by_role("button", name="Commencer").click()
    phone.wait_for_url(f"**/r/{SLUG}/s/*")
    htmx_idle(phone)
    assert offered(phone, "county") == ["king", "pierce", "cameron"]

    texas = phone.get_by_role("radio", name="Texas")
    texas.focus()
    phone.keyboard.press("Space")
    phone.wait_for_function("() => document.querySelectorAll('input[name=county]').length == 2")
    htmx_idle(phone)
    assert offered(phone, "county") == ["king", "cameron"]
    assert phone.get_by_role("radio", name="Texas").is_checked()
    focused = phone.evaluate("document.activeElement && document.activeElement.value")
    assert focused == "texas", "the keyboard's place was lost when the list changed"

    phone.get_by_role("radio", name="Cameron").check()
    phone.wait_for_function("() => document.querySelectorAll('input[name=city]').length == 2")
    htmx_idle(phone)
    assert offered(phone, "city") == ["brownsville", "harlingen"]
    no_horizontal_scroll(phone)
    axe_clean(phone)
    phone.screenshot(path=artifacts / "cascade-phone.png", full_page=True)

    # Another state: Cameron is not in Washington, so it is neither shown nor kept.
    phone.get_by_role("radio", name="Washington").check()
    phone.wait_for_function(
        "() => [...document.querySelectorAll('input[name=county]')].map(i => i.value).join()"
        " == 'king,pierce'"
    )
    htmx_idle(phone)
    assert not phone.locator("input[name=county]:checked").count()
    phone.get_by_role("radio", name="Pierce").check()
    phone.wait_for_function("() => document.querySelector('input[name=city][value=tacoma]')")
    htmx_idle(phone)
    phone.get_by_role("radio", name="Tacoma").check()
    htmx_idle(phone)
    phone.get_by_role("button", name="Suivant").click()
    phone.wait_for_url(f"**/r/{SLUG}/review")
    engine = make_engine(cascade_campaign)
    with Session(engine) as db:
        answers = db.exec(select(Response).order_by(Response.id.desc())).first().answers
    engine.dispose()
    assert {k: answers.get(k) for k in ("state", "county", "city")} == {
        "state": "washington", "county": "pierce", "city": "tacoma"}  # fmt: skip
