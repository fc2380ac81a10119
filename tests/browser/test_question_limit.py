"""In a real browser (htmx on): past CONSULT_MAX_QUESTIONS the designer adds nothing and says
why, in French, in an alert above the questions."""

import shutil

import pytest

from surveys.messages import render
from surveys.problems import Problem
from tests.browser.test_designer import add, sign_in
from tests.conftest import _template
from tests.reliability.test_hostile_uploads import running_server

pytestmark = pytest.mark.browser


@pytest.fixture
def small_server(templates, tmp_path_factory, request, tmp_path):
    database = tmp_path / "consult.db"
    shutil.copyfile(_template("sqlite", True, templates, tmp_path_factory, request), database)
    env = {
        "CONSULT_VAR_DIR": str(tmp_path),
        "CONSULT_DATABASE_URL": f"sqlite:///{database}",
        "CONSULT_MAX_QUESTIONS": "2",
    }
    with running_server(env, tmp_path / "server.log") as (base, _pid):
        yield base


def test_the_designer_says_why_no_question_was_added(small_server, phone, artifacts):
    sign_in(phone, small_server)
    phone.locator("#blank-name").fill("Limite")
    phone.get_by_role("button", name="Créer", exact=True).click()
    phone.wait_for_selector("#designer")
    add(phone, "text", 1)
    add(phone, "text", 2)
    phone.locator("#add-type-section_1").select_option("text")
    phone.get_by_role("button", name="Ajouter une question à cette page").click()
    alert = phone.locator("#edit-problems")
    alert.wait_for()
    expected = render(Problem("Q_TOO_MANY_QUESTIONS", "", count=3, max=2), "fr")
    assert alert.locator("li").inner_text() == expected
    assert phone.locator("#card-q3").count() == 0
    alert.scroll_into_view_if_needed()
    phone.screenshot(path=artifacts / "designer-question-limit-phone.png")
