"""The plenary deck: facilitators pick and order slides; the deck embeds its charts, hides
small cells, and prints to PDF one landscape page per slide."""

import re
import subprocess

import pytest

from tests.web.conftest import csrf_token, html, login

SLUG = "temps-libre-2013"
BASE = f"/campaigns/{SLUG}/deck"
K = 5


def add(client, kind: str, question: str = "", takeaway: str = "", htmx: bool = False):
    headers = {"HX-Request": "true"} if htmx else {}
    data = {"_csrf_token": csrf_token(client), "kind": kind, "question": question}
    data["takeaway"] = takeaway
    return client.post(f"{BASE}/slides", data=data, headers=headers, follow_redirects=False)


def slide_ids(client) -> list[str]:
    page = html(client.get(f"{BASE}/edit"))
    return [li["data-slide"] for li in page.select(".deck-slides li[data-slide]")]


@pytest.fixture
def facilitator(any_db_client):
    login(any_db_client, "facilitator")
    return any_db_client


def test_facilitators_pick_and_order_the_slides(facilitator):
    assert add(facilitator, "figures").status_code == 303
    fragment = add(facilitator, "question", "quartier", "Le centre-ville domine.", htmx=True)
    assert fragment.status_code == 200
    assert html(fragment).select_one("#deck-slides") is not None
    assert html(fragment).select_one("main") is None  # the fragment, not the page
    add(facilitator, "waves", "quartier")
    add(facilitator, "quotes")
    first, second, third, fourth = slide_ids(facilitator)
    token = csrf_token(facilitator)
    facilitator.post(f"{BASE}/slides/{third}", data={"_csrf_token": token, "action": "up"})
    assert slide_ids(facilitator) == [first, third, second, fourth]
    facilitator.post(f"{BASE}/slides/{fourth}", data={"_csrf_token": token, "action": "delete"})
    assert slide_ids(facilitator) == [first, third, second]
    deck = html(facilitator.get(BASE))
    slides = deck.select("#deck section.slide")
    assert [s["class"][1] for s in slides] == [
        "slide-title",
        "slide-figures",
        "slide-waves",
        "slide-question",
    ]
    assert slides[-1].select_one(".takeaway").get_text() == "Le centre-ville domine."
    assert all(img["src"].startswith("data:image/png;base64,") for img in deck.select("img"))
    assert deck.select("script[src='/static/js/plenary.js']")


def test_a_bad_slide_gets_a_message_and_nothing_is_added(facilitator):
    response = add(facilitator, "question", "no-such-question")
    assert response.status_code == 400
    page = html(response)
    assert page.select_one("#err-question") is not None
    assert page.select_one("#question")["aria-describedby"] == "err-question"
    assert add(facilitator, "question", "").status_code == 400
    assert slide_ids(facilitator) == []


def test_the_deck_never_shows_a_cell_below_k(facilitator):
    add(facilitator, "waves", "quartier")
    add(facilitator, "waves", "genre")
    page = html(facilitator.get(BASE))
    tables = page.select("table")
    assert tables
    hidden = 0
    for table in tables:
        for row in table.select("tbody tr"):
            for cell in row.select("td"):
                text = cell.get_text(strip=True)
                if text.startswith("<"):
                    assert text == "< 5"
                    hidden += 1
                for count in re.findall(r"\((\d[\d\s\u202f\u00a0]*)\)", text):
                    value = int(re.sub(r"\D", "", count))
                    assert value >= K or value == 0, text  # an empty category is nobody
    assert hidden, "the small neighbourhoods must be hidden"


def test_the_deck_is_for_its_commission_only(any_db_client):
    login(any_db_client, "other_member")
    assert any_db_client.get(BASE).status_code == 403
    assert any_db_client.get(f"{BASE}/edit").status_code == 403
    assert any_db_client.get("/campaigns/no-such-campaign/deck").status_code == 404


def test_the_deck_prints_one_landscape_page_per_slide(client, artifacts, tmp_path):
    login(client, "facilitator")
    add(client, "figures", takeaway="Une participation record.")
    add(client, "question", "quartier", "Le centre-ville domine.")
    add(client, "waves", "satisfaction_offre")
    add(client, "quotes")
    response = client.get(f"{BASE}/pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "deck.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Pages:\s+5", info), info
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height  # landscape
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", str(pdf), str(artifacts / "deck-page")], check=True
    )
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Le centre-ville domine." in text
