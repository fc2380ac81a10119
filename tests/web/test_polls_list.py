"""/polls lists the open polls and, apart, the past ones with their closing date."""

from tests.web.conftest import csrf_token, html, login
from tests.web.test_polls import create_poll


def test_closed_polls_are_listed_as_past_polls(client):
    login(client, "facilitator")
    open_code = create_poll(client, question="Encore ouvert ?")
    past_code = create_poll(client, question="Déjà clos ?")
    closed = client.post(f"/polls/{past_code}/close", data={"_csrf_token": csrf_token(client)})
    assert closed.status_code in (200, 303)
    page = html(client.get("/polls"))
    past = [a["href"] for a in page.select("ul.past-polls a.campaign-name")]
    assert f"/polls/{past_code}" in past and f"/polls/{open_code}" not in past
    assert page.select_one(f"ul.past-polls a[href='/polls/{past_code}/results']") is not None
