"""Easy-read (FALC, issue 16): chosen once, easy wordings shown wherever they exist."""

from tests.web.conftest import csrf_token, html
from tests.web.respond_helpers import BASE, PAGES, post_page, responses, start


def label(page, name: str) -> str:
    block = page.select_one(f"#q-{name}-block")
    return block.select_one(".question-label, .note p").get_text(" ", strip=True)


def test_easy_read_is_chosen_once_and_shown_wherever_it_exists(client):
    intro = html(client.get(BASE))
    button = intro.select_one(".easy-switch button[name=_easy]")
    assert button["value"] == "1" and button["aria-pressed"] == "false"
    start(client)
    assert label(html(client.get(f"{BASE}/s/profil")), "age").startswith("Quel âge as-tu")
    data = {"_csrf_token": csrf_token(client), "_easy": "1", "next": f"{BASE}/s/profil"}
    response = client.post(f"{BASE}/easy", data=data, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"{BASE}/s/profil"
    page = html(client.get(f"{BASE}/s/profil"))
    assert label(page, "age") == "Ton âge ? Écris un nombre, par exemple 16. (obligatoire)"
    assert page.select_one(".easy-switch button")["aria-pressed"] == "true"
    # a page without easy wordings keeps its labels
    assert post_page(client, "profil", PAGES["profil"]).status_code == 303
    page = html(client.get(f"{BASE}/s/activites"))
    assert label(page, "pratique_activite").startswith("Pratiques-tu")
    client.cookies.set("consult_lang", "en")
    page = html(client.get(f"{BASE}/s/profil"))
    assert label(page, "age").startswith("Your age? Write a number")


def test_the_easy_read_button_of_a_page_saves_what_is_typed(client):
    start(client)
    response = post_page(client, "profil", {"age": "16", "genre": "fille"}, _easy="1")
    assert response.status_code == 303 and response.headers["location"] == f"{BASE}/s/profil"
    [draft] = responses(client)[-1:]
    assert draft.answers["age"] == 16 and draft.answers["genre"] == "fille"
    page = html(client.get(f"{BASE}/s/profil"))
    assert label(page, "genre").startswith("Tu es une fille, un garçon")
    assert page.select_one("#q-age")["value"] == "16"


def test_the_next_target_of_the_switch_stays_on_the_campaign(client):
    data = {"_csrf_token": csrf_token(client), "_easy": "1", "next": "https://evil.example/"}
    response = client.post(f"{BASE}/easy", data=data, follow_redirects=False)
    assert response.headers["location"] == BASE
