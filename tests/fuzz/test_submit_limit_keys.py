"""The per-respondent submit limit counts a draft the server holds, not a token the client
sends: rotating made-up tokens once gave a fresh allowance on every request."""

from surveys import capture
from tests.fuzz.test_submit_rate_limit import limited  # noqa: F401  (the fixture)
from tests.web.conftest import csrf_token
from tests.web.respond_helpers import BASE, PAGES, post_page, start


def post_with_token(client, token: str):
    data = {**PAGES["profil"], "_csrf_token": csrf_token(client), "token": token}
    return client.post(f"{BASE}/s/profil", data=data, follow_redirects=False)


def test_rotating_made_up_tokens_does_not_escape_the_drafts_limit(limited):  # noqa: F811
    with limited(per_respondent=3, per_address=0) as client:
        assert start(client).status_code == 303  # 1: the draft's own count starts
        assert post_page(client, "profil", PAGES["profil"]).status_code == 303  # 2
        assert post_page(client, "profil", PAGES["profil"]).status_code == 303  # 3
        # the same browser (its draft cookie) now sends a new made-up token each time
        statuses = [post_with_token(client, capture.new_token()).status_code for _ in range(5)]
        assert statuses == [429] * 5


def test_made_up_tokens_without_a_draft_count_on_the_address(limited):  # noqa: F811
    with limited(per_respondent=3, per_address=4) as client:
        csrf_token(client)
        statuses = [post_with_token(client, capture.new_token()).status_code for _ in range(6)]
        assert statuses[:4] == [303] * 4 and statuses[4:] == [429, 429]
