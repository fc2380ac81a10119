"""Codes that protect respondents (issue 16): a resume code given on demand, a separate
receipt code shown once, and "you already answered on this device"."""

import math

from consult.web.areas.respond import DONE_COOKIE
from surveys import capture
from tests.web.conftest import csrf_token, html
from tests.web.respond_helpers import (
    BASE,
    answer_all,
    responses,
    set_campaign,
    start,
    submit,
)


def send(client):
    token = answer_all(client)
    [draft] = [r for r in responses(client) if r.channel == "web" and not r.completed]
    assert submit(client, token).status_code == 303
    return draft.resume_code


def test_the_receipt_code_differs_from_the_resume_code_which_stops_working(client):
    resume_code = send(client)
    thanks = html(client.get(f"{BASE}/thanks"))
    receipt = thanks.select_one("#receipt-code").get_text(strip=True).replace("-", "")
    assert len(receipt) == capture.RECEIPT_CODE_LENGTH and receipt != resume_code
    [sent] = [r for r in responses(client) if r.completed and r.channel == "web"]
    assert sent.receipt_code == receipt and sent.resume_code is None
    # the resume code someone may have glimpsed opens nothing any more
    client.cookies.clear()
    data = {"_csrf_token": csrf_token(client), "code": resume_code}
    assert client.post(f"{BASE}/resume", data=data).status_code == 400
    mine = client.post(f"{BASE}/mine", data=data, follow_redirects=False)
    assert mine.status_code == 400
    found = client.post(f"{BASE}/mine", data={**data, "code": receipt}, follow_redirects=False)
    assert found.status_code == 303


def test_codes_are_long_enough_against_guessing_under_the_throttle():
    bits = math.log2(len(capture.CODE_ALPHABET))
    assert capture.CODE_LENGTH * bits > 49 and capture.RECEIPT_CODE_LENGTH * bits > 59
    assert len(capture.new_code()) == 10 and len(capture.new_receipt_code()) == 12
    assert capture.normalise_code(capture.show_code("ABCDEFGHJK")) == "ABCDEFGHJK"


def test_a_device_that_answered_is_told_so_and_not_offered_a_second_answer(client):
    send(client)
    thanks = client.get(f"{BASE}/thanks")
    assert DONE_COOKIE in thanks.headers["set-cookie"]
    intro = html(client.get(BASE))
    assert intro.select_one(".already-answered") is not None
    assert intro.select_one("form[action$='/start']") is None
    # the start form posted anyway leads back to the notice, no second draft
    before = len(responses(client))
    data = {"_csrf_token": csrf_token(client), "token": capture.new_token(), "consent": "yes"}
    refused = client.post(f"{BASE}/start", data={**data, "age_group": "15plus"})
    assert refused.url.path == BASE and len(responses(client)) == before


def test_where_several_answers_per_device_are_allowed_answering_again_is_offered(client):
    set_campaign(client, several_per_device=True)
    send(client)
    client.get(f"{BASE}/thanks")
    intro = html(client.get(BASE))
    assert intro.select_one(".already-answered") is not None
    assert intro.select_one("form[action$='/start'] button[type=submit]") is not None
    assert start(client).headers["location"] == f"{BASE}/s/profil"


def test_a_kiosk_never_says_someone_already_answered(client):
    from consult.web.areas.respond import KIOSK_COOKIE
    from surveys.capture import kiosk_key

    key = kiosk_key(client.app.state.settings.secret_key, BASE.rsplit("/", 1)[-1])
    client.cookies.set(KIOSK_COOKIE, key, path=BASE)
    client.cookies.set(DONE_COOKIE, "1", path=BASE)
    intro = html(client.get(BASE))
    assert intro.select_one(".already-answered") is None
    assert intro.select_one("form[action$='/start']") is not None
