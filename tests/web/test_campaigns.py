"""Campaign pages for the staff of the commission: follow-up, QR codes, paper entry, editing."""

import io

import zxingcpp
from PIL import Image

from tests.web.conftest import csrf_token, html, login
from tests.web.respond_helpers import PAGES, responses

CAMPAIGN = "/campaigns/temps-libre-2026"


def test_only_staff_of_the_commission_see_the_campaign(client):
    assert client.get(CAMPAIGN, follow_redirects=False).status_code == 303  # to the login
    login(client, "other_member")
    assert client.get(CAMPAIGN).status_code == 403
    assert client.get("/campaigns/nothing").status_code == 404


def test_the_campaign_page_shows_counts_by_channel_and_polls_them(client):
    login(client, "facilitator")
    page = html(client.get("/campaigns/temps-libre-2013"))
    stats = page.select_one("#campaign-stats")
    assert stats["hx-get"] == "/campaigns/temps-libre-2013" and "every" in stats["hx-trigger"]
    channels = [td.get_text() for td in stats.select("tbody tr td:first-child")]
    assert {"En ligne", "Papier", "Borne"} <= set(channels)  # said in words, not as stored
    fragment = html(client.get("/campaigns/temps-libre-2013", headers={"HX-Request": "true"}))
    assert fragment.select_one("header") is None
    assert fragment.select_one("#campaign-stats .number").get_text() == "250"


def test_the_qr_code_decodes_to_the_public_link(client):
    login(client)
    png = client.get(f"{CAMPAIGN}/qr.png")
    assert png.headers["content-type"] == "image/png"
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))
    assert code.text == "http://testserver.local/r/temps-libre-2026"
    partner = client.get(f"{CAMPAIGN}/qr.png?via=mjc-thionville")
    [code] = zxingcpp.read_barcodes(Image.open(io.BytesIO(partner.content)))
    assert code.text.endswith("/r/temps-libre-2026?via=mjc-thionville")
    svg = client.get(f"{CAMPAIGN}/qr.svg")
    assert svg.headers["content-type"].startswith("image/svg+xml") and b"<svg" in svg.content


def test_the_poster_holds_the_title_the_qr_code_and_the_short_link(client):
    login(client)
    page = html(client.get(f"{CAMPAIGN}/poster"))
    assert "2026" in page.select_one("h1").get_text()
    assert page.select_one("img.qr-big")["src"].endswith("/qr.svg")
    assert page.select_one(".short-url").get_text() == "testserver.local/r/temps-libre-2026"


def test_paper_entry_stores_a_complete_paper_response_and_clears_the_form(any_db_client):
    client = any_db_client
    login(client, "facilitator")
    values = {k: v for page in PAGES.values() for k, v in page.items()}
    response = client.post(
        f"{CAMPAIGN}/entry",
        data={"_csrf_token": csrf_token(client), **values},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = html(client.get(response.headers["location"]))
    assert page.select_one(".notice-box[role=status]") is not None
    assert page.select_one("#q-age")["value"] == ""
    [stored] = responses(client)
    assert stored.channel == "paper" and stored.completed and stored.answers["age"] == 17


def test_paper_entry_with_a_mistake_saves_nothing_and_keeps_what_was_typed(client):
    login(client)
    response = client.post(
        f"{CAMPAIGN}/entry",
        data={"_csrf_token": csrf_token(client), "age": "9", "genre": "fille"},
    )
    assert response.status_code == 400
    page = html(response)
    assert page.select_one("#q-age")["value"] == "9"
    assert page.select_one("#q-age")["aria-invalid"] == "true"
    assert page.select_one("input[name=genre][value=fille]").has_attr("checked")
    assert responses(client) == []


def test_a_member_creates_a_campaign_from_a_published_version(client):
    login(client)
    form = html(client.get("/campaigns/new"))
    version = form.select("select[name=version_id] option")[1]["value"]
    data = {
        "_csrf_token": csrf_token(client),
        "name": "Temps libre — été",
        "version_id": version,
        "closes": "31/12/2099",
        "quota": "200",
        "anonymous": "yes",
    }
    response = client.post("/campaigns", data=data, follow_redirects=False)
    assert response.headers["location"] == "/campaigns/temps-libre-ete"
    assert client.get("/r/temps-libre-ete").status_code == 200


def test_a_campaign_with_bad_values_says_what_and_where(client):
    login(client)
    data = {
        "_csrf_token": csrf_token(client),
        "name": "",
        "slug": "temps-libre-2012",
        "opens": "2026-05-01",
        "closes": "2026-04-01",
        "quota": "beaucoup",
    }
    page = html(client.post("/campaigns", data=data))
    links = [a["href"] for a in page.select(".error-summary a")]
    assert set(links) == {"#f-name", "#f-version_id", "#f-slug", "#f-closes", "#f-quota"}
    assert page.select_one("#f-quota")["value"] == "beaucoup"


def test_a_facilitator_cannot_create_or_edit_campaigns(client):
    login(client, "facilitator")
    assert client.get("/campaigns/new").status_code == 403
    assert client.get(f"{CAMPAIGN}/edit").status_code == 403


def test_a_partner_link_is_added_to_the_campaign(client):
    login(client)
    client.post(
        f"{CAMPAIGN}/channels",
        data={"_csrf_token": csrf_token(client), "label": "Centre social Le Lierre"},
    )
    page = html(client.get(CAMPAIGN))
    assert page.select_one("a[href$='?via=centre-social-le-lierre']") is not None
