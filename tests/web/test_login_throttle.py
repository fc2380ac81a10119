"""The login throttle slows down the client that fails, never the account: an attacker's
wrong passwords cannot keep the owner out (finding: 5 wrong passwords made the owner's right
password answer 429 for the whole window, from anywhere)."""

import pytest

from consult.web.areas import auth
from tests.web.conftest import csrf_token, login, make_client

CLIENT_HEADER = "x-test-client"


@pytest.fixture
def two_clients(sqlite_demo_url, tmp_path, monkeypatch):
    """One app; each request says which client address it comes from (a test header), and
    the throttle's clock is the test's."""
    monkeypatch.setattr(auth, "client_key", lambda request: request.headers[CLIENT_HEADER])
    with make_client(sqlite_demo_url, tmp_path) as client:
        now = [1_000_000.0]
        client.app.state.login_throttle.clock = lambda: now[0]
        yield client, now


def sign_in(client, address: str, password: str | None = None):
    client.cookies.clear()
    client.headers[CLIENT_HEADER] = address
    csrf_token(client)
    return login(client, "member", password=password)


def test_an_attackers_failures_do_not_lock_the_owner_out(two_clients):
    client, _now = two_clients
    for _ in range(5):
        assert sign_in(client, "203.0.113.9", "wrong-password").status_code == 400
    assert sign_in(client, "203.0.113.9").status_code == 429  # the attacker waits
    assert sign_in(client, "198.51.100.7").status_code == 303  # the owner gets in


def test_each_failure_past_the_free_ones_doubles_the_wait(two_clients):
    client, now = two_clients
    attacker = "203.0.113.9"
    for _ in range(5):
        assert sign_in(client, attacker, "wrong-password").status_code == 400
    waits = []
    for _ in range(4):
        refused = sign_in(client, attacker, "wrong-password")
        assert refused.status_code == 429
        waits.append(int(refused.headers["retry-after"]))
        now[0] += waits[-1]
        assert sign_in(client, attacker, "wrong-password").status_code == 400
    assert waits == [1, 2, 4, 8]
    now[0] += 16
    assert sign_in(client, attacker).status_code == 303  # the right password, after the wait
    assert sign_in(client, attacker, "wrong-password").status_code == 400  # count cleared
