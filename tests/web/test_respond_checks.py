"""Checks a person expects (issue 16), through the respondent form with JavaScript off:
exclusive choices, date bounds, the decimal comma, and number hints shown before any error."""

from datetime import date, timedelta

from tests.web.conftest import html
from tests.web.respond_helpers import BASE, PAGES, post_page, post_until_done, responses, start


def draft(client):
    return next(r for r in responses(client) if not r.completed)


def on_activities(client, **values):
    start(client)
    assert post_until_done(client, "profil", PAGES["profil"]).status_code == 303
    return post_until_done(client, "activites", {**PAGES["activites"], **values})


def test_an_exclusive_choice_ticked_with_another_is_refused_and_not_saved(client):
    response = on_activities(client, reseaux_sociaux=["instagram", "aucun"])
    assert response.status_code == 400
    page = html(response)
    assert page.select_one("#q-reseaux_sociaux-error") is not None
    assert page.select_one(".error-summary a[href='#q-reseaux_sociaux-1']") is not None
    # kept as ticked, flagged
    assert page.select_one("input[name=reseaux_sociaux][value=instagram]").has_attr("checked")
    assert page.select_one("input[name=reseaux_sociaux][value=aucun]").has_attr("checked")
    assert "reseaux_sociaux" not in draft(client).answers


def test_an_exclusive_choice_alone_is_accepted_and_marked_in_the_page(client):
    response = on_activities(client, reseaux_sociaux=["aucun"])
    assert response.status_code == 303
    assert draft(client).answers["reseaux_sociaux"] == ["aucun"]
    page = html(client.get(f"{BASE}/s/activites"))
    marked = [i["value"] for i in page.select("input[name=reseaux_sociaux][data-exclusive]")]
    assert marked == ["aucun"]


def test_the_none_constraint_convention_is_reflected_and_enforced(client):
    start(client)
    for section in ("profil", "activites"):
        assert post_until_done(client, section, PAGES[section]).status_code == 303
    page = html(client.get(f"{BASE}/s/freins"))
    assert [i["value"] for i in page.select("input[name=freins][data-exclusive]")] == ["aucun"]
    response = post_page(client, "freins", {**PAGES["freins"], "freins": ["cout", "aucun"]})
    assert response.status_code == 400
    assert html(response).select_one("#q-freins-error") is not None


def test_a_date_in_the_future_is_refused_where_the_question_says_so(client):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    response = on_activities(client, derniere_sortie=tomorrow)
    assert response.status_code == 400
    page = html(response)
    assert page.select_one("#q-derniere_sortie")["aria-invalid"] == "true"
    assert page.select_one("#q-derniere_sortie")["value"] == tomorrow
    assert page.select_one("#q-derniere_sortie").has_attr("data-today-max")
    assert "derniere_sortie" not in draft(client).answers
    today = date.today().isoformat()
    fixed = post_until_done(client, "activites", {**PAGES["activites"], "derniere_sortie": today})
    assert fixed.status_code == 303 and draft(client).answers["derniere_sortie"] == today


def test_a_decimal_comma_is_read_as_a_decimal(client):
    response = on_activities(client, depense_mensuelle="1 234,5")
    assert response.status_code == 303
    assert draft(client).answers["depense_mensuelle"] == 1234.5


def test_number_fields_say_what_they_expect_before_any_error(client):
    start(client)
    page = html(client.get(f"{BASE}/s/profil"))
    age = page.select_one("#q-age")
    assert "q-age-format" in age["aria-describedby"].split()
    assert (
        "12" in page.select_one("#q-age-format").get_text()
        or "14" in page.select_one("#q-age-format").get_text()
    )
    assert page.select_one(".error-message") is None
    assert post_until_done(client, "profil", PAGES["profil"]).status_code == 303
    assert post_until_done(client, "activites", PAGES["activites"]).status_code == 303
    page = html(client.get(f"{BASE}/s/activites"))
    assert "12,5" in page.select_one("#q-depense_mensuelle-format").get_text()
    client.cookies.set("consult_lang", "en")
    page = html(client.get(f"{BASE}/s/activites"))
    assert "12.5" in page.select_one("#q-depense_mensuelle-format").get_text()
