"""SIGTERM to `consult serve` while requests are in flight: each of them still gets its whole
response, new connections are refused, and the process exits 0."""

import os
import shutil
import signal
import subprocess
import threading
import time

import httpx
import pytest

from bench.servers import BIN, free_port, wait_until_up
from tests.conftest import _template
from tests.web.conftest import DEMO

# The PDF deck of the demo's campaign takes a second or more to render: a real request that is
# surely still running when the signal comes (three take a few seconds, well within the 20 s
# that `consult serve` grants), with no test-only route needed.
SLOW = "/campaigns/temps-libre-2026/deck/pdf"
IN_FLIGHT = 3

pytestmark = pytest.mark.slow


@pytest.fixture
def server(templates, tmp_path_factory, request, tmp_path):
    database = tmp_path / "consult.db"
    shutil.copyfile(_template("sqlite", True, templates, tmp_path_factory, request), database)
    port = free_port()
    env = {"CONSULT_VAR_DIR": str(tmp_path), "CONSULT_DATABASE_URL": f"sqlite:///{database}"}
    log = (tmp_path / "server.log").open("wb")
    process = subprocess.Popen(
        [str(BIN / "consult"), "serve", "--port", str(port), "--workers", "1"],
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/healthz", process)
        yield base, process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        log.close()


def signed_in(base: str) -> httpx.Cookies:
    with httpx.Client(base_url=base) as client:
        client.get("/login")
        email, password = DEMO["coordinator"]
        data = {"email": email, "password": password, "_csrf_token": client.cookies["consult_csrf"]}
        assert client.post("/login", data=data).status_code == 303
        return client.cookies


def test_sigterm_lets_every_accepted_request_finish_then_exits_0(server, tmp_path):
    base, process = server
    cookies = signed_in(base)
    results: list = [None] * IN_FLIGHT
    finished: list[float] = [0.0] * IN_FLIGHT
    # Connections opened (and accepted by the server) beforehand: the slow requests then
    # only have bytes to send, so all of them are in the server before the signal.
    clients = [httpx.Client(base_url=base, cookies=cookies, timeout=60) for _ in results]
    for client in clients:
        assert client.get("/healthz").status_code == 200

    def fetch(i: int) -> None:
        try:
            results[i] = clients[i].get(SLOW)
        except httpx.HTTPError as exc:
            results[i] = exc
        finished[i] = time.monotonic()

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(IN_FLIGHT)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # the requests are read; the first deck is still rendering
    signalled = time.monotonic()
    process.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    with pytest.raises(httpx.ConnectError):  # no new connection once shutting down
        httpx.get(f"{base}/healthz", timeout=5)
    for thread in threads:
        thread.join(timeout=60)
    for client in clients:
        client.close()

    for response in results:
        assert isinstance(response, httpx.Response), response
        server_log = (tmp_path / "server.log").read_text(errors="replace")[-4000:]
        assert response.status_code == 200, server_log
        assert response.headers["content-type"] == "application/pdf"
        assert response.content.startswith(b"%PDF") and b"%%EOF" in response.content[-64:]
    assert max(finished) > signalled, "the requests were not in flight at the signal"
    assert process.wait(timeout=30) == 0
