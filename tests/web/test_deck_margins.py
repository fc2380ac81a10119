"""The deck's "± x pts" (issue 18): each share's 95 % margin of error on the question slides
where the facilitator asks for it, from the published figures only."""

import re

import pytest
from sqlmodel import Session

from analysis.weights import margin_points
from consult.db import make_engine
from consult.plenary.deck import disclosed_results
from surveys import results as service
from tests.web.conftest import csrf_token, html, login

SLUG = "temps-libre-2013"
DECK = f"/campaigns/{SLUG}/deck"
K = 5


@pytest.fixture
def staff(client):
    assert login(client, "facilitator").status_code == 303
    return client


def prepare_form(page) -> dict:
    """The "prepare the plenary" form's own defaults, as a browser would send them."""
    data: dict[str, list[str]] = {}
    for field in page.select_one("#prepare form").select("input, textarea"):
        name = field.get("name")
        if not name or (field.get("type") == "checkbox" and not field.has_attr("checked")):
            continue
        value = field.get_text() if field.name == "textarea" else field.get("value", "")
        data.setdefault(name, []).append(value)
    return data


def margins_of(slide) -> dict[str, str]:
    """answer -> "± x pts" as the slide lists them."""
    found = {}
    for item in slide.select("ul.slide-margins li"):
        answer = item.get_text(" ", strip=True).rsplit(" : ", 1)[0]
        found[answer] = item.strong.get_text(strip=True)
    return found


def add_question(staff, question: str) -> str:
    data = {"_csrf_token": csrf_token(staff), "kind": "question", "question": question}
    assert staff.post(f"{DECK}/slides", data=data, follow_redirects=False).status_code == 303
    page = html(staff.get(f"{DECK}/edit"))
    return page.select(".deck-slides li[data-slide]")[-1]["data-slide"]


def test_prepare_the_plenary_with_margins_of_error(staff):
    page = html(staff.get(f"{DECK}/edit"))
    tick = page.select_one("#prepare-margins")
    assert tick is not None and not tick.has_attr("checked")  # not unless asked
    form = prepare_form(page)
    assert staff.post(f"{DECK}/prepare", data=form, follow_redirects=False).status_code == 303
    assert html(staff.get(DECK)).select("ul.slide-margins") == []
    form["margins"] = ["1"]
    assert staff.post(f"{DECK}/prepare", data=form, follow_redirects=False).status_code == 303
    deck = html(staff.get(DECK))
    questions = deck.select("section.slide-question")
    with_margins = [s for s in questions if s.select_one("ul.slide-margins")]
    assert with_margins and all(s.select_one(".slide-margins-note") for s in with_margins)
    for slide in with_margins:
        assert all(re.fullmatch(r"± \d+(,\d)? pts", m) for m in margins_of(slide).values())


def test_a_slide_turns_its_margins_on_and_off(staff):
    slide_id = add_question(staff, "genre")
    token = csrf_token(staff)
    on = {"_csrf_token": token, "action": "margins-on"}
    assert (
        staff.post(f"{DECK}/slides/{slide_id}", data=on, follow_redirects=False).status_code == 303
    )
    button = html(staff.get(f"{DECK}/edit")).select_one(
        f"li[data-slide='{slide_id}'] button[value^=margins]"
    )
    assert button["aria-pressed"] == "true" and button["value"] == "margins-off"
    slide = html(staff.get(DECK)).select_one("section.slide-question")
    assert {"Une fille", "Un garçon"} <= set(margins_of(slide))
    off = {"_csrf_token": token, "action": "margins-off"}
    staff.post(f"{DECK}/slides/{slide_id}", data=off, headers={"HX-Request": "true"})
    assert html(staff.get(DECK)).select_one("section.slide-question ul.slide-margins") is None


def test_the_margins_of_a_public_deck_come_from_published_figures_only(staff, sqlite_demo_url):
    """Answers of fewer than k respondents are hidden on the deck: they get no margin of
    error, and every margin shown is the one of the published (rounded) share and base."""
    slide_id = add_question(staff, "satisfaction_pij")
    on = {"_csrf_token": csrf_token(staff), "action": "margins-on"}
    staff.post(f"{DECK}/slides/{slide_id}", data=on)
    shown = margins_of(html(staff.get(DECK)).select_one("section.slide-question"))
    engine = make_engine(sqlite_demo_url)
    with Session(engine) as session:
        data = service.load_results(session, [service.find_campaign(session, SLUG)], "fr")
    engine.dispose()
    summary = disclosed_results(data, None, K).card("satisfaction_pij").summaries[0]
    hidden = set(summary.table["label"][summary.hidden.to_numpy(dtype=bool)])
    assert hidden, "the demo hides two small answers of this scale"
    assert not hidden & set(shown)
    published = summary.table[~summary.hidden.to_numpy(dtype=bool)]
    assert set(shown) == set(published["label"])
    for label, share in zip(published["label"], published["share"], strict=True):
        points = round(margin_points(round(float(share), 3), summary.n_valid), 1)
        expected = f"{points:.1f}".replace(".", ",").removesuffix(",0")
        assert shown[label] == f"± {expected} pts"
