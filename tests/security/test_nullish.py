"""Null-ish and oversized answers: stored or refused with a message, never a server error."""

import json

from surveys.document import to_dict
from surveys.library import load_template
from tests.security.payloads import LONG
from tests.web.conftest import csrf_token, html, login
from tests.web.respond_helpers import BASE, post_page, start

NULLISH = ("\x00", "zq\x00xw", "null", "None", "undefined", "NaN", " ", LONG)


def test_nullish_and_long_answers_never_break_the_form(any_db_client):
    client = any_db_client
    assert start(client).status_code == 303
    for value in NULLISH:
        response = post_page(client, "envies", {"envies": value})
        assert response.status_code in (200, 303, 400), (repr(value[:10]), response.status_code)
        review = client.get(f"{BASE}/review")
        assert review.status_code == 200, repr(value[:10])
        assert html(review).select_one("main") is not None
        if value == "zq\x00xw":  # the NUL goes, the answer stays
            assert "zqxw" in html(review).get_text()


def test_staff_forms_and_searches_drop_nul_characters(any_db_client):
    client = any_db_client
    login(client, "coordinator")
    token = csrf_token(client)
    partner = {"_csrf_token": token, "name": "Nul\x00part", "kind": "association"}
    created = client.post("/partners/new", data=partner, follow_redirects=False)
    assert created.status_code == 303, created.status_code
    assert "Nulpart" in html(client.get(created.headers["location"])).get_text()
    poll = {"_csrf_token": token, "kind": "text", "question": "Nul\x00le ?"}
    poll["commission_id"] = html(client.get("/polls")).select_one("#commission_id option")["value"]
    assert client.post("/polls", data=poll, follow_redirects=False).status_code == 303
    assert client.get("/partners?q=%00").status_code == 200


def test_uploaded_files_drop_nul_characters(any_db_client):
    client = any_db_client
    login(client, "coordinator")
    page = html(client.get("/questionnaires"))
    commission = page.select_one("select[name=commission_id] option")["value"]
    document = to_dict(load_template("event_satisfaction")) | {
        "title": {"fr": "Nul\x00titre", "en": "Nul\x00title"}
    }
    upload = {"file": ("nul.json", json.dumps(document).encode())}
    form = {"_csrf_token": csrf_token(client), "commission_id": commission}
    imported = client.post(
        "/questionnaires/import", data=form, files=upload, follow_redirects=False
    )
    assert imported.status_code == 303, imported.status_code
    assert "Nultitre" in html(client.get(imported.headers["location"])).get_text()
    csv = {"file": ("p.csv", b"slug;name\r\nnul;Nul\x00part\r\n")}
    partners = {"_csrf_token": csrf_token(client)}
    assert client.post("/partners/import", data=partners, files=csv).status_code == 200
    assert "Nulpart" in html(client.get("/partners/nul")).get_text()
