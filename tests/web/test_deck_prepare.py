""" "Prepare the plenary" (issue 14): a deck that starts full, follows the filter of the view it
was prepared from, carries a live poll, and an add-slide form that starts afresh."""

import pytest

from tests.web.conftest import csrf_token, html, login

SLUG = "temps-libre-2013"
DECK = f"/campaigns/{SLUG}/deck"


@pytest.fixture
def staff(client):
    assert login(client, "facilitator").status_code == 303
    return client


def prepare_form(page) -> dict:
    """The form's own defaults, as a browser would send them."""
    form = page.select_one("#prepare form")
    data: dict[str, list[str]] = {}
    for field in form.select("input, textarea"):
        name = field.get("name")
        if not name or (field.get("type") == "checkbox" and not field.has_attr("checked")):
            continue
        value = field.get_text() if field.name == "textarea" else field.get("value", "")
        data.setdefault(name, []).append(value)
    return data


def slide_kinds(staff) -> list[str]:
    page = html(staff.get(f"{DECK}/edit"))
    return [li["data-kind"] for li in page.select("#deck-slides li[data-kind]")]


def test_prepare_the_plenary_builds_a_full_deck(staff):
    page = html(staff.get(f"{DECK}/edit"))
    response = staff.post(f"{DECK}/prepare", data=prepare_form(page), follow_redirects=False)
    assert response.status_code == 303
    kinds = slide_kinds(staff)
    assert kinds[0] == "method" and kinds[-2:] == ["poll", "said_done"]
    assert kinds.count("question") == 6 and "quotes" in kinds and "waves" in kinds
    deck = html(staff.get(DECK))
    slides = deck.select("section.slide")
    assert len(slides) >= 8
    assert all(s.select_one("img.slide-chart") for s in deck.select("section.slide-question"))
    poll = deck.select_one("section.slide-poll .live-poll")
    assert poll["data-stream"].startswith("/polls/") and poll["data-stream"].endswith("/stream")
    assert deck.select_one("section.slide-poll img.qr")["src"].startswith("data:image/svg+xml")
    method = [dd.get_text(strip=True) for dd in deck.select("section.slide-method dd")]
    assert method[0] == "250" and "5" in method[-1]


def test_a_deck_prepared_from_a_filtered_view_still_shows_the_whole_fieldwork(staff):
    """A deck leaves the commission: it goes through disclosure control, which publishes
    whole fieldwork only (two filtered decks could otherwise be subtracted)."""
    page = html(staff.get(f"{DECK}/edit?genre=fille"))
    form = prepare_form(page)
    assert "genre" not in form  # the form does not pretend to carry the filter
    assert staff.post(f"{DECK}/prepare", data=form, follow_redirects=False).status_code == 303
    deck = html(staff.get(DECK))
    assert "Filtre" not in deck.get_text()  # no slide names a filter it does not apply
    method = deck.select("section.slide-method dd")[0].get_text(strip=True)
    assert int(method) == 250
    editor = html(staff.get(f"{DECK}/edit"))
    assert "Filtré" not in editor.select_one("#deck-slides").get_text()


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_the_prepare_form_says_the_deck_shows_the_whole_fieldwork(staff):
    """The results view's filter is named, and said not to apply to the deck (FR and EN)."""
    plain = html(staff.get(f"{DECK}/edit"))
    assert words(plain.select_one("#prepare-scope")) == (
        "Un diaporama sort de la commission : il montre toujours l'ensemble du terrain "
        "(250 réponses) et masque tout chiffre qui porte sur moins de 5 personnes."
    )
    assert plain.select_one("#prepare-filter") is None
    filtered = html(staff.get(f"{DECK}/edit?genre=fille"))
    said = words(filtered.select_one("#prepare-filter"))
    assert said == (
        "La vue des résultats d'où vous venez est filtrée (Filtre : Tu es… = Une fille) ; "
        "le diaporama n'applique pas ce filtre."
    )
    english = html(staff.get(f"{DECK}/edit?genre=fille", headers={"Accept-Language": "en"}))
    assert words(english.select_one("#prepare-scope")).startswith(
        "A deck leaves the commission: it always shows the whole fieldwork (250 responses)"
    )
    assert words(english.select_one("#prepare-filter")) == (
        "The results view you came from has a filter (Filter: You are… = A girl); "
        "the deck does not apply it."
    )


def test_the_link_to_the_deck_does_not_promise_the_filter(staff):
    page = html(staff.get(f"/campaigns/{SLUG}/results?genre=fille"))
    link = page.select_one("#prepare-link")
    assert words(link) == "Préparer la plénière"
    assert link["href"].endswith("/deck/edit?genre=fille#prepare")  # said there, not applied


def test_a_deck_without_a_question_is_refused_and_the_form_kept(staff):
    page = html(staff.get(f"{DECK}/edit"))
    form = prepare_form(page) | {"questions": [], "poll_question": ["Une question ?"]}
    form["did"] = ["x" * 201] + form["did"][1:]
    response = staff.post(f"{DECK}/prepare", data=form)
    assert response.status_code == 400
    again = html(response)
    assert again.select_one("#err-questions") is not None
    assert again.select_one("#did-1")["aria-invalid"] == "true"
    assert again.select_one("#poll_question")["value"] == "Une question ?"
    assert slide_kinds(staff) == []  # nothing was replaced


def test_the_add_slide_form_starts_afresh_after_a_slide_is_added(staff, client):
    token = csrf_token(client)
    data = {"kind": "figures", "takeaway": "Une phrase à retenir", "_csrf_token": token}
    response = staff.post(f"{DECK}/slides", data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    fragment = html(response)
    add = fragment.select_one("#deck-add")
    assert add is not None and add.get("hx-swap-oob") == "true"
    assert add.select_one("#takeaway").get("value", "") == ""
    # refused: the form comes back as typed, with its message
    bad = staff.post(
        f"{DECK}/slides",
        data={"kind": "question", "takeaway": "garde-moi", "_csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert bad.status_code == 400
    assert html(bad).select_one("#deck-add #takeaway")["value"] == "garde-moi"


def test_you_said_we_did_is_edited_on_its_slide(staff, client):
    page = html(staff.get(f"{DECK}/edit"))
    staff.post(f"{DECK}/prepare", data=prepare_form(page), follow_redirects=False)
    editor = html(staff.get(f"{DECK}/edit"))
    slide_id = editor.select_one('#deck-slides li[data-kind="said_done"]')["data-slide"]
    data = {
        "action": "pairs",
        "said": ["Les transports le soir", ""],
        "did": ["Une navette le vendredi", ""],
        "_csrf_token": csrf_token(client),
    }
    assert (
        staff.post(f"{DECK}/slides/{slide_id}", data=data, follow_redirects=False).status_code
        == 303
    )
    deck = html(staff.get(DECK))
    cells = [td.get_text(strip=True) for td in deck.select("section.slide-said_done td")]
    assert cells == ["Les transports le soir", "Une navette le vendredi"]


def test_the_deck_leaves_out_a_wave_below_the_minimum_n(staff, client):
    from tests.web.test_hub import one_response_in_2026

    one_response_in_2026(staff, client)
    page = html(staff.get(f"{DECK}/edit"))
    staff.post(f"{DECK}/prepare", data=prepare_form(page), follow_redirects=False)
    deck = html(staff.get(DECK))
    waves = deck.select("section.slide-waves")
    assert waves
    for slide in waves:
        headers = [th.get_text(strip=True) for th in slide.select("table thead th")]
        assert "2026" not in headers and "2012" in headers


def test_the_questions_to_choose_are_named_by_their_wording(staff):
    """A number's groups were offered (and titled on their slide) as « age__groups »."""
    page = html(staff.get(f"{DECK}/edit"))
    labels = {
        box["value"]: box.parent.get_text(" ", strip=True)
        for box in page.select("#prepare input[name=questions]")
    }
    assert labels["age__groups"] == "Quel âge as-tu ? (tranches)"
    assert not [label for label in labels.values() if "__" in label]
