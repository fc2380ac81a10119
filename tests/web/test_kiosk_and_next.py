"""Kiosk mode only through the signed kiosk link; the login's ``next`` bounded and same-site."""

from urllib.parse import parse_qs, urlsplit

import pytest

from consult.web.plumbing.paths import MAX_NEXT
from surveys.capture import kiosk_key
from tests.web.conftest import html, login
from tests.web.respond_helpers import BASE, PAGES, post_page, responses, start


def test_a_kiosk_cookie_set_by_hand_does_not_make_a_kiosk(client):
    client.cookies.set("consult_kiosk", "1", path=BASE)
    response = start(client)
    cookie = response.headers["set-cookie"]
    assert "Max-Age" in cookie  # a personal draft, kept for days, not a kiosk's
    post_page(client, "profil", PAGES["profil"])
    [stored] = responses(client)
    assert stored.channel != "kiosk" and stored.resume_code is not None


def test_the_signed_kiosk_link_still_makes_a_kiosk(client):
    key = kiosk_key(client.app.state.settings.secret_key, "temps-libre-2026")
    client.get(f"/k/temps-libre-2026/{key}")
    start(client)
    [stored] = responses(client)
    assert stored.channel == "kiosk" and stored.resume_code is None


def test_a_kiosk_key_of_another_campaign_does_not_make_a_kiosk(client):
    other = kiosk_key(client.app.state.settings.secret_key, "temps-libre-2013")
    client.cookies.set("consult_kiosk", other, path=BASE)
    start(client)
    [stored] = responses(client)
    assert stored.channel != "kiosk"


def test_the_login_redirect_does_not_carry_a_huge_address(client):
    huge = "/campaigns?" + "q=" + "x" * 20_000
    response = client.get(huge, follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    assert len(location) <= MAX_NEXT + 20
    assert urlsplit(location).path == "/login"


def test_a_reasonable_address_is_still_carried(client):
    response = client.get("/campaigns?x=1", follow_redirects=False)
    assert parse_qs(urlsplit(response.headers["location"]).query)["next"] == ["/campaigns?x=1"]


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/ok\r\nSet-Cookie: x=1",
        "/" + "a" * (MAX_NEXT + 1),
    ],
)
def test_login_never_redirects_off_site_or_far(client, target):
    field = html(client.get("/login", params={"next": target})).select_one(
        "form[action='/login'] input[name=next]"
    )
    assert field.get("value", "") == ""
    assert login(client, "member").status_code == 303
    signed_in = client.get("/login", params={"next": target}, follow_redirects=False)
    assert signed_in.headers["location"] == "/dashboard"
